package dev.herald.webhooks.core.retry;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

  @Test
  void defaultScheduleIsOneFiveThirtySecondsFiveThirtyMinutes() {
    RetrySchedule schedule = RetrySchedule.defaults();

    assertThat(schedule.delays())
        .containsExactly(ofSeconds(1), ofSeconds(5), ofSeconds(30), ofMinutes(5), ofMinutes(30));
    assertThat(schedule.delayBeforeAttempt(1)).contains(Duration.ZERO);
    assertThat(schedule.delayBeforeAttempt(2)).contains(ofSeconds(1));
    assertThat(schedule.delayBeforeAttempt(6)).contains(ofMinutes(30));
    assertThat(schedule.maxDelay()).isEqualTo(ofMinutes(30));
  }

  @Test
  void noAttemptAfterTheSixth() {
    RetrySchedule schedule = RetrySchedule.defaults();

    assertThat(schedule.maxAttempts()).isEqualTo(6);
    assertThat(schedule.delayBeforeAttempt(7)).isEmpty();
  }

  @Test
  void emptyScheduleMeansOneAttempt() {
    RetrySchedule schedule = RetrySchedule.of(List.of());

    assertThat(schedule.maxAttempts()).isEqualTo(1);
    assertThat(schedule.delayBeforeAttempt(2)).isEmpty();
    assertThat(schedule.maxDelay()).isEqualTo(Duration.ZERO);
  }

  @Test
  void rejectsAttemptNumberZero() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RetrySchedule.defaults().delayBeforeAttempt(0))
        .withMessage("Attempt number must be >= 1");
  }

  @Test
  void exponentialFromRetryDelayAndMaxRetries() {
    // WEBHOOK_RETRY_DELAY=2, WEBHOOK_MAX_RETRIES=5
    RetrySchedule schedule = RetrySchedule.exponential(ofSeconds(2), 2, ofMinutes(30), 5);

    assertThat(schedule.delays())
        .containsExactly(ofSeconds(2), ofSeconds(4), ofSeconds(8), ofSeconds(16), ofSeconds(32));
    assertThat(schedule.maxAttempts()).isEqualTo(6);
  }

  @Test
  void exponentialCapsAtMax() {
    RetrySchedule schedule = RetrySchedule.exponential(ofSeconds(2), 2, ofSeconds(10), 5);

    assertThat(schedule.delays())
        .containsExactly(ofSeconds(2), ofSeconds(4), ofSeconds(8), ofSeconds(10), ofSeconds(10));
  }

  @Test
  void exponentialWithFractionalMultiplierKeepsMilliseconds() {
    RetrySchedule schedule = RetrySchedule.exponential(ofSeconds(1), 1.5, ofMinutes(1), 3);

    assertThat(schedule.delays()).containsExactly(ofSeconds(1), ofMillis(1500), ofMillis(2250));
  }

  @Test
  void exponentialManyRetriesDoesNotOverflow() {
    RetrySchedule schedule = RetrySchedule.exponential(ofSeconds(1), 10, ofMinutes(30), 1000);

    assertThat(schedule.delays()).hasSize(1000).endsWith(ofMinutes(30));
  }

  @Test
  void exponentialWithZeroRetriesHasNoDelays() {
    assertThat(RetrySchedule.exponential(ofSeconds(1), 2, ofSeconds(1), 0).maxAttempts())
        .isEqualTo(1);
  }

  @Test
  void initialDelayEqualToMaxDelayRepeatsIt() {
    assertThat(RetrySchedule.exponential(ofSeconds(3), 2, ofSeconds(3), 3).delays())
        .containsExactly(ofSeconds(3), ofSeconds(3), ofSeconds(3));
  }

  @Test
  void rejectsNegativeDelay() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RetrySchedule.of(List.of(ofSeconds(1), ofSeconds(-1))))
        .withMessageContaining("Delay 2 must be >= 0");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RetrySchedule.exponential(ofSeconds(-1), 2, ofSeconds(10), 3))
        .withMessage("Initial delay must be >= 0");
  }

  @Test
  void rejectsNullDelay() {
    assertThatNullPointerException()
        .isThrownBy(() -> RetrySchedule.of(Arrays.asList(ofSeconds(1), null)))
        .withMessage("delay 2");
  }

  @Test
  void rejectsMultiplierBelowOne() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RetrySchedule.exponential(ofSeconds(1), 0.99, ofSeconds(10), 3))
        .withMessage("Multiplier must be >= 1");
    assertThat(RetrySchedule.exponential(ofSeconds(1), 1, ofSeconds(10), 2).delays())
        .containsExactly(ofSeconds(1), ofSeconds(1));
  }

  @Test
  void rejectsNonFiniteMultiplier() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RetrySchedule.exponential(ofSeconds(1), Double.NaN, ofSeconds(10), 3));
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                RetrySchedule.exponential(
                    ofSeconds(1), Double.POSITIVE_INFINITY, ofSeconds(10), 3));
  }

  @Test
  void rejectsMaxBelowInitial() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RetrySchedule.exponential(ofSeconds(10), 2, ofSeconds(9), 3))
        .withMessage("Max delay must be >= initial delay");
  }

  @Test
  void rejectsNegativeRetries() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RetrySchedule.exponential(ofSeconds(1), 2, ofSeconds(10), -1))
        .withMessage("Retries must be >= 0");
  }

  @Test
  void parsesCommaSeparatedSchedule() {
    assertThat(RetrySchedule.parse("1s,5s,30s,5m,30m")).isEqualTo(RetrySchedule.defaults());
    assertThat(RetrySchedule.parse(" 500ms , PT1S,2h,1d ").delays())
        .containsExactly(ofMillis(500), ofSeconds(1), Duration.ofHours(2), Duration.ofDays(1));
  }

  @Test
  void parseNamesTheBadElement() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RetrySchedule.parse("1s,5s,fast,5m"))
        .withMessageContaining("element 3 \"fast\"")
        .withMessageContaining("1s,5s,fast,5m");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RetrySchedule.parse("1s,,5m"))
        .withMessageContaining("element 2 \"\"");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RetrySchedule.parse("1s,PT-5S"))
        .withMessageContaining("element 2 \"PT-5S\"");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RetrySchedule.parse("30x"))
        .withMessageContaining("element 1 \"30x\"");
  }

  @Test
  void bareNumberInScheduleIsSeconds() {
    assertThat(RetrySchedule.parse("2, 30").delays())
        .containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(30));
  }

  @Test
  void parseRejectsBlank() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RetrySchedule.parse("  "))
        .withMessageContaining("must not be blank");
  }
}
