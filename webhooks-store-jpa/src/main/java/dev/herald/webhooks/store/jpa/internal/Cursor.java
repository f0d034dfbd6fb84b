package dev.herald.webhooks.store.jpa.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/** An opaque paging position: the creation time and id of the last item shown, newest first. */
record Cursor(OffsetDateTime createdAt, String id) {

  String encode() {
    String text = createdAt.toInstant() + "|" + id;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * @throws IllegalArgumentException when {@code cursor} is not one this store made
   */
  static Cursor decode(String cursor) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      int bar = text.indexOf('|');
      if (bar < 0) {
        throw new IllegalArgumentException("invalid cursor");
      }
      return new Cursor(
          Instant.parse(text.substring(0, bar)).atOffset(ZoneOffset.UTC), text.substring(bar + 1));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new IllegalArgumentException("invalid cursor", e);
    }
  }
}
