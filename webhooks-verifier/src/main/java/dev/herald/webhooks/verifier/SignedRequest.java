package dev.herald.webhooks.verifier;

import dev.herald.webhooks.verifier.WebhookVerificationException.Reason;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;

/** What a profile read from the headers: the signed prefix, candidate signatures and metadata. */
final class SignedRequest {

  final String id;
  final Instant timestamp;
  final String timestampHeader;
  final String eventType;
  final String signatureHeader;

  /** Text signed before the body, e.g. {@code "{id}.{timestamp}."}. */
  final String signedPrefix;

  /** Decoded HMAC signatures from the request ({@code v1}, or the legacy profile's). */
  final List<byte[]> signatures;

  /** Decoded Ed25519 signatures from the request ({@code v1a}). */
  final List<byte[]> asymmetricSignatures;

  /** The first signature entry that could not be decoded, or {@code null}. */
  final WebhookVerificationException firstMalformedEntry;

  SignedRequest(
      String id,
      Instant timestamp,
      String timestampHeader,
      String eventType,
      String signatureHeader,
      String signedPrefix,
      List<byte[]> signatures,
      List<byte[]> asymmetricSignatures,
      WebhookVerificationException firstMalformedEntry) {
    this.id = id;
    this.timestamp = timestamp;
    this.timestampHeader = timestampHeader;
    this.eventType = eventType;
    this.signatureHeader = signatureHeader;
    this.signedPrefix = signedPrefix;
    this.signatures = List.copyOf(signatures);
    this.asymmetricSignatures = List.copyOf(asymmetricSignatures);
    this.firstMalformedEntry = firstMalformedEntry;
  }

  /** Parses Unix seconds: ASCII digits only, so no sign, no decimals, no exponent. */
  static Instant parseTimestamp(String header, String value) throws WebhookVerificationException {
    long seconds;
    try {
      seconds = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw malformedTimestamp(header, value, e);
    }
    // parseLong also takes a sign and non-ASCII digits; the signed text must be plain digits.
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) < '0' || value.charAt(i) > '9') {
        throw malformedTimestamp(header, value, null);
      }
    }
    try {
      return Instant.ofEpochSecond(seconds);
    } catch (DateTimeException e) {
      throw malformedTimestamp(header, value, e);
    }
  }

  private static WebhookVerificationException malformedTimestamp(
      String header, String value, Exception cause) {
    return new WebhookVerificationException(
        Reason.MALFORMED_HEADER,
        header,
        "header " + header + " is not Unix seconds: \"" + abbreviate(value) + "\"",
        cause);
  }

  /** Keeps messages short when a header is huge or hostile. */
  static String abbreviate(String value) {
    return value.length() <= 40 ? value : value.substring(0, 40) + "...";
  }
}
