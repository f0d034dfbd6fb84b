package dev.herald.webhooks.store.jpa;

/** The database failed or refused an operation; the message names the operation, not the data. */
public class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
