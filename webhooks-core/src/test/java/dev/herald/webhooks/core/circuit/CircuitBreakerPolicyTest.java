package dev.herald.webhooks.core.circuit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.herald.webhooks.spi.CircuitState;
import dev.herald.webhooks.spi.CircuitState.Status;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CircuitBreakerPolicyTest {

  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private final CircuitBreakerPolicy policy = CircuitBreakerPolicy.defaults();

  private CircuitState failTimes(int n) {
    CircuitState state = CircuitState.INITIAL;
    for (int i = 0; i < n; i++) {
      state = policy.onFailure(state, T0);
    }
    return state;
  }

  @Test
  void defaultsAreFiveFailuresAndFiveMinutes() {
    assertThat(policy.failureThreshold()).isEqualTo(5);
    assertThat(policy.openDuration()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void opensAfterFiveConsecutiveFailures() {
    CircuitState state = failTimes(5);

    assertThat(state).isEqualTo(new CircuitState(Status.OPEN, 5, T0));
    assertThat(policy.allowsRequest(state, T0)).isFalse();
  }

  @Test
  void fourFailuresKeepItClosed() {
    CircuitState state = failTimes(4);

    assertThat(state).isEqualTo(new CircuitState(Status.CLOSED, 4, null));
    assertThat(policy.allowsRequest(state, T0)).isTrue();
  }

  @Test
  void successResetsTheCount() {
    CircuitState state = policy.onSuccess(failTimes(4));

    assertThat(state).isEqualTo(CircuitState.INITIAL);
    assertThat(policy.onFailure(state, T0)).isEqualTo(new CircuitState(Status.CLOSED, 1, null));
  }

  @Test
  void openCircuitRefusesUntilOpenDurationElapsed() {
    CircuitState open = failTimes(5);

    assertThat(policy.allowsRequest(open, T0.plus(Duration.ofMinutes(5)).minusMillis(1))).isFalse();
    assertThat(policy.allowsRequest(open, T0.plus(Duration.ofMinutes(5)))).isTrue();
    assertThat(policy.retryAt(open)).isEqualTo(T0.plus(Duration.ofMinutes(5)));
  }

  @Test
  void halfOpensAfterFiveMinutes() {
    CircuitState open = failTimes(5);
    Instant due = T0.plus(Duration.ofMinutes(5));

    assertThat(policy.toHalfOpenIfDue(open, due.minusSeconds(1))).isEqualTo(open);
    CircuitState halfOpen = policy.toHalfOpenIfDue(open, due);
    assertThat(halfOpen).isEqualTo(new CircuitState(Status.HALF_OPEN, 5, T0));
    assertThat(policy.allowsRequest(halfOpen, due)).isTrue();
  }

  @Test
  void closesOnSuccessWhileHalfOpen() {
    CircuitState halfOpen = new CircuitState(Status.HALF_OPEN, 5, T0);

    assertThat(policy.onSuccess(halfOpen)).isEqualTo(CircuitState.INITIAL);
  }

  @Test
  void reopensOnFailureWhileHalfOpen() {
    Instant probeTime = T0.plus(Duration.ofMinutes(6));
    CircuitState halfOpen = new CircuitState(Status.HALF_OPEN, 5, T0);

    CircuitState reopened = policy.onFailure(halfOpen, probeTime);

    assertThat(reopened).isEqualTo(new CircuitState(Status.OPEN, 6, probeTime));
    assertThat(policy.allowsRequest(reopened, probeTime.plus(Duration.ofMinutes(4)))).isFalse();
    assertThat(policy.retryAt(reopened)).isEqualTo(probeTime.plus(Duration.ofMinutes(5)));
  }

  @Test
  void failedProbeOfElapsedOpenCircuitReopensFromNow() {
    Instant probeTime = T0.plus(Duration.ofMinutes(7));

    assertThat(policy.onFailure(failTimes(5), probeTime))
        .isEqualTo(new CircuitState(Status.OPEN, 6, probeTime));
  }

  @Test
  void lateFailureWhileOpenDoesNotExtendTheOpenPeriod() {
    Instant late = T0.plusSeconds(10);

    assertThat(policy.onFailure(failTimes(5), late))
        .isEqualTo(new CircuitState(Status.OPEN, 6, T0));
  }

  @Test
  void closedCircuitIsNeverHalfOpened() {
    CircuitState closed = failTimes(2);

    assertThat(policy.toHalfOpenIfDue(closed, T0.plus(Duration.ofDays(1)))).isEqualTo(closed);
  }

  @Test
  void retryAtRejectsClosedCircuit() {
    assertThatIllegalArgumentException().isThrownBy(() -> policy.retryAt(CircuitState.INITIAL));
  }

  @Test
  void failureCountSaturates() {
    CircuitState many = new CircuitState(Status.OPEN, Integer.MAX_VALUE, T0);

    assertThat(policy.onFailure(many, T0).consecutiveFailures()).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void customThresholdOfOneOpensOnFirstFailure() {
    CircuitBreakerPolicy strict = new CircuitBreakerPolicy(1, Duration.ofSeconds(30));

    assertThat(strict.onFailure(CircuitState.INITIAL, T0))
        .isEqualTo(new CircuitState(Status.OPEN, 1, T0));
  }

  @Test
  void rejectsThresholdBelowOneAndNonPositiveOpenDuration() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new CircuitBreakerPolicy(0, Duration.ofMinutes(5)))
        .withMessage("Failure threshold must be >= 1");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new CircuitBreakerPolicy(5, Duration.ZERO))
        .withMessage("Open duration must be > 0");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new CircuitBreakerPolicy(5, Duration.ofSeconds(-1)));
  }
}
