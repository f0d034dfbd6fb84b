package dev.herald.webhooks.transport.redis.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A channel or stream name with the placeholders {@code {tenant}} and {@code {type}}, e.g. {@code
 * herald:{tenant}:{type}}; a name without placeholders (a legacy channel such as {@code
 * model-registrations}) is used as it is. Immutable and thread-safe.
 */
public final class NameTemplate {

  private static final String TENANT = "{tenant}";
  private static final String TYPE = "{type}";

  private final String text;
  private final List<String> parts;

  private NameTemplate(String text, List<String> parts) {
    this.text = text;
    this.parts = List.copyOf(parts);
  }

  /**
   * Parses a template.
   *
   * @param key the configuration key, named in errors
   * @throws IllegalArgumentException naming the key for an unknown placeholder, an unbalanced brace
   *     or an empty template
   */
  public static NameTemplate parse(String key, String text) {
    Objects.requireNonNull(key, "key");
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(key + " must not be empty");
    }
    if (text.chars().anyMatch(c -> c <= ' ')) {
      throw new IllegalArgumentException(
          key + " '" + text + "' must not contain spaces or control characters");
    }
    List<String> parts = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      int open = text.indexOf('{', i);
      int close = text.indexOf('}', i);
      if (open < 0) {
        if (close >= 0) {
          throw unbalanced(key, text);
        }
        parts.add(text.substring(i));
        break;
      }
      if (close >= 0 && close < open) {
        throw unbalanced(key, text);
      }
      if (open > i) {
        parts.add(text.substring(i, open));
      }
      int end = text.indexOf('}', open);
      if (end < 0) {
        throw unbalanced(key, text);
      }
      String placeholder = text.substring(open, end + 1);
      if (!placeholder.equals(TENANT) && !placeholder.equals(TYPE)) {
        throw new IllegalArgumentException(
            key
                + " '"
                + text
                + "' has the unknown placeholder "
                + placeholder
                + "; allowed: {tenant} and {type}, or a fixed name without placeholders");
      }
      parts.add(placeholder);
      i = end + 1;
    }
    return new NameTemplate(text, parts);
  }

  /** The name for one event. */
  public String render(String tenantId, String eventType) {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(eventType, "eventType");
    StringBuilder out = new StringBuilder(text.length() + 32);
    for (String part : parts) {
      out.append(
          switch (part) {
            case TENANT -> tenantId;
            case TYPE -> eventType;
            default -> part;
          });
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return text;
  }

  private static IllegalArgumentException unbalanced(String key, String text) {
    return new IllegalArgumentException(
        key
            + " '"
            + text
            + "' has an unbalanced '{' or '}'; allowed placeholders: {tenant}, {type}");
  }
}
