package dev.herald.webhooks.spi;

/** A paging cursor that the store did not make (or no longer reads). */
public class InvalidCursorException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidCursorException(String message) {
    super(message);
  }
}
