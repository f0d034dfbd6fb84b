package dev.herald.webhooks.core.config;

import dev.herald.webhooks.api.SignatureProfile;
import java.util.Objects;

/**
 * The endpoint a single-tenant deployment configures through the environment ({@code WEBHOOK_URL},
 * {@code WEBHOOK_SECRET}, as in the seeds): it receives every event of the {@link #TENANT} tenant.
 *
 * @param url where events go
 * @param secret the signing secret the receiver verifies with
 * @param profile {@code WEBHOOK_SIGNATURE_PROFILE} (default {@code standard})
 * @param headerPrefix {@code WEBHOOK_HEADER_PREFIX}: required by {@code legacy-hex}, else null
 */
public record DefaultEndpointSettings(
    String url, String secret, SignatureProfile profile, String headerPrefix) {
  /** The tenant that owns the default endpoint; created when missing. */
  public static final String TENANT = "default";

  public DefaultEndpointSettings {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(profile, "profile");
  }

  @Override
  public String toString() {
    return "DefaultEndpointSettings[url=" + url + ", profile=" + profile.wireName() + "]";
  }
}
