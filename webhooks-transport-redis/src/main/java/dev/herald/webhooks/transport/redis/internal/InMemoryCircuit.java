package dev.herald.webhooks.transport.redis.internal;

import dev.herald.webhooks.core.circuit.CircuitBreakerPolicy;
import dev.herald.webhooks.spi.CircuitState;
import dev.herald.webhooks.spi.CircuitState.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One circuit breaker kept in memory, following a {@link CircuitBreakerPolicy}: while open, sends
 * are refused without touching Redis; once the open duration has passed, one probe goes through
 * (half-open) and its result closes or reopens the circuit. Thread-safe.
 */
public final class InMemoryCircuit {

  private final CircuitBreakerPolicy policy;
  private final Clock clock;
  private CircuitState state = CircuitState.INITIAL;
  private boolean probeInFlight;

  public InMemoryCircuit(CircuitBreakerPolicy policy, Clock clock) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Whether the circuit refuses sends now, without claiming a probe. */
  public synchronized boolean isOpen() {
    return !policy.allowsRequest(state, clock.instant())
        || (state.status() == Status.HALF_OPEN && probeInFlight);
  }

  /**
   * Claims the right to send: always when closed; when half-open only the first caller (the probe).
   * Each successful claim must be followed by {@link #onSuccess}, {@link #onFailure} or {@link
   * #onNeutral}.
   */
  public synchronized boolean tryAcquire() {
    Instant now = clock.instant();
    state = policy.toHalfOpenIfDue(state, now);
    return switch (state.status()) {
      case CLOSED -> true;
      case OPEN -> false;
      case HALF_OPEN -> {
        if (probeInFlight) {
          yield false;
        }
        probeInFlight = true;
        yield true;
      }
    };
  }

  public synchronized void onSuccess() {
    state = policy.onSuccess(state);
    probeInFlight = false;
  }

  public synchronized void onFailure() {
    state = policy.onFailure(state, clock.instant());
    probeInFlight = false;
  }

  /** A result that says nothing about Redis' health (e.g. a bad payload): frees the probe slot. */
  public synchronized void onNeutral() {
    probeInFlight = false;
  }

  /** How long until a probe may go, or zero when the circuit is closed. */
  public synchronized Duration retryAfter() {
    if (state.status() == Status.CLOSED) {
      return Duration.ZERO;
    }
    Duration left = Duration.between(clock.instant(), policy.retryAt(state));
    return left.isNegative() ? Duration.ZERO : left;
  }

  public synchronized CircuitState state() {
    return state;
  }
}
