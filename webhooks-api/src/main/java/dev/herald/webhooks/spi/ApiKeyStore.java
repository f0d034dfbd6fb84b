package dev.herald.webhooks.spi;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Tenants' API keys and portal links, kept as hashes only: the clear key or link token is shown
 * once when issued and cannot be read back. Thread-safe.
 */
public interface ApiKeyStore {

  /**
   * One key, without its secret.
   *
   * @param id key id, {@code key_...}
   * @param tenantId the tenant it authenticates
   * @param description what it is for, may be null
   * @param createdAt when it was issued
   * @param lastUsedAt when it last authenticated a request (updated at most once a minute), or null
   */
  record ApiKeyInfo(
      String id, String tenantId, String description, Instant createdAt, Instant lastUsedAt) {}

  /** Stores a new key's hash for the tenant. */
  ApiKeyInfo saveKey(String tenantId, String description, String keyHash);

  /** The key with this hash, if it exists (revoked keys do not). */
  Optional<ApiKeyInfo> findKeyByHash(String keyHash);

  /** The tenant's keys, oldest first. */
  List<ApiKeyInfo> keysOf(String tenantId);

  /** Revokes a key of the tenant: it stops authenticating at once. */
  boolean revokeKey(String tenantId, String keyId);

  /** Records that the key was used now. */
  void touchKey(String keyId, Instant now);

  /**
   * One portal link, without its token: a short-lived credential that opens the admin UI on one
   * tenant's endpoints, deliveries and dead letters.
   *
   * @param id link id, {@code prt_...}
   * @param tenantId the tenant whose data the link shows
   * @param createdAt when it was issued
   * @param expiresAt when it stops working
   */
  record PortalLinkInfo(String id, String tenantId, Instant createdAt, Instant expiresAt) {}

  /**
   * Stores a new portal link's token hash for the tenant, unless it already holds {@code maxLive}
   * links that have not expired by {@code now} (counted in the same transaction); links of any
   * tenant expired by {@code now} are removed on the way, so that expired rows never pile up.
   *
   * @return the link, or empty when the tenant holds {@code maxLive} live links
   */
  Optional<PortalLinkInfo> savePortalLink(
      String tenantId, String tokenHash, Instant now, Instant expiresAt, int maxLive);

  /** The link with this hash, if it exists (revoked links do not; expired ones may). */
  Optional<PortalLinkInfo> findPortalLinkByHash(String tokenHash);

  /** The tenant's links that have not expired by {@code now}, oldest first. */
  List<PortalLinkInfo> portalLinksOf(String tenantId, Instant now);

  /** Revokes a link of the tenant: its row is removed. */
  boolean revokePortalLink(String tenantId, String linkId);
}
