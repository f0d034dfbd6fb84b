package dev.herald.webhooks.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.webhooks.core.circuit.CircuitBreakerPolicy;
import dev.herald.webhooks.core.delivery.EndpointHealth.Change;
import dev.herald.webhooks.core.delivery.EndpointHealth.Outcome;
import dev.herald.webhooks.core.delivery.EndpointHealth.State;
import dev.herald.webhooks.spi.CircuitState;
import dev.herald.webhooks.spi.CircuitState.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointHealthTest {
  private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
  private final EndpointHealth health =
      new EndpointHealth(new CircuitBreakerPolicy(3, Duration.ofMinutes(5)), Duration.ofHours(1));

  private static State healthy() {
    return new State(CircuitState.INITIAL, null, null, null, true);
  }

  private static Outcome failure(int secondsAgo) {
    return new Outcome(NOW.minusSeconds(secondsAgo), false, false);
  }

  private static Outcome success(int secondsAgo) {
    return new Outcome(NOW.minusSeconds(secondsAgo), true, false);
  }

  @Test
  void theThresholdOfFailuresOpensTheCircuitOnceAndMarksWhenFailingStarted() {
    Change two = health.apply(healthy(), List.of(failure(9), failure(8)), NOW);
    assertThat(two.state().circuit()).isEqualTo(new CircuitState(Status.CLOSED, 2, null));
    assertThat(two.opened()).isFalse();
    assertThat(two.state().failingSince()).isEqualTo(NOW.minusSeconds(9));

    Change third = health.apply(two.state(), List.of(failure(1)), NOW);
    assertThat(third.state().circuit()).isEqualTo(new CircuitState(Status.OPEN, 3, NOW));
    assertThat(third.opened()).isTrue();
    assertThat(third.state().failingSince())
        .as("kept from the first")
        .isEqualTo(NOW.minusSeconds(9));

    Change more = health.apply(third.state(), List.of(failure(0)), NOW.plusSeconds(1));
    assertThat(more.opened()).as("already open").isFalse();
    assertThat(more.state().circuit().openedAt()).as("open period not extended").isEqualTo(NOW);
  }

  @Test
  void aSuccessClosesTheCircuitAndClearsFailingSinceUnlessALaterFailureFollows() {
    State failing =
        new State(
            new CircuitState(Status.OPEN, 7, NOW.minusSeconds(60)),
            null,
            NOW.minusSeconds(99),
            null,
            true);
    Change closed = health.apply(failing, List.of(success(5)), NOW);
    assertThat(closed.state().circuit()).isEqualTo(CircuitState.INITIAL);
    assertThat(closed.state().failingSince()).isNull();
    assertThat(closed.state().lastSuccess()).isEqualTo(NOW.minusSeconds(5));

    // Outcomes are applied in the order their attempts started, whatever order they come in.
    Change mixed = health.apply(healthy(), List.of(failure(2), success(4)), NOW);
    assertThat(mixed.state().circuit()).isEqualTo(new CircuitState(Status.CLOSED, 1, null));
    assertThat(mixed.state().failingSince()).isEqualTo(NOW.minusSeconds(2));
    assertThat(mixed.state().lastSuccess()).isEqualTo(NOW.minusSeconds(4));

    // A failure that started before the last success does not start a failing period.
    State succeeded = new State(CircuitState.INITIAL, null, null, NOW.minusSeconds(3), true);
    assertThat(health.apply(succeeded, List.of(failure(10)), NOW).state().failingSince()).isNull();
  }

  @Test
  void aProbeThatSucceedsClosesForEveryoneAndOneThatFailsOpensAgainFromNow() {
    State probing =
        new State(
            new CircuitState(Status.HALF_OPEN, 5, NOW.minusSeconds(400)),
            NOW.plusSeconds(30),
            NOW.minusSeconds(500),
            null,
            true);
    Change closed = health.apply(probing, List.of(success(1)), NOW);
    assertThat(closed.state().circuit().status()).isEqualTo(Status.CLOSED);
    assertThat(closed.state().probeUntil()).as("no probe held any more").isNull();

    Change reopened = health.apply(probing, List.of(failure(1)), NOW);
    assertThat(reopened.state().circuit()).isEqualTo(new CircuitState(Status.OPEN, 6, NOW));
    assertThat(reopened.opened()).isTrue();
    assertThat(reopened.state().probeUntil()).isNull();
  }

  @Test
  void goneDisablesAtOnceAndSoDoesFailingLongerThanTheLimit() {
    Change gone = health.apply(healthy(), List.of(new Outcome(NOW, false, true)), NOW);
    assertThat(gone.disabledReason()).isEqualTo("the receiver answered 410 Gone");
    assertThat(gone.state().active()).isFalse();

    State failingLong =
        new State(
            new CircuitState(Status.OPEN, 40, NOW.minusSeconds(10)),
            null,
            NOW.minus(Duration.ofMinutes(61)),
            null,
            true);
    Change disabled = health.apply(failingLong, List.of(failure(1)), NOW);
    assertThat(disabled.disabledReason())
        .isEqualTo(
            "no successful delivery for more than 1 hours (failing since "
                + NOW.minus(Duration.ofMinutes(61))
                + ")");
    assertThat(disabled.state().active()).isFalse();

    State failingShort =
        new State(CircuitState.INITIAL, null, NOW.minus(Duration.ofMinutes(59)), null, true);
    assertThat(health.apply(failingShort, List.of(failure(1)), NOW).disabledReason()).isNull();

    State alreadyDisabled = new State(CircuitState.INITIAL, null, null, null, false);
    assertThat(
            health
                .apply(alreadyDisabled, List.of(new Outcome(NOW, false, true)), NOW)
                .disabledReason())
        .as("disabled once, not again")
        .isNull();
  }

  @Test
  void onlySuccessesToAHealthyEndpointOnlyAdvanceTheLastSuccess() {
    State succeededBefore = new State(CircuitState.INITIAL, null, null, NOW.minusSeconds(9), true);
    assertThat(health.onlyAdvancesLastSuccess(succeededBefore, List.of(success(2), success(1))))
        .isTrue();
    assertThat(health.apply(succeededBefore, List.of(success(2), success(1)), NOW).state())
        .isEqualTo(new State(CircuitState.INITIAL, null, null, NOW.minusSeconds(1), true));

    assertThat(health.onlyAdvancesLastSuccess(healthy(), List.of(success(2), failure(1))))
        .isFalse();
    State counting = new State(new CircuitState(Status.CLOSED, 1, null), null, null, null, true);
    assertThat(health.onlyAdvancesLastSuccess(counting, List.of(success(1)))).isFalse();
    State failing = new State(CircuitState.INITIAL, null, NOW.minusSeconds(5), null, true);
    assertThat(health.onlyAdvancesLastSuccess(failing, List.of(success(1)))).isFalse();
    State probing =
        new State(
            new CircuitState(Status.HALF_OPEN, 5, NOW.minusSeconds(400)),
            NOW.plusSeconds(20),
            NOW.minusSeconds(500),
            null,
            true);
    assertThat(health.onlyAdvancesLastSuccess(probing, List.of(success(1)))).isFalse();
    State disabled = new State(CircuitState.INITIAL, null, null, null, false);
    assertThat(health.onlyAdvancesLastSuccess(disabled, List.of(success(1)))).isFalse();
  }
}
