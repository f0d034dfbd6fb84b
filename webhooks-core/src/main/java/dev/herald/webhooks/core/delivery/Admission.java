package dev.herald.webhooks.core.delivery;

import dev.herald.webhooks.spi.CircuitState;
import dev.herald.webhooks.spi.CircuitState.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How many due deliveries of one endpoint a claim may take now, whichever process claims, and
 * through how many of the endpoint's slots the claimer may send them: as many free slots of the
 * endpoint's {@code max_in_flight} (those no other claimer holds) as it takes deliveries, up to ten
 * deliveries per slot (none free, nothing admitted); no more deliveries than its rate limit's
 * tokens, none while its circuit is open, and exactly one (the probe, through one slot) once the
 * open period is over. The store applies a decision under the endpoint's lock in the claim
 * transaction and keeps the returned {@link Gate}; deliveries not admitted wait until {@link
 * Decision#retryAt()} without spending an attempt. Immutable and thread-safe.
 */
public final class Admission {
  /**
   * How long deliveries wait behind a probe in flight before they are looked at again: soon after
   * the probe closes the circuit, they flow.
   */
  static final Duration PROBE_WAIT = Duration.ofSeconds(1);

  private final Duration circuitOpenFor;
  private final Duration probeLease;

  /**
   * @param circuitOpenFor how long an open circuit refuses requests before a probe ({@link
   *     dev.herald.webhooks.core.circuit.CircuitBreakerPolicy#openDuration()})
   * @param probeLease how long a probe may take before another process may probe instead (the lease
   *     of a claimed delivery)
   */
  public Admission(Duration circuitOpenFor, Duration probeLease) {
    this.circuitOpenFor = Objects.requireNonNull(circuitOpenFor, "circuitOpenFor");
    this.probeLease = Objects.requireNonNull(probeLease, "probeLease");
  }

  /**
   * An endpoint's limits.
   *
   * @param ratePerSecond sends per second, or null for no rate limit
   */
  public record Limits(int maxInFlight, Double ratePerSecond) {
    public Limits {
      if (maxInFlight < 1) {
        throw new IllegalArgumentException("maxInFlight must be >= 1, was " + maxInFlight);
      }
      if (ratePerSecond != null && !(ratePerSecond > 0)) {
        throw new IllegalArgumentException("ratePerSecond must be > 0, was " + ratePerSecond);
      }
    }
  }

  /**
   * What the store keeps per endpoint between claims.
   *
   * @param probeUntil while half-open, until when the probe in flight holds the circuit
   * @param tokens the rate limit's tokens at {@code tokensAt}; ignored while {@code tokensAt} is
   *     null (a full bucket)
   */
  public record Gate(CircuitState circuit, Instant probeUntil, double tokens, Instant tokensAt) {
    public static final Gate INITIAL = new Gate(CircuitState.INITIAL, null, 0, null);

    public Gate {
      Objects.requireNonNull(circuit, "circuit");
    }
  }

  /**
   * @param admitted how many of the due deliveries may be claimed now
   * @param retryAt when the others are due again; null when only the endpoint's in-flight slots
   *     hold them back, so that they stay due and go as soon as a slot frees
   * @param gate the state to keep
   * @param slots how many of the endpoint's slots the claimer holds now: requests it may have in
   *     flight to the endpoint at once
   */
  public record Decision(int admitted, Instant retryAt, Gate gate, int slots) {}

  /**
   * How many deliveries a claimer may hold per slot: it sends them one after the other through its
   * slots, and a slow endpoint holds no more of them than it can work off within a lease or so.
   */
  static final int DELIVERIES_PER_SLOT = 10;

  /**
   * @param otherSlots the endpoint's slots that other claimers hold now
   * @param ownSlots the slots this claimer holds already (it keeps them)
   * @param due due deliveries of the endpoint that this claim could take
   */
  public Decision decide(
      Limits limits, Gate gate, int otherSlots, int ownSlots, int due, Instant now) {
    CircuitState circuit = gate.circuit();
    Instant probeUntil = gate.probeUntil();
    int allowance = due;
    boolean probe = false;
    if (circuit.status() == Status.OPEN) {
      Instant opensAt = circuit.openedAt().plus(circuitOpenFor);
      if (now.isBefore(opensAt)) {
        return new Decision(0, opensAt, gate, 0);
      }
      circuit =
          new CircuitState(Status.HALF_OPEN, circuit.consecutiveFailures(), circuit.openedAt());
      probe = true;
    } else if (circuit.status() == Status.HALF_OPEN) {
      if (probeUntil != null && now.isBefore(probeUntil)) {
        Instant soon = now.plus(PROBE_WAIT);
        return new Decision(0, soon.isBefore(probeUntil) ? soon : probeUntil, gate, 0);
      }
      probe = true; // the previous probe's lease ran out: another may go
    }
    int free = Math.min(limits.maxInFlight() - otherSlots, limits.maxInFlight());
    if (free <= 0) {
      return new Decision(0, null, gate, 0);
    }
    int slots = free;
    if (probe) {
      slots = 1;
      allowance = 1;
      probeUntil = now.plus(probeLease);
    }
    allowance = (int) Math.min(allowance, (long) slots * DELIVERIES_PER_SLOT);
    double tokens = gate.tokens();
    Instant tokensAt = gate.tokensAt();
    if (limits.ratePerSecond() != null) {
      double rate = limits.ratePerSecond();
      // Half a second's worth: tokens are spent when a delivery is claimed, and its send follows
      // a little later, so sends of two claims can bunch; the receiver still sees at most the
      // rate plus one second's worth in any second.
      double burst = Math.max(1, rate / 2);
      tokens =
          tokensAt == null
              ? burst
              : Math.min(burst, tokens + rate * seconds(Duration.between(tokensAt, now)));
      // Never back: a claim that read its time before waiting for the lock must not hand the
      // next claim the same interval to refill again.
      if (tokensAt == null || now.isAfter(tokensAt)) {
        tokensAt = now;
      }
      allowance = Math.min(allowance, (int) Math.floor(tokens));
    }
    int admitted = Math.max(0, Math.min(allowance, due));
    if (limits.ratePerSecond() != null) {
      tokens -= admitted;
    }
    Instant retryAt;
    if (probe) {
      retryAt = now.plus(PROBE_WAIT);
    } else if (limits.ratePerSecond() != null && tokens < 1) {
      retryAt = now.plus(untilOneToken(tokens, limits.ratePerSecond()));
    } else {
      retryAt = null;
    }
    if (admitted == 0 && probe) {
      // The probe could not go (no slot or token): the circuit stays as it was.
      return new Decision(
          0, retryAt, new Gate(gate.circuit(), gate.probeUntil(), tokens, tokensAt), 0);
    }
    // No more slots than it can use, and those it holds already: the rest stay for others.
    int held = probe ? 1 : Math.min(free, Math.max(ownSlots, admitted));
    return new Decision(
        admitted,
        retryAt,
        new Gate(circuit, probeUntil, tokens, tokensAt),
        admitted == 0 ? 0 : held);
  }

  /** Whether the endpoint would take nothing now: a claim need not read its deliveries. */
  public boolean refusesAll(Limits limits, Gate gate, int otherSlots, Instant now) {
    return decide(limits, gate, otherSlots, 0, 1, now).admitted() == 0;
  }

  private static Duration untilOneToken(double tokens, double rate) {
    long nanos = (long) Math.ceil((1 - tokens) / rate * 1e9);
    return Duration.ofNanos(Math.max(1_000_000, nanos));
  }

  private static double seconds(Duration duration) {
    return duration.isNegative() ? 0 : duration.toNanos() / 1e9;
  }
}
