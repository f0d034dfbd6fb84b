package dev.herald.webhooks.core.retry;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class JitterTest {

  @Test
  void jitterStaysWithinTwentyPercent() {
    assertThat(new Jitter(Jitter.DEFAULT_FRACTION, () -> 0.0).apply(ofSeconds(10)))
        .isEqualTo(ofSeconds(8));
    assertThat(new Jitter(Jitter.DEFAULT_FRACTION, () -> 1.0).apply(ofSeconds(10)))
        .isEqualTo(ofSeconds(12));
    assertThat(new Jitter(Jitter.DEFAULT_FRACTION, () -> 0.5).apply(ofSeconds(10)))
        .isEqualTo(ofSeconds(10));
    assertThat(Jitter.defaults().fraction()).isEqualTo(0.2);
  }

  @Test
  void randomJitterStaysWithinTwentyPercent() {
    Jitter jitter = Jitter.of(0.2, new SplittableRandom(42));
    for (int i = 0; i < 1000; i++) {
      assertThat(jitter.apply(ofSeconds(30))).isBetween(ofSeconds(24), ofSeconds(36));
    }
  }

  @Test
  void configurableFraction() {
    assertThat(new Jitter(0.5, () -> 0.0).apply(ofSeconds(1))).isEqualTo(ofMillis(500));
    assertThat(new Jitter(1.0, () -> 0.0).apply(ofSeconds(1))).isEqualTo(Duration.ZERO);
    assertThat(new Jitter(1.0, () -> 1.0).apply(ofSeconds(1))).isEqualTo(ofSeconds(2));
  }

  @Test
  void noJitterKeepsTheDelay() {
    assertThat(Jitter.none().apply(ofMillis(1234))).isEqualTo(ofMillis(1234));
    assertThat(new Jitter(0, () -> 1.0).apply(ofSeconds(5))).isEqualTo(ofSeconds(5));
  }

  @Test
  void rejectsFractionOutsideZeroToOne() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Jitter(1.01, () -> 0.5))
        .withMessage("Jitter fraction must be >= 0 and <= 1");
    assertThatIllegalArgumentException().isThrownBy(() -> new Jitter(-0.01, () -> 0.5));
    assertThatIllegalArgumentException().isThrownBy(() -> new Jitter(Double.NaN, () -> 0.5));
  }

  @Test
  void rejectsRandomOutsideUnitInterval() {
    assertThatIllegalStateException()
        .isThrownBy(() -> new Jitter(0.2, () -> 1.5).apply(ofSeconds(1)))
        .withMessageContaining("1.5");
  }
}
