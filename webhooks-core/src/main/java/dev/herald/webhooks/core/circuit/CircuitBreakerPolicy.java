package dev.herald.webhooks.core.circuit;

import dev.herald.webhooks.spi.CircuitState;
import dev.herald.webhooks.spi.CircuitState.Status;
import dev.herald.webhooks.spi.CircuitStateStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Transitions of an endpoint's circuit breaker: it opens after {@code failureThreshold} consecutive
 * failures, lets a probe through once {@code openDuration} has passed (half-open), closes on a
 * success and opens again on a failure.
 *
 * <p>The policy holds no state: the {@link CircuitStateStore} persists each endpoint's {@link
 * CircuitState} and applies these transitions atomically through {@link CircuitStateStore#update},
 * e.g. {@code store.update(id, s -> policy.onFailure(s, now))}, so that concurrent workers do not
 * lose each other's counts. While the circuit is open, claims postpone its deliveries without
 * spending attempts (see {@link dev.herald.webhooks.core.delivery.Admission}). Immutable and
 * thread-safe.
 */
public final class CircuitBreakerPolicy {

  public static final int DEFAULT_FAILURE_THRESHOLD = 5;
  public static final Duration DEFAULT_OPEN_DURATION = Duration.ofMinutes(5);

  private static final CircuitBreakerPolicy DEFAULTS =
      new CircuitBreakerPolicy(DEFAULT_FAILURE_THRESHOLD, DEFAULT_OPEN_DURATION);

  private final int failureThreshold;
  private final Duration openDuration;

  /**
   * @param failureThreshold consecutive failures that open the circuit, >= 1
   * @param openDuration how long an open circuit refuses requests before a probe, > 0
   */
  public CircuitBreakerPolicy(int failureThreshold, Duration openDuration) {
    Objects.requireNonNull(openDuration, "openDuration");
    this.failureThreshold =
        check(failureThreshold, failureThreshold >= 1, "Failure threshold must be >= 1");
    this.openDuration =
        check(
            openDuration,
            !openDuration.isNegative() && !openDuration.isZero(),
            "Open duration must be > 0");
  }

  /** Opens after 5 consecutive failures; half-open after 5 minutes. */
  public static CircuitBreakerPolicy defaults() {
    return DEFAULTS;
  }

  public int failureThreshold() {
    return failureThreshold;
  }

  public Duration openDuration() {
    return openDuration;
  }

  /**
   * Whether a request may go now: yes when closed or half-open; when open, only once the open
   * duration has elapsed (the circuit is then effectively half-open).
   */
  public boolean allowsRequest(CircuitState state, Instant now) {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(now, "now");
    return state.status() != Status.OPEN || openDurationElapsed(state, now);
  }

  /** After a success: closed, with no failures counted. */
  public CircuitState onSuccess(CircuitState state) {
    Objects.requireNonNull(state, "state");
    return CircuitState.INITIAL;
  }

  /**
   * After a failure at {@code now}: a closed circuit counts it and opens at the threshold; a failed
   * probe (half-open, or open with the open duration elapsed) opens the circuit again from {@code
   * now}. A failure while the circuit is still open (a request that started before it opened) is
   * counted but does not extend the open period.
   */
  public CircuitState onFailure(CircuitState state, Instant now) {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(now, "now");
    int failures = saturatedIncrement(state.consecutiveFailures());
    return switch (state.status()) {
      case CLOSED ->
          failures >= failureThreshold
              ? new CircuitState(Status.OPEN, failures, now)
              : new CircuitState(Status.CLOSED, failures, null);
      case HALF_OPEN -> new CircuitState(Status.OPEN, failures, now);
      case OPEN ->
          new CircuitState(
              Status.OPEN, failures, openDurationElapsed(state, now) ? now : state.openedAt());
    };
  }

  /** An open circuit whose open duration has elapsed becomes half-open; any other is unchanged. */
  public CircuitState toHalfOpenIfDue(CircuitState state, Instant now) {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(now, "now");
    if (state.status() == Status.OPEN && openDurationElapsed(state, now)) {
      return new CircuitState(Status.HALF_OPEN, state.consecutiveFailures(), state.openedAt());
    }
    return state;
  }

  /**
   * When an open (or half-open) circuit allows a probe: {@code openedAt + openDuration}. The worker
   * postpones deliveries to this instant without counting an attempt.
   *
   * @throws IllegalArgumentException for a closed circuit, which allows requests at once
   */
  public Instant retryAt(CircuitState state) {
    Objects.requireNonNull(state, "state");
    if (state.status() == Status.CLOSED) {
      throw new IllegalArgumentException("A closed circuit allows requests now; check it first");
    }
    return state.openedAt().plus(openDuration);
  }

  private boolean openDurationElapsed(CircuitState state, Instant now) {
    return !now.isBefore(retryAt(state));
  }

  private static int saturatedIncrement(int n) {
    return n == Integer.MAX_VALUE ? n : n + 1;
  }

  private static <T> T check(T value, boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
    return value;
  }

  private static int check(int value, boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
    return value;
  }

  @Override
  public String toString() {
    return "CircuitBreakerPolicy[failureThreshold="
        + failureThreshold
        + ", openDuration="
        + openDuration
        + "]";
  }
}
