package dev.herald.webhooks.core.retry;

/**
 * Why a send got no HTTP response. The {@link #code()} becomes {@code SendOutcome.Error.type()}.
 */
public enum TransportFailure {
  /** The destination refused the connection. */
  CONNECTION_REFUSED("connection_refused", true),
  /** The connection was reset or closed before the request was fully written. */
  CONNECTION_RESET("connection_reset", true),
  /** No connection within the connect timeout. */
  CONNECT_TIMEOUT("connect_timeout", true),
  /** No complete response within the request timeout. */
  TIMEOUT("timeout", true),
  /**
   * The connection broke after the request was written: the receiver may have processed it.
   * Retried, because receivers de-duplicate on {@code webhook-id}.
   */
  AMBIGUOUS("ambiguous", true),
  /** The host name did not resolve; often transient. */
  DNS_FAILURE("dns_failure", true),
  /** The TLS handshake failed; retried so that a receiver can fix its certificate. */
  TLS_FAILURE("tls_failure", true),
  /** Any other failure of the client. */
  IO_ERROR("io_error", true),
  /** Herald's own policy refused the destination (e.g. SSRF protection); retrying cannot help. */
  SSRF_DENIED("ssrf_denied", false);

  private final String code;
  private final boolean retryable;

  TransportFailure(String code, boolean retryable) {
    this.code = code;
    this.retryable = retryable;
  }

  /** The short error type recorded with the attempt, e.g. {@code connect_timeout}. */
  public String code() {
    return code;
  }

  /** Whether another attempt may succeed. */
  public boolean retryable() {
    return retryable;
  }
}
