/**
 * Pure circuit-breaker transitions over the persisted {@link dev.herald.webhooks.spi.CircuitState}
 * of an endpoint; the store keeps the state and applies transitions atomically.
 */
package dev.herald.webhooks.core.circuit;
