package dev.herald.webhooks.core.retry;

import static dev.herald.webhooks.core.retry.Checks.check;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.random.RandomGenerator;

/**
 * Spreads retry delays by up to ± a fraction of the delay, so endpoints that fail together are not
 * retried together. Immutable; thread-safe when its random source is.
 */
public final class Jitter {

  /** ±20 %. */
  public static final double DEFAULT_FRACTION = 0.2;

  private static final Jitter NONE = new Jitter(0, () -> 0.5);

  private final double fraction;
  private final DoubleSupplier random;

  /**
   * @param fraction how far a delay may move either way, from 0 (not at all) to 1 (from zero to
   *     twice the delay)
   * @param random uniform values in [0, 1]; 0 gives the shortest delay, 1 the longest
   */
  public Jitter(double fraction, DoubleSupplier random) {
    this.fraction =
        check(fraction, fraction >= 0 && fraction <= 1, "Jitter fraction must be >= 0 and <= 1");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** ±20 % from a thread-local random source. */
  public static Jitter defaults() {
    return of(DEFAULT_FRACTION);
  }

  /** ± {@code fraction} from a thread-local random source. */
  public static Jitter of(double fraction) {
    // A lambda, not ThreadLocalRandom.current()::nextDouble: that would bind the creating thread's
    // generator and share it across threads.
    return new Jitter(fraction, () -> ThreadLocalRandom.current().nextDouble());
  }

  /** ± {@code fraction} from {@code random}, which must be thread-safe if the jitter is shared. */
  public static Jitter of(double fraction, RandomGenerator random) {
    Objects.requireNonNull(random, "random");
    return new Jitter(fraction, random::nextDouble);
  }

  /** Leaves delays unchanged. */
  public static Jitter none() {
    return NONE;
  }

  public double fraction() {
    return fraction;
  }

  /** {@code delay} moved by a random amount within ± fraction of it. */
  public Duration apply(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (fraction == 0 || delay.isZero()) {
      return delay;
    }
    double r = random.getAsDouble();
    if (!(r >= 0 && r <= 1)) {
      throw new IllegalStateException("Random source returned " + r + ", outside [0, 1]");
    }
    BigDecimal factor = BigDecimal.ONE.add(BigDecimal.valueOf(fraction * (2 * r - 1)));
    return Durations.of(Durations.seconds(delay).multiply(factor));
  }

  @Override
  public String toString() {
    return "Jitter[±" + fraction + "]";
  }
}
