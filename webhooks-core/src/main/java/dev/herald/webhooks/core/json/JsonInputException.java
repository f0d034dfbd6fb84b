package dev.herald.webhooks.core.json;

/**
 * JSON from outside that Herald refuses: not JSON at all (truncated, malformed, not UTF-8), or JSON
 * that could not reach a receiver intact (a lone surrogate, a duplicate key, a number no JSON
 * reader can hold), or larger or deeper than the limits.
 */
public final class JsonInputException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Why the input was refused. */
  public enum Reason {
    /** Not well-formed JSON text: truncated, a syntax error, or bytes that are not UTF-8. */
    MALFORMED,
    /** Well-formed, but holds a value Herald refuses (lone surrogate, duplicate key, ...). */
    INVALID_VALUE,
    /** More bytes, nesting or characters than the limits allow. */
    TOO_LARGE
  }

  private final Reason reason;
  private final String path;

  /**
   * @param path where in the document, as {@code data.items[2].name}; empty for the whole document
   */
  public JsonInputException(Reason reason, String path, String message) {
    super(message, null);
    this.reason = reason;
    this.path = path;
  }

  public Reason reason() {
    return reason;
  }

  /** Where in the document the problem is ({@code data.items[2]}), or empty for the document. */
  public String path() {
    return path;
  }
}
