package dev.herald.webhooks.api;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Where events go while a system moves from Redis to webhooks (DESIGN section 6). */
public enum MigrationPhase {
  /** Redis only: the old system, and the rollback position. */
  REDIS_ONLY("redis-only"),
  /** Every event goes to webhooks and to Redis. */
  DUAL("dual"),
  /** Webhooks; Redis only for events whose webhook delivery went dead or met an open circuit. */
  WEBHOOK_PRIMARY("webhook-primary"),
  /** Webhooks only; Redis is not needed. */
  WEBHOOK_ONLY("webhook-only");

  private final String wireName;

  MigrationPhase(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in configuration and JSON, e.g. {@code webhook-primary}. */
  public String wireName() {
    return wireName;
  }

  public boolean sendsWebhooks() {
    return this != REDIS_ONLY;
  }

  /** Whether some events go to Redis in this phase, so that it needs {@code REDIS_URL}. */
  public boolean needsRedis() {
    return this != WEBHOOK_ONLY;
  }

  /** Whether every event also goes to Redis at publish time. */
  public boolean publishesEveryEventToRedis() {
    return this == REDIS_ONLY || this == DUAL;
  }

  /**
   * Parses a phase by its wire name (case-insensitive; underscores accepted for hyphens).
   *
   * @throws IllegalArgumentException naming the allowed values
   */
  public static MigrationPhase fromWireName(String name) {
    if (name != null) {
      String normalized = name.trim().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
      for (MigrationPhase phase : values()) {
        if (phase.wireName.equals(normalized)) {
          return phase;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown migration phase '" + name + "'; allowed: " + allowedNames());
  }

  /** The wire names, comma-separated, for error messages. */
  public static String allowedNames() {
    return Arrays.stream(values()).map(MigrationPhase::wireName).collect(Collectors.joining(", "));
  }
}
