package dev.herald.webhooks.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What a claim needs to know beyond the store.
 *
 * @param circuitOpenFor how long an endpoint's open circuit refuses requests before one probe
 * @param fallsBackToRedis whether a tenant's events go to Redis while their endpoint's circuit is
 *     open (the {@code webhook-primary} phase)
 * @param pausedTransports transports that refuse every send now ({@link Transport#pausedFor()}):
 *     their deliveries are not claimed
 */
public record ClaimRules(
    Duration circuitOpenFor, Predicate<String> fallsBackToRedis, Set<String> pausedTransports) {
  /** Circuits open for 5 minutes, no Redis fallback, no transport paused. */
  public static final ClaimRules DEFAULTS =
      new ClaimRules(Duration.ofMinutes(5), tenant -> false, Set.of());

  public ClaimRules {
    Objects.requireNonNull(circuitOpenFor, "circuitOpenFor");
    Objects.requireNonNull(fallsBackToRedis, "fallsBackToRedis");
    pausedTransports = Set.copyOf(pausedTransports);
  }

  /** These rules, with {@code paused} as the paused transports. */
  public ClaimRules pausing(Set<String> paused) {
    return new ClaimRules(circuitOpenFor, fallsBackToRedis, paused);
  }
}
