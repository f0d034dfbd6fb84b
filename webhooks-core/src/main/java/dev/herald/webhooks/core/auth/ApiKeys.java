package dev.herald.webhooks.core.auth;

import dev.herald.webhooks.spi.ApiKeyStore;
import dev.herald.webhooks.spi.ApiKeyStore.ApiKeyInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * Issues and checks tenants' API keys. A key is {@code hrk_} and 32 random bytes in URL-safe
 * Base64; only its SHA-256 is stored (a fast hash suffices: the key has 256 bits of entropy, so
 * there is nothing to brute-force). What the store answered for a key is trusted for a short while
 * (the poll interval in the server), so that a busy client costs no store query per request; a key
 * revoked on another instance stops working here within that while, one revoked here at once.
 * Thread-safe.
 */
public final class ApiKeys {
  public static final String PREFIX = "hrk_";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

  /** A key as issued: the clear key is shown to the caller once and never again. */
  public record Issued(ApiKeyInfo info, String key) {
    @Override
    public String toString() {
      return "Issued[info=" + info + ", key=" + PREFIX + "****]";
    }
  }

  private final ApiKeyStore store;
  private final Clock clock;
  private final TrustedAnswers<ApiKeyInfo> answers;

  /** Asks the store for every key presented. */
  public ApiKeys(ApiKeyStore store, Clock clock) {
    this(store, clock, Duration.ZERO);
  }

  /**
   * @param trustFor how long the store's answer for a key (found or not) is used without asking
   *     again; zero to ask every time
   */
  public ApiKeys(ApiKeyStore store, Clock clock, Duration trustFor) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.answers = new TrustedAnswers<>(trustFor);
  }

  /** Issues a new key for the tenant. */
  public Issued issue(String tenantId, String description) {
    String key = generate(PREFIX);
    return new Issued(store.saveKey(tenantId, description, hash(key)), key);
  }

  /** The key's tenant and id, if the presented text is a live key. */
  public Optional<ApiKeyInfo> authenticate(String presented) {
    if (presented == null || !presented.startsWith(PREFIX) || presented.length() > 200) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    return answers.get(
        hash(presented),
        now,
        hash -> {
          Optional<ApiKeyInfo> found = store.findKeyByHash(hash);
          found
              .filter(i -> i.lastUsedAt() == null || i.lastUsedAt().plus(TOUCH_EVERY).isBefore(now))
              .ifPresent(i -> store.touchKey(i.id(), now));
          return found;
        });
  }

  /**
   * Revokes a tenant's key; it stops working on this instance at once.
   *
   * @return false when the tenant has no such key
   */
  public boolean revoke(String tenantId, String keyId) {
    boolean revoked = store.revokeKey(tenantId, keyId);
    answers.forget(i -> i.id().equals(keyId));
    return revoked;
  }

  /** Forgets every answer about the tenant's keys: a deleted tenant's keys fail here at once. */
  public void forgetTenant(String tenantId) {
    answers.forget(i -> i.tenantId().equals(tenantId));
  }

  /** {@code prefix} and 32 random bytes in URL-safe Base64. */
  static String generate(String prefix) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String hash(String key) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /** Constant-time comparison of a presented key with the configured operator key. */
  public static boolean matchesOperatorKey(String presented, String operatorKey) {
    if (presented == null || operatorKey == null || operatorKey.isEmpty()) {
      return false;
    }
    // Comparing hashes keeps the time independent of where the texts differ and of their length.
    return MessageDigest.isEqual(
        hash(presented).getBytes(StandardCharsets.US_ASCII),
        hash(operatorKey).getBytes(StandardCharsets.US_ASCII));
  }
}
