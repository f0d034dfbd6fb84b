package dev.herald.webhooks.web.rest;

import dev.herald.webhooks.core.time.DurationText;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Query parameters, read as text and checked here, so that a malformed one is a 400 naming it
 * (JAX-RS answers 404 for a number it cannot convert).
 */
final class QueryParams {
  static final int DEFAULT_PAGE = 50;
  static final int MAX_PAGE = 100;

  static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");

  static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

  private QueryParams() {}

  /** The parameter's value, or null when it is absent or empty ({@code ?cursor=}). */
  static String orNull(String text) {
    return text == null || text.isEmpty() ? null : text;
  }

  /** {@code limit}: the page size, 1 to {@value #MAX_PAGE}, {@value #DEFAULT_PAGE} when absent. */
  static int limit(String text) {
    if (text == null || text.isEmpty()) {
      return DEFAULT_PAGE;
    }
    if (text.length() > 3 || !text.chars().allMatch(Character::isDigit)) {
      throw invalid("limit", "limit must be a whole number from 1 to " + MAX_PAGE);
    }
    int limit = Integer.parseInt(text);
    if (limit < 1 || limit > MAX_PAGE) {
      throw invalid("limit", "limit must be from 1 to " + MAX_PAGE);
    }
    return limit;
  }

  /** An optional instant such as {@code 2026-11-23T00:00:00Z}; null when absent or empty. */
  static Instant instant(String name, String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    try {
      return parseInstant(name, text);
    } catch (IllegalArgumentException e) {
      throw invalid(name, e.getMessage());
    }
  }

  /**
   * An instant in ISO-8601 with an offset, between 1970 and 9999: no stored time is outside them.
   *
   * @throws IllegalArgumentException saying what is wrong with {@code name}
   */
  static Instant parseInstant(String name, String text) {
    Instant instant;
    try {
      instant = Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          name + " must be an instant such as 2026-11-23T00:00:00Z", e);
    }
    if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
      throw new IllegalArgumentException(name + " must be between " + EARLIEST + " and " + LATEST);
    }
    return instant;
  }

  /** A window such as {@code 1h} or {@code 7d}: more than zero, at most {@code max}. */
  static Duration window(String name, String text, Duration max, String examples) {
    return DurationText.parse(text)
        .filter(d -> !d.isNegative() && !d.isZero() && d.compareTo(max) <= 0)
        .orElseThrow(
            () ->
                invalid(
                    name,
                    name + " takes a duration up to " + max.toDays() + "d, such as " + examples));
  }

  static Problem.Failure invalid(String name, String detail) {
    return new Problem.Failure(
        Problem.of(400, "invalid-parameter", "Invalid query parameter", detail).withField(name));
  }
}
