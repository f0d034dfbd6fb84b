package dev.herald.webhooks.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * What a claim needs to know beyond the store.
 *
 * @param circuitOpenFor how long an endpoint's open circuit refuses requests before one probe
 * @param fallsBackToRedis whether a tenant's events go to Redis while their endpoint's circuit is
 *     open (the {@code webhook-primary} phase)
 */
public record ClaimRules(Duration circuitOpenFor, Predicate<String> fallsBackToRedis) {
  /** Circuits open for 5 minutes, no Redis fallback. */
  public static final ClaimRules DEFAULTS = new ClaimRules(Duration.ofMinutes(5), tenant -> false);

  public ClaimRules {
    Objects.requireNonNull(circuitOpenFor, "circuitOpenFor");
    Objects.requireNonNull(fallsBackToRedis, "fallsBackToRedis");
  }
}
