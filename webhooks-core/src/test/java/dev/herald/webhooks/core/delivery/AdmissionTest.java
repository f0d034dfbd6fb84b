package dev.herald.webhooks.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.webhooks.core.delivery.Admission.Decision;
import dev.herald.webhooks.core.delivery.Admission.Gate;
import dev.herald.webhooks.core.delivery.Admission.Limits;
import dev.herald.webhooks.spi.CircuitState;
import dev.herald.webhooks.spi.CircuitState.Status;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AdmissionTest {
  private static final Instant NOW = Instant.parse("2026-11-29T00:00:00Z");
  private static final Duration OPEN = Duration.ofMinutes(5);
  private static final Duration LEASE = Duration.ofSeconds(30);
  private final Admission admission = new Admission(OPEN, LEASE);

  private static Gate closed() {
    return Gate.INITIAL;
  }

  private static Gate open(Instant openedAt) {
    return new Gate(new CircuitState(Status.OPEN, 5, openedAt), null, 0, null);
  }

  @Test
  void aClaimerTakesEveryFreeSlotAndUpToTenDeliveriesPerSlot() {
    Decision d = admission.decide(new Limits(10, null), closed(), 7, 0, 50, NOW);
    assertThat(d.slots()).isEqualTo(3);
    assertThat(d.admitted()).isEqualTo(30);
    Decision few = admission.decide(new Limits(10, null), closed(), 0, 0, 2, NOW);
    assertThat(few.slots()).as("no more slots than deliveries").isEqualTo(2);
    Decision keeps = admission.decide(new Limits(10, null), closed(), 0, 6, 2, NOW);
    assertThat(keeps.slots()).as("it keeps the slots it holds").isEqualTo(6);
    assertThat(d.retryAt()).as("the rest stay due").isNull();
    Decision alone = admission.decide(new Limits(10, null), closed(), 0, 0, 40, NOW);
    assertThat(alone.admitted()).isEqualTo(40);
    assertThat(alone.slots()).isEqualTo(10);
  }

  @Test
  void noFreeSlotAdmitsNothing() {
    Decision d = admission.decide(new Limits(2, null), closed(), 2, 0, 5, NOW);
    assertThat(d.admitted()).isZero();
    assertThat(d.gate()).isEqualTo(closed());
    assertThat(admission.refusesAll(new Limits(2, null), closed(), 2, NOW)).isTrue();
    assertThat(admission.refusesAll(new Limits(2, null), closed(), 1, NOW)).isFalse();
  }

  @Test
  void openCircuitAdmitsNothingUntilItsPeriodEnds() {
    Gate gate = open(NOW.minusSeconds(60));
    Decision d = admission.decide(new Limits(10, null), gate, 0, 0, 3, NOW);
    assertThat(d.admitted()).isZero();
    assertThat(d.retryAt()).isEqualTo(NOW.minusSeconds(60).plus(OPEN));
    assertThat(d.gate()).isEqualTo(gate);
  }

  @Test
  void afterTheOpenPeriodExactlyOneProbeGoesAndTheCircuitIsHalfOpen() {
    Decision probe = admission.decide(new Limits(10, null), open(NOW.minus(OPEN)), 0, 0, 8, NOW);
    assertThat(probe.admitted()).isEqualTo(1);
    assertThat(probe.slots()).isEqualTo(1);
    assertThat(probe.gate().circuit().status()).isEqualTo(Status.HALF_OPEN);
    assertThat(probe.gate().probeUntil()).isEqualTo(NOW.plus(LEASE));

    // Another process a moment later: the probe holds the circuit.
    Decision other =
        admission.decide(new Limits(10, null), probe.gate(), 1, 0, 7, NOW.plusMillis(10));
    assertThat(other.admitted()).isZero();
    assertThat(other.retryAt()).isEqualTo(NOW.plusMillis(10).plus(Admission.PROBE_WAIT));
  }

  @Test
  void aProbeWhoseLeaseRanOutIsReplacedByOne() {
    Gate halfOpen =
        new Gate(
            new CircuitState(Status.HALF_OPEN, 5, NOW.minus(OPEN)), NOW.minusSeconds(1), 0, null);
    Decision d = admission.decide(new Limits(10, null), halfOpen, 0, 0, 3, NOW);
    assertThat(d.admitted()).isEqualTo(1);
    assertThat(d.gate().probeUntil()).isEqualTo(NOW.plus(LEASE));
  }

  @Test
  void rateLimitStartsWithABurstOfHalfASecondAndRefillsOverTime() {
    Limits limits = new Limits(1000, 10.0);
    Decision first = admission.decide(limits, closed(), 0, 0, 50, NOW);
    assertThat(first.admitted()).isEqualTo(5);
    assertThat(first.retryAt()).isEqualTo(NOW.plusMillis(100));

    Decision empty = admission.decide(limits, first.gate(), 0, 0, 40, NOW.plusMillis(50));
    assertThat(empty.admitted()).isZero();
    assertThat(empty.retryAt()).isEqualTo(NOW.plusMillis(100));

    Decision refilled = admission.decide(limits, empty.gate(), 0, 0, 40, NOW.plusMillis(350));
    assertThat(refilled.admitted()).isEqualTo(3);
    Decision full = admission.decide(limits, refilled.gate(), 0, 0, 40, NOW.plusSeconds(60));
    assertThat(full.admitted()).isEqualTo(5);
  }

  @Test
  void aClaimThatReadItsTimeBeforeAnotherDoesNotRefillTheSameIntervalTwice() {
    Limits limits = new Limits(1000, 10.0);
    Decision later = admission.decide(limits, closed(), 0, 0, 50, NOW.plusSeconds(1));
    // A claim that read NOW, then waited for the lock while the later one went first.
    Decision earlier = admission.decide(limits, later.gate(), 0, 0, 50, NOW);
    assertThat(earlier.admitted()).isZero();
    assertThat(earlier.gate().tokensAt()).isEqualTo(NOW.plusSeconds(1));
    Decision next = admission.decide(limits, earlier.gate(), 0, 0, 50, NOW.plusMillis(1100));
    assertThat(next.admitted()).as("100 ms of refill, once").isEqualTo(1);
  }

  @Test
  void slowRateAdmitsOneAtATime() {
    Limits limits = new Limits(10, 0.5);
    Decision first = admission.decide(limits, closed(), 0, 0, 5, NOW);
    assertThat(first.admitted()).isEqualTo(1);
    assertThat(first.retryAt()).isEqualTo(NOW.plusSeconds(2));
    assertThat(admission.decide(limits, first.gate(), 0, 0, 5, NOW.plusSeconds(1)).admitted())
        .isZero();
    assertThat(admission.decide(limits, first.gate(), 0, 0, 5, NOW.plusSeconds(2)).admitted())
        .isEqualTo(1);
  }

  @Test
  void aProbeWithoutATokenWaitsAndLeavesTheCircuitOpen() {
    Gate noTokens = new Gate(new CircuitState(Status.OPEN, 5, NOW.minus(OPEN)), null, 0, NOW);
    Decision d = admission.decide(new Limits(10, 1.0), noTokens, 0, 0, 3, NOW);
    assertThat(d.admitted()).isZero();
    assertThat(d.gate().circuit().status()).isEqualTo(Status.OPEN);
  }
}
