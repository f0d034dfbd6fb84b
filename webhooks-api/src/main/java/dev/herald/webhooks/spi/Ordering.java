package dev.herald.webhooks.spi;

import java.util.Locale;

/** In which order an endpoint receives events (DESIGN 16, {@code ordering}). */
public enum Ordering {
  /** Events go as soon as they can, several at a time. */
  NONE,
  /**
   * Events of one subject go one at a time in {@code sequence} order, retries included; events
   * without a subject are not held back.
   */
  SUBJECT;

  /** The name on the wire and in the store: {@code none} or {@code subject}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException when {@code name} is not {@code none} or {@code subject}
   */
  public static Ordering fromWireName(String name) {
    for (Ordering o : values()) {
      if (o.wireName().equals(name)) {
        return o;
      }
    }
    throw new IllegalArgumentException("ordering must be \"none\" or \"subject\", was " + name);
  }
}
