package dev.herald.webhooks.core.validation;

import dev.herald.webhooks.core.json.StrictJson;

/**
 * What a short text from outside (a name, a description, an id, a header or query value) may hold:
 * at most a given number of characters, no control characters (line breaks only where a text is
 * free prose) and no lone surrogates. Databases and receivers then get the text exactly as sent.
 */
public final class TextRules {
  private TextRules() {}

  /**
   * @param name how the text is called in the message, e.g. {@code description}
   * @param maxLength the most UTF-16 units allowed
   * @param lineBreaks whether {@code \n}, {@code \r} and {@code \t} are allowed (prose)
   * @throws IllegalArgumentException saying what is wrong, naming {@code name}
   */
  public static void check(String name, String value, int maxLength, boolean lineBreaks) {
    if (value.length() > maxLength) {
      throw new IllegalArgumentException(
          name + " must be at most " + maxLength + " characters, was " + value.length());
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean control = c < 0x20 || (c >= 0x7f && c <= 0x9f);
      if (control && !(lineBreaks && (c == '\n' || c == '\r' || c == '\t'))) {
        throw new IllegalArgumentException(
            String.format(
                "%s must not contain control characters (U+%04X at index %d)", name, (int) c, i));
      }
    }
    int lone = StrictJson.loneSurrogate(value);
    if (lone >= 0) {
      throw new IllegalArgumentException(
          name + " holds a lone surrogate at index " + lone + ": not Unicode text");
    }
  }
}
