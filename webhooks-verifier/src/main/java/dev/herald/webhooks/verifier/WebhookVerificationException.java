package dev.herald.webhooks.verifier;

/**
 * Thrown when a webhook request cannot be verified; {@link #reason()} says why, and {@link
 * #header()} names the header at fault when there is one.
 */
public final class WebhookVerificationException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Why a request was rejected. */
  public enum Reason {
    /** A required header is absent, or present with an empty value. */
    MISSING_HEADER,
    /** A header is present but cannot be parsed (timestamp, Base64, hex, repeated values). */
    MALFORMED_HEADER,
    /** The timestamp is older than the tolerance allows: a late or replayed request. */
    TIMESTAMP_TOO_OLD,
    /** The timestamp is further in the future than the tolerance allows. */
    TIMESTAMP_TOO_NEW,
    /** No signature in the request matches the body under any configured secret. */
    NO_MATCHING_SIGNATURE
  }

  private final Reason reason;
  private final String header;

  /**
   * Creates an exception.
   *
   * @param reason why the request was rejected
   * @param header the header at fault, or {@code null}
   * @param message what went wrong, naming the header
   */
  public WebhookVerificationException(Reason reason, String header, String message) {
    this(reason, header, message, null);
  }

  /**
   * Creates an exception that keeps the parsing failure behind it.
   *
   * @param reason why the request was rejected
   * @param header the header at fault, or {@code null}
   * @param message what went wrong, naming the header
   * @param cause the underlying failure, or {@code null}
   */
  public WebhookVerificationException(
      Reason reason, String header, String message, Throwable cause) {
    super(message, cause);
    if (reason == null) {
      throw new NullPointerException("reason");
    }
    this.reason = reason;
    this.header = header;
  }

  /**
   * Returns why the request was rejected.
   *
   * @return the reason, never {@code null}
   */
  public Reason reason() {
    return reason;
  }

  /**
   * Returns the name of the header at fault, as the verifier looked it up.
   *
   * @return the header name, or {@code null} when no single header is at fault
   */
  public String header() {
    return header;
  }
}
