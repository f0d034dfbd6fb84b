package dev.herald.webhooks.core.routing;

import java.util.regex.Pattern;

/**
 * One event-type filter of an endpoint: an exact name ({@code quota.exceeded}), a prefix wildcard
 * ({@code memory.*} matches {@code memory.created} and any deeper name under {@code memory.}), or
 * {@code *} for every type. Immutable.
 */
public final class SubscriptionFilter {
  private static final Pattern SYNTAX =
      Pattern.compile("\\*|[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*(\\.\\*)?");

  private final String text;

  private SubscriptionFilter(String text) {
    this.text = text;
  }

  /**
   * @throws IllegalArgumentException naming the filter and the accepted forms
   */
  public static SubscriptionFilter parse(String text) {
    if (text == null || !SYNTAX.matcher(text).matches()) {
      throw new IllegalArgumentException(
          "event type filter '"
              + text
              + "' is not valid; use an exact type (memory.created), a prefix wildcard"
              + " (memory.*) or * for all types");
    }
    return new SubscriptionFilter(text);
  }

  public boolean matches(String eventType) {
    if (text.equals("*")) {
      return true;
    }
    if (text.endsWith(".*")) {
      return eventType.startsWith(text.substring(0, text.length() - 1));
    }
    return text.equals(eventType);
  }

  /** Whether any of {@code filters} matches; invalid filters match nothing. */
  public static boolean anyMatches(Iterable<String> filters, String eventType) {
    for (String filter : filters) {
      if (SYNTAX.matcher(filter).matches() && new SubscriptionFilter(filter).matches(eventType)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return text;
  }
}
