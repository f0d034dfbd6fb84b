package dev.herald.webhooks.verifier;

import dev.herald.webhooks.verifier.WebhookVerificationException.Reason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Standard Webhooks: {@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature}. */
final class StandardProfile implements Profile {

  static final String ID = "webhook-id";
  static final String TIMESTAMP = "webhook-timestamp";
  static final String SIGNATURE = "webhook-signature";
  static final String EVENT_TYPE = "X-Herald-Event-Type";
  static final String SECRET_PREFIX = "whsec_";

  @Override
  public String name() {
    return "standard";
  }

  @Override
  public byte[] key(String secret) {
    String encoded = secret.strip();
    // Like the reference library, a secret without the prefix is taken as bare Base64.
    if (encoded.startsWith(SECRET_PREFIX)) {
      encoded = encoded.substring(SECRET_PREFIX.length());
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("is not " + SECRET_PREFIX + " followed by Base64", e);
    }
    if (key.length == 0) {
      throw new IllegalArgumentException("decodes to an empty key");
    }
    return key;
  }

  @Override
  public SignedRequest read(Headers headers) throws WebhookVerificationException {
    String id = headers.required(ID);
    String timestampValue = headers.required(TIMESTAMP);
    List<String> signatureValues = headers.requiredAll(SIGNATURE);
    Instant timestamp = SignedRequest.parseTimestamp(TIMESTAMP, timestampValue);

    List<byte[]> signatures = new ArrayList<>();
    List<byte[]> asymmetric = new ArrayList<>();
    WebhookVerificationException malformed = null;
    int position = 0;
    for (String value : signatureValues) {
      for (String entry : entries(value)) {
        if (entry.isEmpty()) {
          continue;
        }
        position++;
        int comma = entry.indexOf(',');
        if (comma < 0) {
          if (malformed == null) {
            malformed =
                new WebhookVerificationException(
                    Reason.MALFORMED_HEADER,
                    SIGNATURE,
                    "entry " + position + " of header " + SIGNATURE + " has no version prefix");
          }
          continue;
        }
        // v1 is HMAC-SHA256, v1a Ed25519; other versions are for other verifiers: skip them.
        String version = entry.substring(0, comma);
        List<byte[]> into =
            "v1".equals(version) ? signatures : "v1a".equals(version) ? asymmetric : null;
        if (into == null) {
          continue;
        }
        try {
          into.add(Base64.getDecoder().decode(entry.substring(comma + 1)));
        } catch (IllegalArgumentException e) {
          if (malformed == null) {
            malformed =
                new WebhookVerificationException(
                    Reason.MALFORMED_HEADER,
                    SIGNATURE,
                    "entry " + position + " of header " + SIGNATURE + " is not valid Base64",
                    e);
          }
        }
      }
    }
    return new SignedRequest(
        id,
        timestamp,
        TIMESTAMP,
        headers.optional(EVENT_TYPE),
        SIGNATURE,
        id + "." + timestampValue + ".",
        signatures,
        asymmetric,
        malformed);
  }

  /**
   * The entries of a {@code webhook-signature} value, separated by whitespace as {@code \s+}
   * defines it. {@code String.split} with a regular expression compiles a pattern on every call,
   * which cost a noticeable part of a whole verification.
   */
  static List<String> entries(String value) {
    List<String> out = new ArrayList<>(2);
    int start = -1;
    for (int i = 0; i <= value.length(); i++) {
      boolean space = i == value.length() || isSpace(value.charAt(i));
      if (space && start >= 0) {
        out.add(value.substring(start, i));
        start = -1;
      } else if (!space && start < 0) {
        start = i;
      }
    }
    return out;
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
  }
}
