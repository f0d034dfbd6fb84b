package dev.herald.webhooks.spi;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A destination's answer to the CloudEvents webhook validation request ({@code OPTIONS} with {@code
 * WebHook-Request-Origin}), or why there was none.
 *
 * @param statusCode the HTTP status, or 0 when no answer came
 * @param headers the answer's headers, names case-insensitive
 * @param error why no answer came, or null
 */
public record HandshakeAnswer(int statusCode, Map<String, String> headers, String error) {
  public HandshakeAnswer {
    Objects.requireNonNull(headers, "headers");
    TreeMap<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    copy.putAll(headers);
    headers = Collections.unmodifiableMap(copy);
  }

  /** No answer: the request could not be made or was not answered. */
  public static HandshakeAnswer failed(String error) {
    return new HandshakeAnswer(0, Map.of(), Objects.requireNonNull(error, "error"));
  }
}
