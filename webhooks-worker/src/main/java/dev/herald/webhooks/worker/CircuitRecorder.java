package dev.herald.webhooks.worker;

import dev.herald.webhooks.core.circuit.CircuitBreakerPolicy;
import dev.herald.webhooks.spi.CircuitState;
import dev.herald.webhooks.spi.CircuitStateStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records each send's outcome in its endpoint's circuit, which the store shares between every
 * process and changes atomically. A success is not written again while this worker saw the circuit
 * close moments ago: only moments, since another process may open it meanwhile, and the probe that
 * follows its open period must close it again. Thread-safe.
 */
final class CircuitRecorder {
  private static final Duration CLOSED_KNOWN_FOR = Duration.ofMillis(250);

  private final CircuitStateStore circuits;
  private final CircuitBreakerPolicy policy;
  private final Map<String, Instant> closedSeenAt = new ConcurrentHashMap<>();
  // Bumped by every failure: a close seen before the bump must not be remembered after it.
  private final Map<String, Long> failures = new ConcurrentHashMap<>();

  CircuitRecorder(CircuitStateStore circuits, CircuitBreakerPolicy policy) {
    this.circuits = circuits;
    this.policy = policy;
  }

  void succeeded(String endpointId, Instant now) {
    Instant seen = closedSeenAt.get(endpointId);
    if (seen != null && !seen.plus(CLOSED_KNOWN_FOR).isBefore(now)) {
      return;
    }
    long before = failures.getOrDefault(endpointId, 0L);
    CircuitState state = circuits.update(endpointId, policy::onSuccess);
    if (state.equals(CircuitState.INITIAL)) {
      // A failure recorded meanwhile bumped the count first, then cleared the entry: either this
      // sees the new count, or the clearing comes after this put.
      closedSeenAt.compute(
          endpointId, (id, old) -> failures.getOrDefault(id, 0L) == before ? now : old);
    }
  }

  /** The circuit's state when this failure opened it; empty when it did not. */
  Optional<CircuitState> failed(String endpointId, Instant now) {
    CircuitState[] before = new CircuitState[1];
    CircuitState after =
        circuits.update(
            endpointId,
            s -> {
              before[0] = s;
              return policy.onFailure(s, now);
            });
    failures.merge(endpointId, 1L, Long::sum);
    closedSeenAt.remove(endpointId);
    boolean opened =
        after.status() == CircuitState.Status.OPEN
            && (before[0] == null || before[0].status() != CircuitState.Status.OPEN);
    return opened ? Optional.of(after) : Optional.empty();
  }
}
