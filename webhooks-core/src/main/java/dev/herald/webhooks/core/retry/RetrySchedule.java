package dev.herald.webhooks.core.retry;

import static dev.herald.webhooks.core.retry.Checks.check;

import dev.herald.webhooks.core.time.DurationText;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The delays before attempts 2, 3, ... of a delivery; attempt 1 goes at once. Immutable and
 * thread-safe.
 */
public final class RetrySchedule {

  private static final RetrySchedule DEFAULTS =
      new RetrySchedule(
          List.of(
              Duration.ofSeconds(1),
              Duration.ofSeconds(5),
              Duration.ofSeconds(30),
              Duration.ofMinutes(5),
              Duration.ofMinutes(30)));

  private final List<Duration> delays;

  private RetrySchedule(List<Duration> delays) {
    Objects.requireNonNull(delays, "delays");
    List<Duration> copy = new ArrayList<>(delays.size());
    for (int i = 0; i < delays.size(); i++) {
      Duration delay = Objects.requireNonNull(delays.get(i), "delay " + (i + 1));
      copy.add(
          check(
              delay, !delay.isNegative(), "Delay " + (i + 1) + " must be >= 0, but was " + delay));
    }
    this.delays = Collections.unmodifiableList(copy);
  }

  /** Attempt 1 at once, then after 1 s, 5 s, 30 s, 5 min and 30 min; dead after attempt 6. */
  public static RetrySchedule defaults() {
    return DEFAULTS;
  }

  /** A schedule with these delays before attempts 2, 3, ...; an empty list means no retries. */
  public static RetrySchedule of(List<Duration> delays) {
    return new RetrySchedule(delays);
  }

  /**
   * {@code retries} delays starting at {@code initial}, each {@code multiplier} times the previous
   * one, none longer than {@code max}. {@code exponential(2 s, 2, 1 h, 5)} gives 2, 4, 8, 16, 32 s.
   */
  public static RetrySchedule exponential(
      Duration initial, double multiplier, Duration max, int retries) {
    Objects.requireNonNull(initial, "initial");
    Objects.requireNonNull(max, "max");
    check(initial, !initial.isNegative(), "Initial delay must be >= 0");
    check(multiplier, multiplier >= 1 && Double.isFinite(multiplier), "Multiplier must be >= 1");
    check(max, max.compareTo(initial) >= 0, "Max delay must be >= initial delay");
    check(retries, retries >= 0, "Retries must be >= 0");

    BigDecimal maxSeconds = Durations.seconds(max);
    BigDecimal factor = BigDecimal.valueOf(multiplier);
    BigDecimal current = Durations.seconds(initial);
    List<Duration> delays = new ArrayList<>(retries);
    for (int i = 0; i < retries; i++) {
      if (current.compareTo(maxSeconds) >= 0) {
        // Once capped, every later delay is the cap: stop multiplying (the numbers only grow).
        delays.add(max);
        continue;
      }
      delays.add(Durations.of(current));
      current = current.multiply(factor);
    }
    return new RetrySchedule(delays);
  }

  /**
   * Parses a comma-separated list of delays in the forms of {@link DurationText}: {@code
   * 1s,5s,30s,5m,30m}.
   *
   * @throws IllegalArgumentException naming the element that is not a valid delay
   */
  public static RetrySchedule parse(String text) {
    Objects.requireNonNull(text, "text");
    check(
        text,
        !text.isBlank(),
        "Retry schedule must not be blank; give delays such as \"1s,5s,30s,5m,30m\"");
    String[] elements = text.split(",", -1);
    List<Duration> delays = new ArrayList<>(elements.length);
    for (int i = 0; i < elements.length; i++) {
      String element = elements[i].strip();
      Duration delay = parseElement(element);
      if (delay == null || delay.isNegative()) {
        throw new IllegalArgumentException(
            "Invalid retry schedule \""
                + text
                + "\": element "
                + (i + 1)
                + " \""
                + element
                + "\" is not a delay >= 0 (use e.g. 30s, 5m or PT30S)");
      }
      delays.add(delay);
    }
    return new RetrySchedule(delays);
  }

  private static Duration parseElement(String element) {
    return DurationText.parse(element).orElse(null);
  }

  /** The delays before attempts 2, 3, ...; unmodifiable. */
  public List<Duration> delays() {
    return delays;
  }

  /** The number of attempts in all, the first included. */
  public int maxAttempts() {
    return delays.size() + 1;
  }

  /** The longest delay of the schedule, or zero when it has none. */
  public Duration maxDelay() {
    return delays.stream().max(Duration::compareTo).orElse(Duration.ZERO);
  }

  /**
   * The delay before attempt {@code attemptNumber} (counted from 1; attempt 1 has no delay), or
   * empty when the schedule has no such attempt.
   */
  public Optional<Duration> delayBeforeAttempt(int attemptNumber) {
    check(attemptNumber, attemptNumber >= 1, "Attempt number must be >= 1");
    if (attemptNumber == 1) {
      return Optional.of(Duration.ZERO);
    }
    int index = attemptNumber - 2;
    return index < delays.size() ? Optional.of(delays.get(index)) : Optional.empty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RetrySchedule other && delays.equals(other.delays);
  }

  @Override
  public int hashCode() {
    return delays.hashCode();
  }

  @Override
  public String toString() {
    return "RetrySchedule" + delays;
  }
}
