package dev.herald.webhooks.core.http;

import dev.herald.webhooks.api.SignatureProfile;
import dev.herald.webhooks.core.signing.WebhookSigner;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What an HTTP/1.1 header may be (RFC 9110 section 5), and which custom headers an endpoint may add
 * to its deliveries: checked when an endpoint is saved, and again by the HTTP transport before each
 * send.
 */
public final class HeaderRules {
  /** Most custom headers one endpoint may have. */
  public static final int MAX_CUSTOM_HEADERS = 20;

  /** Longest custom header value, in characters. */
  public static final int MAX_VALUE_LENGTH = 2048;

  /**
   * Set by the HTTP client, or meaningless for one POST: a custom header must not override them.
   */
  public static final Set<String> CLIENT_HEADERS =
      Set.of(
          "content-length",
          "content-type",
          "transfer-encoding",
          "host",
          "connection",
          "keep-alive",
          "proxy-connection",
          "te",
          "upgrade",
          "expect");

  /** Set by Herald on every request. */
  private static final Set<String> HERALD_HEADERS =
      Set.of("user-agent", "traceparent", "tracestate");

  private HeaderRules() {}

  /** A header name: an RFC 9110 token. */
  public static boolean isToken(String name) {
    if (name == null || name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** A header value that can be sent: no control characters but horizontal tab. */
  public static boolean isFieldValue(String value) {
    if (value == null) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        return false;
      }
    }
    return true;
  }

  /**
   * Checks an endpoint's custom headers.
   *
   * @param profile and {@code headerPrefix}: the endpoint's signature headers, which a custom
   *     header must not replace
   * @throws IllegalArgumentException naming the first header that cannot be used, and why
   */
  public static void checkCustomHeaders(
      Map<String, String> headers, SignatureProfile profile, String headerPrefix) {
    if (headers.size() > MAX_CUSTOM_HEADERS) {
      throw new IllegalArgumentException(
          "at most " + MAX_CUSTOM_HEADERS + " custom headers, got " + headers.size());
    }
    Set<String> reserved = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    reserved.addAll(CLIENT_HEADERS);
    reserved.addAll(HERALD_HEADERS);
    reserved.addAll(WebhookSigner.headerNames(profile, headerPrefix));
    for (Map.Entry<String, String> header : headers.entrySet()) {
      String name = header.getKey();
      String value = header.getValue();
      if (!isToken(name)) {
        throw new IllegalArgumentException(
            "custom header name '"
                + name
                + "' is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only)");
      }
      String lower = name.toLowerCase(Locale.ROOT);
      if (reserved.contains(name) || lower.startsWith("x-herald-")) {
        throw new IllegalArgumentException(
            "custom header '" + name + "' is set by Herald or the HTTP client and cannot be set");
      }
      if (lower.startsWith("ce-")) {
        throw new IllegalArgumentException(
            "custom header '"
                + name
                + "' is a CloudEvents attribute (ce-*): Herald sets them for the cloudevents-binary"
                + " format");
      }
      if (value == null || !isFieldValue(value)) {
        throw new IllegalArgumentException(
            "custom header '" + name + "' has a value with control characters or no value");
      }
      if (value.length() > MAX_VALUE_LENGTH) {
        throw new IllegalArgumentException(
            "custom header '" + name + "' is longer than " + MAX_VALUE_LENGTH + " characters");
      }
    }
  }
}
