package dev.herald.webhooks.spi;

import java.util.function.UnaryOperator;

/** Keeps per-endpoint circuit-breaker state where every worker process sees it. Thread-safe. */
public interface CircuitStateStore {

  /** The endpoint's state, {@link CircuitState#INITIAL} when none is stored. */
  CircuitState load(String endpointId);

  /**
   * Atomically replaces the endpoint's state with {@code transition} applied to the current one,
   * and returns the new state. Concurrent updates from other processes are not lost.
   */
  CircuitState update(String endpointId, UnaryOperator<CircuitState> transition);
}
