package dev.herald.webhooks.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * The persisted state of one endpoint's circuit breaker. Transitions live in the core's circuit
 * breaker policy; the store only keeps the value.
 *
 * @param status closed, open or half-open
 * @param consecutiveFailures failures since the last success
 * @param openedAt when the circuit last opened, or null
 */
public record CircuitState(Status status, int consecutiveFailures, Instant openedAt) {
  /** The three states of a circuit breaker. */
  public enum Status {
    CLOSED,
    OPEN,
    HALF_OPEN
  }

  public static final CircuitState INITIAL = new CircuitState(Status.CLOSED, 0, null);

  public CircuitState {
    Objects.requireNonNull(status, "status");
    if (consecutiveFailures < 0) {
      throw new IllegalArgumentException("consecutiveFailures must be >= 0");
    }
    if (status != Status.CLOSED && openedAt == null) {
      throw new IllegalArgumentException(status + " circuit needs openedAt");
    }
  }
}
