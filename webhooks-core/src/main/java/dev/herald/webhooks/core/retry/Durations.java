package dev.herald.webhooks.core.retry;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;

/**
 * Exact duration arithmetic: doubles lose nanoseconds and long nanoseconds overflow at 292 years.
 */
final class Durations {
  private Durations() {}

  static BigDecimal seconds(Duration d) {
    return BigDecimal.valueOf(d.getSeconds()).add(BigDecimal.valueOf(d.getNano(), 9));
  }

  /** The duration of {@code seconds}, rounded to the nearest nanosecond. */
  static Duration of(BigDecimal seconds) {
    BigDecimal nanos = seconds.setScale(9, RoundingMode.HALF_UP);
    BigDecimal whole = nanos.setScale(0, RoundingMode.FLOOR);
    return Duration.ofSeconds(
        whole.longValueExact(), nanos.subtract(whole).movePointRight(9).longValueExact());
  }
}
