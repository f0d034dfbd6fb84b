package dev.herald.webhooks.core.validation;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TextRulesTest {
  @Test
  void acceptsUnicodeTextUpToTheLimit() {
    assertThatCode(() -> TextRules.check("name", "Acme \uD83D\uDE00 caf\u00e9", 20, false))
        .doesNotThrowAnyException();
    assertThatCode(() -> TextRules.check("name", "12345", 5, false)).doesNotThrowAnyException();
  }

  @Test
  void refusesOneCharacterOverTheLimit() {
    assertThatThrownBy(() -> TextRules.check("name", "123456", 5, false))
        .hasMessage("name must be at most 5 characters, was 6");
  }

  @Test
  void refusesNulAndOtherControlCharacters() {
    assertThatThrownBy(() -> TextRules.check("name", "a\u0000b", 10, false))
        .hasMessageContaining("U+0000 at index 1");
    assertThatThrownBy(() -> TextRules.check("name", "a\u007fb", 10, true))
        .hasMessageContaining("U+007F");
    assertThatThrownBy(() -> TextRules.check("name", "a\u0085b", 10, true))
        .hasMessageContaining("U+0085");
  }

  @Test
  void lineBreaksOnlyInProse() {
    assertThatCode(() -> TextRules.check("description", "a\nb\tc", 10, true))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> TextRules.check("name", "a\nb", 10, false))
        .hasMessageContaining("U+000A");
  }

  @Test
  void refusesLoneSurrogates() {
    assertThatThrownBy(() -> TextRules.check("key", "k\uD800", 10, false))
        .hasMessageContaining("lone surrogate at index 1");
    assertThatThrownBy(() -> TextRules.check("key", "\uDC00k", 10, false))
        .hasMessageContaining("lone surrogate at index 0");
  }
}
