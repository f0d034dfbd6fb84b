package dev.herald.webhooks.core.delivery;

import dev.herald.webhooks.spi.HandshakeAnswer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The CloudEvents webhook abuse protection (HTTP 1.1 Web Hooks for Event Delivery, section 4): the
 * validation request Herald sends before it delivers to an endpoint that asks for a handshake, and
 * what the endpoint's answer allows. Pure; the transport sends the request.
 */
public final class Handshake {
  public static final String REQUEST_ORIGIN = "WebHook-Request-Origin";
  public static final String REQUEST_RATE = "WebHook-Request-Rate";
  public static final String ALLOWED_ORIGIN = "WebHook-Allowed-Origin";
  public static final String ALLOWED_RATE = "WebHook-Allowed-Rate";

  /**
   * What the answer allows.
   *
   * @param allowed whether deliveries may start
   * @param ratePerSecond the rate the endpoint allows ({@code WebHook-Allowed-Rate}, requests per
   *     minute, divided by 60), or null when it set none or allows any
   * @param reason why not, for people, when not allowed
   */
  public record Decision(boolean allowed, Double ratePerSecond, String reason) {}

  private Handshake() {}

  /**
   * The validation request's headers.
   *
   * @param origin Herald's origin, a DNS name ({@code HERALD_HANDSHAKE_ORIGIN})
   * @param ratePerSecond the endpoint's rate limit, offered as requests per minute; null for none
   */
  public static Map<String, String> request(String origin, Double ratePerSecond) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(REQUEST_ORIGIN, Objects.requireNonNull(origin, "origin"));
    if (ratePerSecond != null) {
      headers.put(REQUEST_RATE, Long.toString(Math.max(1, (long) Math.ceil(ratePerSecond * 60))));
    }
    return headers;
  }

  /** Allowed when the endpoint answered 2xx naming Herald's origin (or {@code *}). */
  public static Decision decide(HandshakeAnswer answer, String origin) {
    if (answer.statusCode() == 0) {
      return new Decision(false, null, "no answer to the validation request: " + answer.error());
    }
    if (answer.statusCode() < 200 || answer.statusCode() > 299) {
      return new Decision(
          false, null, "the validation request was answered " + answer.statusCode());
    }
    String allowedOrigin = answer.headers().get(ALLOWED_ORIGIN);
    if (allowedOrigin == null
        || !(allowedOrigin.strip().equals("*") || allowedOrigin.strip().equalsIgnoreCase(origin))) {
      return new Decision(
          false,
          null,
          "the answer's "
              + ALLOWED_ORIGIN
              + " is "
              + (allowedOrigin == null ? "missing" : "'" + allowedOrigin + "'")
              + ", not '"
              + origin
              + "' or '*'");
    }
    return new Decision(true, rate(answer.headers().get(ALLOWED_RATE)), null);
  }

  /** Requests per minute as per second; null for none, {@code *} or a value that is no count. */
  private static Double rate(String perMinute) {
    if (perMinute == null) {
      return null;
    }
    try {
      long n = Long.parseLong(perMinute.strip());
      return n > 0 ? n / 60.0 : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
