package dev.herald.webhooks.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * How recorded outcomes change an endpoint's health: the store applies them in the transaction that
 * records the outcomes.
 *
 * @param failureThreshold consecutive failures that open the endpoint's circuit, >= 1
 * @param circuitOpenFor how long an open circuit refuses requests before one probe
 * @param autoDisableAfter an endpoint failing without a success for this long is disabled
 */
public record HealthRules(
    int failureThreshold, Duration circuitOpenFor, Duration autoDisableAfter) {
  /** Opens after 5 failures for 5 minutes; disables after 5 days of failures. */
  public static final HealthRules DEFAULTS =
      new HealthRules(5, Duration.ofMinutes(5), Duration.ofDays(5));

  public HealthRules {
    if (failureThreshold < 1) {
      throw new IllegalArgumentException("failureThreshold must be >= 1, was " + failureThreshold);
    }
    Objects.requireNonNull(circuitOpenFor, "circuitOpenFor");
    Objects.requireNonNull(autoDisableAfter, "autoDisableAfter");
  }
}
