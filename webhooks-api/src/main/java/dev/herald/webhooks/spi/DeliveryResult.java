package dev.herald.webhooks.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * The outcome of working on one claimed delivery, recorded in batches.
 *
 * @param deliveryId the delivery
 * @param attempt the attempt made, or null when none was (an open circuit postponed it)
 * @param next what happens to the delivery now
 * @param endpointGone the receiver asked not to be called again ({@code 410 Gone}): the store
 *     disables the endpoint when it records this result
 * @param batchId for a member of a batched request, the batch's id (its first member's delivery
 *     id): the members are retried together under it; null otherwise
 */
public record DeliveryResult(
    String deliveryId, AttemptRecord attempt, Next next, boolean endpointGone, String batchId) {
  public DeliveryResult {
    Objects.requireNonNull(deliveryId, "deliveryId");
    Objects.requireNonNull(next, "next");
  }

  public DeliveryResult(String deliveryId, AttemptRecord attempt, Next next, boolean endpointGone) {
    this(deliveryId, attempt, next, endpointGone, null);
  }

  public DeliveryResult(String deliveryId, AttemptRecord attempt, Next next) {
    this(deliveryId, attempt, next, false, null);
  }

  /** The delivery's next state. */
  public sealed interface Next {}

  /** Delivered; nothing more to do. */
  public record Succeeded() implements Next {}

  /** Try again at {@code at}; counts the attempt. */
  public record RetryAt(Instant at) implements Next {}

  /**
   * Not tried (the transport refused it, e.g. Redis' circuit is open, or the worker stopped): try
   * again at {@code at} without counting an attempt.
   */
  public record Postponed(Instant at) implements Next {}

  /** No more attempts: the delivery goes to the dead-letter queue. */
  public record Dead(String reason) implements Next {}
}
