package dev.herald.webhooks.spi;

/**
 * The store cannot be reached (its database refused or lost the connection, is shutting down or
 * starting up, or no connection was free in time). Nothing was changed; the same call may succeed
 * later. The store logs when it becomes unreachable and when it answers again, so callers need not
 * log each one.
 */
public class StoreUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
