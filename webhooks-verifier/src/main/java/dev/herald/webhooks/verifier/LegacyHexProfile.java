package dev.herald.webhooks.verifier;

import dev.herald.webhooks.verifier.WebhookVerificationException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The seed systems' scheme: {@code X-{Prefix}-Signature} is lowercase hex of HMAC-SHA256 over
 * {@code "{timestamp}.{body}"}, keyed with the secret's UTF-8 bytes; comma-separated during
 * rotation.
 */
final class LegacyHexProfile implements Profile {

  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9]+(-[A-Za-z0-9]+)*");

  private final String prefix;
  private final String signatureHeader;
  private final String timestampHeader;
  private final String eventHeader;
  private final String deliveryHeader;

  LegacyHexProfile(String prefix) {
    if (prefix == null) {
      throw new NullPointerException("prefix");
    }
    if (!PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "legacy-hex prefix must be letters, digits and inner hyphens, like \"Continuum\"; got \""
              + prefix
              + "\"");
    }
    this.prefix = prefix;
    this.signatureHeader = "X-" + prefix + "-Signature";
    this.timestampHeader = "X-" + prefix + "-Timestamp";
    this.eventHeader = "X-" + prefix + "-Event";
    this.deliveryHeader = "X-" + prefix + "-Delivery";
  }

  @Override
  public String name() {
    return "legacy-hex(" + prefix + ")";
  }

  @Override
  public byte[] key(String secret) {
    if (secret.isEmpty()) {
      throw new IllegalArgumentException("is empty");
    }
    // The recipe is hmac.new(secret.encode(), ...): the text itself is the key, not decoded.
    return secret.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public SignedRequest read(Headers headers) throws WebhookVerificationException {
    String timestampValue = headers.required(timestampHeader);
    List<String> signatureValues = headers.requiredAll(signatureHeader);
    Instant timestamp = SignedRequest.parseTimestamp(timestampHeader, timestampValue);

    List<byte[]> signatures = new ArrayList<>();
    WebhookVerificationException malformed = null;
    int position = 0;
    for (String value : signatureValues) {
      for (String entry : value.split(",")) {
        String hex = entry.trim();
        if (hex.isEmpty()) {
          continue;
        }
        position++;
        byte[] decoded = decodeHex(hex);
        if (decoded == null) {
          if (malformed == null) {
            malformed =
                new WebhookVerificationException(
                    Reason.MALFORMED_HEADER,
                    signatureHeader,
                    "entry " + position + " of header " + signatureHeader + " is not hex");
          }
        } else {
          signatures.add(decoded);
        }
      }
    }
    return new SignedRequest(
        headers.optional(deliveryHeader),
        timestamp,
        timestampHeader,
        headers.optional(eventHeader),
        signatureHeader,
        timestampValue + ".",
        signatures,
        List.of(),
        malformed);
  }

  /** Decodes hex of either case; {@code null} if odd length or not hex. */
  private static byte[] decodeHex(String hex) {
    if (hex.length() % 2 != 0) {
      return null;
    }
    byte[] out = new byte[hex.length() / 2];
    for (int i = 0; i < out.length; i++) {
      int high = hexValue(hex.charAt(2 * i));
      int low = hexValue(hex.charAt(2 * i + 1));
      if (high < 0 || low < 0) {
        return null;
      }
      out[i] = (byte) ((high << 4) | low);
    }
    return out;
  }

  // Not Character.digit: that also accepts non-ASCII digits such as fullwidth ones.
  private static int hexValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
