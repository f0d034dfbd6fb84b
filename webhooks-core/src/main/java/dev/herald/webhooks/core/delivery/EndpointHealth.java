package dev.herald.webhooks.core.delivery;

import dev.herald.webhooks.core.circuit.CircuitBreakerPolicy;
import dev.herald.webhooks.spi.CircuitState;
import dev.herald.webhooks.spi.CircuitState.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What a batch of send outcomes does to one endpoint's health: its circuit (opens after the
 * threshold of consecutive failures, closes on a success, a failed probe opens it again), when it
 * started failing, its last success, and whether it is disabled now (a {@code 410 Gone}, or failing
 * without a success for longer than {@code autoDisableAfter}). The store applies it in the
 * transaction that records the outcomes, under the endpoint's gate lock (or, for successes that
 * only advance the last success, with a write that holds only while the endpoint is not failing),
 * so that every process sees one history and the worker decides nothing about health. Immutable and
 * thread-safe.
 */
public final class EndpointHealth {
  private final CircuitBreakerPolicy circuit;
  private final Duration autoDisableAfter;

  public EndpointHealth(CircuitBreakerPolicy circuit, Duration autoDisableAfter) {
    this.circuit = Objects.requireNonNull(circuit, "circuit");
    this.autoDisableAfter = Objects.requireNonNull(autoDisableAfter, "autoDisableAfter");
  }

  /**
   * An endpoint's health as stored.
   *
   * @param probeUntil while half-open, until when the probe in flight holds the circuit
   * @param failingSince the first failure after the last success, or null
   * @param lastSuccess the start of the latest successful attempt, or null
   * @param active false once the endpoint is disabled
   */
  public record State(
      CircuitState circuit,
      Instant probeUntil,
      Instant failingSince,
      Instant lastSuccess,
      boolean active) {
    public State {
      Objects.requireNonNull(circuit, "circuit");
    }
  }

  /**
   * One attempt's outcome.
   *
   * @param gone the receiver asked not to be called again ({@code 410 Gone})
   */
  public record Outcome(Instant startedAt, boolean succeeded, boolean gone) {
    public Outcome {
      Objects.requireNonNull(startedAt, "startedAt");
    }
  }

  /**
   * The state after a batch, and what changed that someone should hear about.
   *
   * @param opened the circuit went from closed or half-open to open
   * @param closed the circuit went from open or half-open to closed (a probe succeeded)
   * @param disabledReason why the endpoint was disabled by this batch, or null
   */
  public record Change(State state, boolean opened, boolean closed, String disabledReason) {}

  /**
   * Whether the outcomes change nothing but the last success: every one succeeded, and the endpoint
   * is active, not failing and its circuit closed as a success leaves it. Such outcomes need not
   * take the gate that claims take: whatever order they are recorded in with concurrent batches,
   * the result is one that recording them one batch after the other gives, provided the write still
   * finds the endpoint active and not failing.
   */
  public boolean onlyAdvancesLastSuccess(State before, List<Outcome> outcomes) {
    return before.active()
        && before.failingSince() == null
        && before.probeUntil() == null
        && before.circuit().status() == Status.CLOSED
        && circuit.onSuccess(before.circuit()).equals(before.circuit())
        && outcomes.stream().allMatch(o -> o.succeeded() && !o.gone());
  }

  /** Applies the outcomes, in the order their attempts started, at {@code now}. */
  public Change apply(State before, List<Outcome> outcomes, Instant now) {
    CircuitState state = before.circuit();
    Instant probeUntil = before.probeUntil();
    Instant failingSince = before.failingSince();
    Instant lastSuccess = before.lastSuccess();
    boolean gone = false;
    List<Outcome> ordered =
        outcomes.stream().sorted(Comparator.comparing(Outcome::startedAt)).toList();
    for (Outcome o : ordered) {
      if (o.succeeded()) {
        state = circuit.onSuccess(state);
        if (lastSuccess == null || o.startedAt().isAfter(lastSuccess)) {
          lastSuccess = o.startedAt();
        }
        // A failure that started after this success (recorded earlier) still counts.
        if (failingSince != null && !failingSince.isAfter(o.startedAt())) {
          failingSince = null;
        }
      } else {
        state = circuit.onFailure(state, now);
        gone |= o.gone();
        if (failingSince == null && (lastSuccess == null || o.startedAt().isAfter(lastSuccess))) {
          failingSince = o.startedAt();
        }
      }
    }
    if (state.status() != Status.HALF_OPEN) {
      probeUntil = null;
    }
    boolean opened = state.status() == Status.OPEN && before.circuit().status() != Status.OPEN;
    boolean closed = state.status() == Status.CLOSED && before.circuit().status() != Status.CLOSED;
    String disabledReason = null;
    if (before.active()) {
      if (gone) {
        disabledReason = "the receiver answered 410 Gone";
      } else if (failingSince != null && failingSince.plus(autoDisableAfter).isBefore(now)) {
        disabledReason =
            "no successful delivery for more than "
                + readable(autoDisableAfter)
                + " (failing since "
                + failingSince
                + ")";
      }
    }
    State after =
        new State(
            state,
            probeUntil,
            failingSince,
            lastSuccess,
            before.active() && disabledReason == null);
    return new Change(after, opened, closed, disabledReason);
  }

  private static String readable(Duration duration) {
    if (duration.toDays() > 0 && duration.toHours() % 24 == 0) {
      return duration.toDays() + " days";
    }
    if (duration.toHours() > 0 && duration.toMinutes() % 60 == 0) {
      return duration.toHours() + " hours";
    }
    return duration.toSeconds() + " seconds";
  }
}
