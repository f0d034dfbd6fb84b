package dev.herald.webhooks.store.jpa.internal;

import dev.herald.webhooks.spi.InvalidCursorException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.regex.Pattern;

/** An opaque paging position: the creation time and id of the last item shown, newest first. */
record Cursor(OffsetDateTime createdAt, String id) {
  private static final int MAX_LENGTH = 200;
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

  String encode() {
    String text = createdAt.toInstant() + "|" + id;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * @throws InvalidCursorException when {@code cursor} is not one this store made
   */
  static Cursor decode(String cursor) {
    if (cursor.length() > MAX_LENGTH) {
      throw invalid();
    }
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      int bar = text.indexOf('|');
      if (bar < 0 || !ID.matcher(text.substring(bar + 1)).matches()) {
        throw invalid();
      }
      Instant createdAt = Instant.parse(text.substring(0, bar));
      if (createdAt.isBefore(Instant.EPOCH) || createdAt.isAfter(LATEST)) {
        throw invalid();
      }
      return new Cursor(createdAt.atOffset(ZoneOffset.UTC), text.substring(bar + 1));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw invalid();
    }
  }

  private static InvalidCursorException invalid() {
    return new InvalidCursorException(
        "the cursor is not one this server gave out: pass next_cursor from the previous page as is");
  }
}
