package dev.herald.webhooks.core.retry;

import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/** Parses an HTTP {@code Retry-After} header (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. */
public final class RetryAfter {

  private static final Pattern SECONDS = Pattern.compile("-?\\d+");
  private static final BigInteger MAX_SECONDS = BigInteger.valueOf(Long.MAX_VALUE);

  private RetryAfter() {}

  /**
   * The delay the header asks for, counted from {@code now}. A negative delay or a date in the past
   * gives zero; a missing or unparseable value gives empty, so the caller follows its schedule.
   */
  public static Optional<Duration> parse(String headerValue, Instant now) {
    Objects.requireNonNull(now, "now");
    if (headerValue == null || headerValue.isBlank()) {
      return Optional.empty();
    }
    String value = headerValue.strip();
    if (SECONDS.matcher(value).matches()) {
      BigInteger seconds = new BigInteger(value);
      if (seconds.signum() <= 0) {
        return Optional.of(Duration.ZERO);
      }
      // Absurdly large values are still a request to wait long; the policy caps them anyway.
      return Optional.of(Duration.ofSeconds(seconds.min(MAX_SECONDS).longValue()));
    }
    try {
      Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration delay = Duration.between(now, at);
      return Optional.of(delay.isNegative() ? Duration.ZERO : delay);
    } catch (DateTimeException | ArithmeticException e) {
      return Optional.empty();
    }
  }
}
