package dev.herald.webhooks.core.retry;

import dev.herald.webhooks.spi.SendOutcome;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * Turns what a transport observed (an HTTP status, or a failure to get one) into a {@link
 * SendOutcome}: 2xx succeeds; 408, 429 and 5xx are retried; 410 fails and disables the endpoint;
 * 3xx (redirects are not followed), other 4xx and anything else fail for good. Immutable and
 * thread-safe.
 */
public final class StatusClassifier {

  /** How an HTTP status is treated. */
  public enum Verdict {
    SUCCESS,
    RETRY,
    FAIL,
    /** Fail, and stop calling the endpoint (410 Gone). */
    FAIL_AND_DISABLE
  }

  private final Clock clock;

  /**
   * @param clock the time against which a {@code Retry-After} HTTP-date is measured
   */
  public StatusClassifier(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** How {@code status} is treated. */
  public static Verdict classify(int status) {
    if (status >= 200 && status <= 299) {
      return Verdict.SUCCESS;
    }
    if (status == 408 || status == 429 || (status >= 500 && status <= 599)) {
      return Verdict.RETRY;
    }
    if (status == 410) {
      return Verdict.FAIL_AND_DISABLE;
    }
    return Verdict.FAIL;
  }

  /**
   * The outcome of a send that got an HTTP response.
   *
   * @param status the HTTP status code
   * @param bodyExcerpt the start of the response body, or null for none
   * @param retryAfterHeader the {@code Retry-After} header value, or null; honoured on retries,
   *     ignored when unparseable
   * @param duration how long the send took
   */
  public SendOutcome fromResponse(
      int status, String bodyExcerpt, String retryAfterHeader, Duration duration) {
    Objects.requireNonNull(duration, "duration");
    SendOutcome.Response response =
        new SendOutcome.Response(status, bodyExcerpt == null ? "" : bodyExcerpt);
    SendOutcome.Error error = new SendOutcome.Error("http_" + status, describe(status));
    return switch (classify(status)) {
      case SUCCESS -> new SendOutcome.Succeeded(response, duration);
      case RETRY ->
          new SendOutcome.Retry(
              response,
              duration,
              error,
              RetryAfter.parse(retryAfterHeader, clock.instant()).orElse(null));
      case FAIL -> new SendOutcome.Failed(response, duration, error, false);
      case FAIL_AND_DISABLE -> new SendOutcome.Failed(response, duration, error, true);
    };
  }

  /**
   * The outcome of a send that got no HTTP response.
   *
   * @param failure what went wrong
   * @param message a human-readable message without secrets or bodies
   * @param duration how long the send took
   */
  public SendOutcome fromFailure(TransportFailure failure, String message, Duration duration) {
    Objects.requireNonNull(failure, "failure");
    Objects.requireNonNull(duration, "duration");
    SendOutcome.Error error =
        new SendOutcome.Error(failure.code(), message == null ? failure.code() : message);
    return failure.retryable()
        ? new SendOutcome.Retry(null, duration, error, null)
        : new SendOutcome.Failed(null, duration, error, false);
  }

  /**
   * The outcome of a send that threw {@code exception} instead of returning a response.
   *
   * @param requestWritten whether the whole request had been written when it failed; an I/O error
   *     after that is {@link TransportFailure#AMBIGUOUS}
   */
  public SendOutcome fromException(Throwable exception, boolean requestWritten, Duration duration) {
    Objects.requireNonNull(exception, "exception");
    String message = exception.getClass().getSimpleName();
    if (exception.getMessage() != null) {
      message += ": " + exception.getMessage();
    }
    return fromFailure(failureOf(exception, requestWritten), message, duration);
  }

  /** The kind of failure {@code exception} reports. */
  public static TransportFailure failureOf(Throwable exception, boolean requestWritten) {
    // Order matters: HttpConnectTimeoutException is an HttpTimeoutException, and
    // ConnectException covers refused connections of both java.net and java.net.http.
    if (exception instanceof HttpConnectTimeoutException) {
      return TransportFailure.CONNECT_TIMEOUT;
    }
    if (exception instanceof HttpTimeoutException || exception instanceof SocketTimeoutException) {
      return TransportFailure.TIMEOUT;
    }
    if (exception instanceof ConnectException || exception instanceof NoRouteToHostException) {
      return TransportFailure.CONNECTION_REFUSED;
    }
    if (exception instanceof UnknownHostException) {
      return TransportFailure.DNS_FAILURE;
    }
    if (exception instanceof SSLException) {
      return TransportFailure.TLS_FAILURE;
    }
    if (exception instanceof IOException) {
      return requestWritten ? TransportFailure.AMBIGUOUS : TransportFailure.CONNECTION_RESET;
    }
    return TransportFailure.IO_ERROR;
  }

  private static String describe(int status) {
    return switch (classify(status)) {
      case SUCCESS -> "HTTP " + status;
      case RETRY -> "HTTP " + status + ": retryable";
      case FAIL_AND_DISABLE -> "HTTP 410 Gone: the endpoint asked not to be called again";
      case FAIL ->
          status >= 300 && status <= 399
              ? "HTTP " + status + ": redirects are not followed"
              : "HTTP " + status + ": not retryable";
    };
  }
}
