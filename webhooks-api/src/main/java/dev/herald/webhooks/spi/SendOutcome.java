package dev.herald.webhooks.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * What happened to one send. A transport classifies the result; the worker turns it into the
 * delivery's next state (succeeded, retry at a time, dead, or postponed without an attempt when the
 * transport refused to try).
 */
public sealed interface SendOutcome
    permits SendOutcome.Succeeded, SendOutcome.Retry, SendOutcome.Failed, SendOutcome.Refused {

  /** The response, or null when none came back (connection error, timeout). */
  Response response();

  /** How long the send took. */
  Duration duration();

  /** Why the send did not succeed; null when it did. */
  Error error();

  /**
   * What the destination answered.
   *
   * @param statusCode HTTP status, or 0 for a transport without status codes
   * @param bodyExcerpt the first 4 KiB of the response body, decoded as UTF-8; may be empty
   */
  record Response(int statusCode, String bodyExcerpt) {
    public Response {
      Objects.requireNonNull(bodyExcerpt, "bodyExcerpt");
    }
  }

  /**
   * Why a send did not succeed.
   *
   * @param type a short class of error, e.g. {@code connect_timeout}, {@code http_503}, {@code
   *     ssrf_denied}
   * @param message a human-readable message without secrets or bodies
   */
  record Error(String type, String message) {
    public Error {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(message, "message");
    }
  }

  /** The destination accepted the message. */
  record Succeeded(Response response, Duration duration) implements SendOutcome {
    public Succeeded {
      Objects.requireNonNull(duration, "duration");
    }

    @Override
    public Error error() {
      return null;
    }
  }

  /**
   * A failure worth trying again (connection error, timeout, 408, 429, 5xx, ambiguous break).
   *
   * @param retryAfter the destination's requested delay, or null to follow the retry schedule
   */
  record Retry(Response response, Duration duration, Error error, Duration retryAfter)
      implements SendOutcome {
    public Retry {
      Objects.requireNonNull(duration, "duration");
      Objects.requireNonNull(error, "error");
    }
  }

  /**
   * A failure that retrying will not fix (other 4xx, 3xx, refused by policy).
   *
   * @param disableEndpoint true when the destination asked not to be called again (410 Gone)
   */
  record Failed(Response response, Duration duration, Error error, boolean disableEndpoint)
      implements SendOutcome {
    public Failed {
      Objects.requireNonNull(duration, "duration");
      Objects.requireNonNull(error, "error");
    }
  }

  /**
   * The transport did not try: it refuses every send for now, e.g. while its circuit breaker is
   * open or its concurrent sends are all busy. The delivery waits {@code retryAfter} without
   * spending an attempt, however long the refusals last.
   */
  record Refused(Duration duration, Error error, Duration retryAfter) implements SendOutcome {
    public Refused {
      Objects.requireNonNull(duration, "duration");
      Objects.requireNonNull(error, "error");
      Objects.requireNonNull(retryAfter, "retryAfter");
    }

    @Override
    public Response response() {
      return null;
    }
  }
}
