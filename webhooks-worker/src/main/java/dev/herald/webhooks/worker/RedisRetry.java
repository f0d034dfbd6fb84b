package dev.herald.webhooks.worker;

import dev.herald.webhooks.core.retry.RetryPolicy;
import dev.herald.webhooks.spi.DeliveryResult;
import dev.herald.webhooks.spi.SendOutcome;
import java.time.Duration;
import java.time.Instant;

/**
 * What a delivery to Redis does after a send. Every such delivery shares one destination, so the
 * Redis transport's circuit breaker paces them, not the delivery schedule: after a failed publish
 * the delivery is due again when the circuit next lets a publish through (at once while it is
 * closed, at its probe while it is open), and a refused one waits the same way without an attempt.
 * When Redis answers again, the whole backlog is due within the circuit's open duration. A delivery
 * goes to the dead letters only when Redis refuses it for good (a stream key of the wrong type, an
 * unreadable payload), or when it fails older than the operator's maximum age. Immutable.
 */
final class RedisRetry {
  /** The least wait before a delivery is looked at again, so that nothing loops without pause. */
  static final Duration MIN_WAIT = Duration.ofSeconds(1);

  private final Duration maxAge;

  /**
   * @param maxAge a delivery failing older than this goes to the dead letters; null for never
   */
  RedisRetry(Duration maxAge) {
    this.maxAge = maxAge;
  }

  /**
   * @param createdAt when the delivery's event was accepted
   * @param pausedFor how long the transport refuses every publish from now
   */
  DeliveryResult.Next next(
      SendOutcome outcome, Instant createdAt, Duration pausedFor, Instant now) {
    if (outcome instanceof SendOutcome.Succeeded) {
      return new DeliveryResult.Succeeded();
    }
    if (outcome instanceof SendOutcome.Failed failed) {
      return new DeliveryResult.Dead(describe(failed.error()));
    }
    if (outcome instanceof SendOutcome.Refused refused) {
      return RetryPolicy.afterRefusal(refused, now);
    }
    SendOutcome.Retry retry = (SendOutcome.Retry) outcome;
    if (maxAge != null && createdAt.plus(maxAge).isBefore(now)) {
      return new DeliveryResult.Dead(
          "older than HERALD_REDIS_MAX_AGE ("
              + maxAge
              + ") and Redis still fails: "
              + describe(retry.error()));
    }
    return new DeliveryResult.RetryAt(now.plus(atLeastMinWait(pausedFor)));
  }

  private static Duration atLeastMinWait(Duration wait) {
    return wait.compareTo(MIN_WAIT) < 0 ? MIN_WAIT : wait;
  }

  private static String describe(SendOutcome.Error error) {
    return error.type() + " (" + error.message() + ")";
  }
}
