package dev.herald.webhooks.web.application;

import dev.herald.webhooks.core.config.DefaultEndpointSettings;
import dev.herald.webhooks.core.ssrf.SsrfPolicy;
import dev.herald.webhooks.spi.Endpoint;
import dev.herald.webhooks.spi.EndpointFormat;
import dev.herald.webhooks.spi.EndpointStore.EndpointChanges;
import dev.herald.webhooks.spi.NewEndpoint;
import dev.herald.webhooks.spi.Ordering;
import dev.herald.webhooks.store.jpa.JpaStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The endpoint of {@code WEBHOOK_URL}/{@code WEBHOOK_SECRET} for single-tenant deployments, made to
 * match the environment at every start: created (with its tenant) when missing, its URL, signature
 * and secret updated when the environment changed. A changed secret is a rotation: the previous one
 * keeps signing during the grace period. A changed signature profile replaces the endpoint (the old
 * one is disabled, its history kept). Subscriptions, description and state stay as the tenant left
 * them.
 */
final class DefaultEndpoint {
  /** The setting that remembers which endpoint is the default one. */
  static final String SETTING = "herald.default-endpoint";

  static final String DESCRIPTION = "Default endpoint (WEBHOOK_URL)";

  private DefaultEndpoint() {}

  /**
   * @param previousSecretExpiresAt when a replaced secret stops signing
   * @throws dev.herald.webhooks.core.ssrf.SsrfViolationException when the URL is refused
   */
  static Endpoint provision(
      JpaStore store,
      DefaultEndpointSettings wanted,
      SsrfPolicy ssrf,
      int maxInFlight,
      Instant previousSecretExpiresAt) {
    ssrf.checkUrl(wanted.url());
    String tenant = DefaultEndpointSettings.TENANT;
    if (store.findTenant(tenant).isEmpty()) {
      try {
        store.createTenant(tenant, "Default tenant");
      } catch (IllegalStateException createdByAnotherProcess) {
        // Two servers starting at once: the other one created it.
      }
    }
    Optional<Endpoint> existing = store.get(SETTING).flatMap(id -> store.find(tenant, id));
    if (existing.isPresent() && !signsAs(existing.get(), wanted)) {
      // Old and new secrets may not fit one profile: keep the old endpoint's history, stop it.
      store.disable(
          tenant, existing.get().id(), "replaced: WEBHOOK_SIGNATURE_PROFILE or prefix changed");
      existing = Optional.empty();
    }
    if (existing.isEmpty()) {
      Endpoint created =
          store.create(
              new NewEndpoint(
                  tenant,
                  wanted.url(),
                  "http",
                  List.of("*"),
                  wanted.profile(),
                  wanted.headerPrefix(),
                  wanted.secret(),
                  DESCRIPTION,
                  Map.of(),
                  null,
                  maxInFlight,
                  null,
                  null,
                  Ordering.NONE,
                  null,
                  EndpointFormat.HERALD,
                  false));
      store.put(SETTING, created.id());
      return created;
    }
    Endpoint endpoint = existing.get();
    if (!endpoint.url().equals(wanted.url())) {
      store.update(
          tenant,
          endpoint.id(),
          new EndpointChanges(
              wanted.url(),
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              null));
    }
    if (!endpoint.secrets().get(0).value().equals(wanted.secret())) {
      store.rotateSecret(tenant, endpoint.id(), wanted.secret(), previousSecretExpiresAt);
    }
    return store.find(tenant, endpoint.id()).orElseThrow();
  }

  private static boolean signsAs(Endpoint endpoint, DefaultEndpointSettings wanted) {
    return endpoint.signatureProfile() == wanted.profile()
        && Objects.equals(endpoint.headerPrefix(), wanted.headerPrefix());
  }
}
