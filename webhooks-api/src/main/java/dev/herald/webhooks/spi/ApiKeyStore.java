package dev.herald.webhooks.spi;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Tenants' API keys, kept as hashes only: the clear key is shown once when issued and cannot be
 * read back. Thread-safe.
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
}
