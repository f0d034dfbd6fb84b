package dev.herald.webhooks.core.time;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations as operators write them: a bare number of seconds ({@code 30}, as the seed
 * variables {@code WEBHOOK_TIMEOUT} and {@code WEBHOOK_RETRY_DELAY} use), a number with a unit
 * ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}), or ISO-8601 ({@code PT30S}).
 */
public final class DurationText {
  private static final Pattern SIMPLE = Pattern.compile("(\\d+)(ms|s|m|h|d)?");

  private DurationText() {}

  /** The duration, or empty when {@code text} is none of the accepted forms. */
  public static Optional<Duration> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String trimmed = text.strip();
    Matcher m = SIMPLE.matcher(trimmed.toLowerCase(Locale.ROOT));
    try {
      if (m.matches()) {
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return Optional.of(
            switch (unit) {
              case "ms" -> Duration.ofMillis(amount);
              case "s" -> Duration.ofSeconds(amount);
              case "m" -> Duration.ofMinutes(amount);
              case "h" -> Duration.ofHours(amount);
              default -> Duration.ofDays(amount);
            });
      }
      return Optional.of(Duration.parse(trimmed));
    } catch (NumberFormatException | ArithmeticException | DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /**
   * The duration in the largest unit that holds it whole: {@code 1d}, {@code 2h}, {@code 5m},
   * {@code 30s}, {@code 500ms}; {@link #parse} reads it back.
   */
  public static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis != 0 && millis % 86_400_000 == 0) {
      return millis / 86_400_000 + "d";
    }
    if (millis != 0 && millis % 3_600_000 == 0) {
      return millis / 3_600_000 + "h";
    }
    if (millis != 0 && millis % 60_000 == 0) {
      return millis / 60_000 + "m";
    }
    if (millis % 1000 == 0) {
      return millis / 1000 + "s";
    }
    return millis + "ms";
  }
}
