package dev.herald.webhooks.worker;

import dev.herald.webhooks.spi.AttemptRecord;
import dev.herald.webhooks.spi.ClaimedDelivery;
import dev.herald.webhooks.spi.DeliveryResult;
import dev.herald.webhooks.spi.SendOutcome;
import java.time.Duration;
import java.time.Instant;

/** Turns what happened to a claimed delivery into the result the store records. Stateless. */
final class Outcomes {
  private Outcomes() {}

  /**
   * A send's result: a refused send was no attempt; a {@code 410 Gone} tells the store to disable
   * the endpoint.
   */
  static DeliveryResult of(
      ClaimedDelivery delivery, Instant startedAt, SendOutcome outcome, DeliveryResult.Next next) {
    if (outcome instanceof SendOutcome.Refused) {
      return noAttempt(delivery, next);
    }
    return new DeliveryResult(
        delivery.deliveryId(),
        attempt(delivery.attempt(), startedAt, outcome),
        next,
        outcome instanceof SendOutcome.Failed failed && failed.disableEndpoint());
  }

  /** Nothing was sent: the delivery becomes {@code next} without an attempt. */
  static DeliveryResult noAttempt(ClaimedDelivery delivery, DeliveryResult.Next next) {
    return new DeliveryResult(delivery.deliveryId(), null, next);
  }

  /** Our own failure (a bad stored secret, a missing transport), as a retryable outcome. */
  static SendOutcome internalError(RuntimeException e) {
    return new SendOutcome.Retry(
        null,
        Duration.ZERO,
        new SendOutcome.Error(
            "internal_error", e.getClass().getSimpleName() + ": " + e.getMessage()),
        null);
  }

  private static AttemptRecord attempt(int number, Instant startedAt, SendOutcome outcome) {
    SendOutcome.Response response = outcome.response();
    SendOutcome.Error error = outcome.error();
    return new AttemptRecord(
        number,
        startedAt,
        outcome.duration(),
        response == null ? null : response.statusCode(),
        response == null ? null : response.bodyExcerpt(),
        error == null ? null : error.type(),
        error == null ? null : error.message());
  }
}
