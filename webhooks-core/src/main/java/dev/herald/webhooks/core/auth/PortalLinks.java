package dev.herald.webhooks.core.auth;

import dev.herald.webhooks.spi.ApiKeyStore;
import dev.herald.webhooks.spi.ApiKeyStore.PortalLinkInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Issues and checks portal links (DESIGN 16): a token {@code hpl_} and 32 random bytes, of which
 * only the SHA-256 is stored, that stands for one tenant in the admin UI until it expires or is
 * revoked. What the store answered for a token is trusted for a short while, as for API keys, but
 * never past the link's expiry: a link revoked on another instance stops working here within that
 * while, one revoked here at once, an expired one everywhere at once. Thread-safe.
 */
public final class PortalLinks {
  public static final String PREFIX = "hpl_";
  public static final Duration MIN_TTL = Duration.ofSeconds(10);
  public static final Duration MAX_TTL = Duration.ofHours(24);
  public static final Duration DEFAULT_TTL = Duration.ofMinutes(15);

  /** Live links one tenant may hold at once, so that a tenant cannot fill the table. */
  public static final int MAX_ACTIVE_PER_TENANT = 1_000;

  /** A link as issued: its token is in the URL given to the caller once, and never again. */
  public record Issued(PortalLinkInfo info, String token) {
    @Override
    public String toString() {
      return "Issued[info=" + info + ", token=" + PREFIX + "****]";
    }
  }

  /** The tenant already holds {@link #MAX_ACTIVE_PER_TENANT} live links. */
  public static final class TooManyLinksException extends RuntimeException {
    TooManyLinksException(String tenantId) {
      super(
          "tenant "
              + tenantId
              + " holds "
              + MAX_ACTIVE_PER_TENANT
              + " live portal links; revoke some or let them expire");
    }
  }

  private final ApiKeyStore store;
  private final Clock clock;
  private final TrustedAnswers<PortalLinkInfo> answers;

  /**
   * @param trustFor how long the store's answer for a token (found or not) is used without asking
   *     again; zero to ask every time
   */
  public PortalLinks(ApiKeyStore store, Clock clock, Duration trustFor) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.answers = new TrustedAnswers<>(trustFor);
  }

  /**
   * Issues a link for the tenant, valid for {@code ttl}.
   *
   * @throws IllegalArgumentException when {@code ttl} is outside {@link #MIN_TTL}..{@link #MAX_TTL}
   * @throws TooManyLinksException when the tenant holds too many live links
   */
  public Issued issue(String tenantId, Duration ttl) {
    if (ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(MAX_TTL) > 0) {
      throw new IllegalArgumentException("a portal link lives from 10s to 24h, not " + ttl);
    }
    Instant now = clock.instant();
    String token = ApiKeys.generate(PREFIX);
    return store
        .savePortalLink(tenantId, ApiKeys.hash(token), now, now.plus(ttl), MAX_ACTIVE_PER_TENANT)
        .map(link -> new Issued(link, token))
        .orElseThrow(() -> new TooManyLinksException(tenantId));
  }

  /** The link, if the presented text is the token of a link neither revoked nor expired. */
  public Optional<PortalLinkInfo> authenticate(String presented) {
    if (presented == null || !presented.startsWith(PREFIX) || presented.length() > 200) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    return answers
        .get(ApiKeys.hash(presented), now, store::findPortalLinkByHash)
        .filter(link -> link.expiresAt().isAfter(now));
  }

  /** The tenant's live links, oldest first. */
  public List<PortalLinkInfo> linksOf(String tenantId) {
    return store.portalLinksOf(tenantId, clock.instant());
  }

  /**
   * Revokes a tenant's link; it stops working on this instance at once.
   *
   * @return false when the tenant has no such link
   */
  public boolean revoke(String tenantId, String linkId) {
    boolean revoked = store.revokePortalLink(tenantId, linkId);
    answers.forget(link -> link.id().equals(linkId));
    return revoked;
  }

  /** Forgets every answer about the tenant's links: a deleted tenant's links fail here at once. */
  public void forgetTenant(String tenantId) {
    answers.forget(link -> link.tenantId().equals(tenantId));
  }
}
