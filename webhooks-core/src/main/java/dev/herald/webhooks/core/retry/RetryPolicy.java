package dev.herald.webhooks.core.retry;

import static dev.herald.webhooks.core.retry.Checks.check;

import dev.herald.webhooks.spi.DeliveryResult;
import dev.herald.webhooks.spi.SendOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides what a delivery does after an attempt: done, retry at a time, or dead. A destination's
 * {@code Retry-After} is honoured when it asks for longer than the schedule, up to a cap (by
 * default the schedule's longest delay). Disabling an endpoint on 410 is the worker's job: it reads
 * {@link SendOutcome.Failed#disableEndpoint()}. Immutable; thread-safe when its jitter is.
 */
public final class RetryPolicy {

  private static final RetryPolicy DEFAULTS =
      new RetryPolicy(RetrySchedule.defaults(), Jitter.defaults());

  private final RetrySchedule schedule;
  private final Jitter jitter;
  private final Duration retryAfterCap;

  /** A policy capping {@code Retry-After} at the schedule's longest delay. */
  public RetryPolicy(RetrySchedule schedule, Jitter jitter) {
    this(schedule, jitter, Objects.requireNonNull(schedule, "schedule").maxDelay());
  }

  public RetryPolicy(RetrySchedule schedule, Jitter jitter, Duration retryAfterCap) {
    this.schedule = Objects.requireNonNull(schedule, "schedule");
    this.jitter = Objects.requireNonNull(jitter, "jitter");
    Objects.requireNonNull(retryAfterCap, "retryAfterCap");
    this.retryAfterCap =
        check(retryAfterCap, !retryAfterCap.isNegative(), "Retry-After cap must be >= 0");
  }

  /** The default schedule with ±20 % jitter. */
  public static RetryPolicy defaults() {
    return DEFAULTS;
  }

  public RetrySchedule schedule() {
    return schedule;
  }

  public Jitter jitter() {
    return jitter;
  }

  public Duration retryAfterCap() {
    return retryAfterCap;
  }

  /**
   * What happens after attempt {@code attemptNumber} (counted from 1) ended in {@code outcome} at
   * {@code now}.
   */
  public DeliveryResult.Next next(int attemptNumber, SendOutcome outcome, Instant now) {
    check(attemptNumber, attemptNumber >= 1, "Attempt number must be >= 1");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(now, "now");
    // Java 17 has no pattern switch; SendOutcome is sealed to exactly these four.
    if (outcome instanceof SendOutcome.Refused refused) {
      return afterRefusal(refused, now);
    }
    if (outcome instanceof SendOutcome.Retry retry) {
      return retry(attemptNumber, retry, now);
    }
    if (outcome instanceof SendOutcome.Failed failed) {
      return new DeliveryResult.Dead(describe(failed.error()));
    }
    return new DeliveryResult.Succeeded();
  }

  /**
   * The least wait after a refusal, so that a transport refusing with no delay is not looped on.
   */
  public static final Duration MIN_REFUSAL_WAIT = Duration.ofSeconds(1);

  /**
   * A refused send spent no attempt: the delivery waits what the transport asked, at least {@link
   * #MIN_REFUSAL_WAIT}, whatever the schedule or its age.
   */
  public static DeliveryResult.Next afterRefusal(SendOutcome.Refused refused, Instant now) {
    Duration wait = refused.retryAfter();
    return new DeliveryResult.Postponed(
        now.plus(wait.compareTo(MIN_REFUSAL_WAIT) < 0 ? MIN_REFUSAL_WAIT : wait));
  }

  private DeliveryResult.Next retry(int attemptNumber, SendOutcome.Retry outcome, Instant now) {
    Optional<Duration> scheduled = schedule.delayBeforeAttempt(attemptNumber + 1);
    if (scheduled.isEmpty()) {
      return new DeliveryResult.Dead(
          "Gave up after "
              + attemptNumber
              + (attemptNumber == 1 ? " attempt: " : " attempts: ")
              + describe(outcome.error()));
    }
    Duration delay = jitter.apply(scheduled.get());
    if (outcome.retryAfter() != null) {
      Duration requested = min(outcome.retryAfter(), retryAfterCap);
      // The schedule still sets a floor: a receiver answering "Retry-After: 0" in a loop must not
      // get hammered.
      if (requested.compareTo(delay) > 0) {
        delay = requested;
      }
    }
    return new DeliveryResult.RetryAt(now.plus(delay));
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static String describe(SendOutcome.Error error) {
    return error.type() + " (" + error.message() + ")";
  }

  @Override
  public String toString() {
    return "RetryPolicy[" + schedule + ", " + jitter + ", retryAfterCap=" + retryAfterCap + "]";
  }
}
