package dev.herald.webhooks.core.ssrf;

import java.util.Objects;

/**
 * A webhook URL or address refused by the {@link SsrfPolicy}. The message is meant for the user who
 * configured the endpoint: it says exactly what was refused and what is allowed instead.
 */
public final class SsrfViolationException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why a URL or address was refused. */
  public enum Reason {
    MALFORMED_URL,
    SCHEME_NOT_ALLOWED,
    HTTPS_REQUIRED,
    USERINFO_NOT_ALLOWED,
    MISSING_HOST,
    PORT_NOT_ALLOWED,
    NON_CANONICAL_IP_LITERAL,
    ADDRESS_DENIED,
    UNRESOLVABLE_HOST
  }

  private final Reason reason;

  public SsrfViolationException(Reason reason, String message) {
    this(reason, message, null);
  }

  public SsrfViolationException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }
}
