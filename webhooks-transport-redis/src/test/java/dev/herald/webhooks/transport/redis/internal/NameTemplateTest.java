package dev.herald.webhooks.transport.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NameTemplateTest {

  @Test
  void replacesTenantAndType() {
    assertThat(NameTemplate.parse("k", "herald:{tenant}:{type}").render("acme", "memory.created"))
        .isEqualTo("herald:acme:memory.created");
  }

  @Test
  void fixedNameNeedsNoPlaceholder() {
    assertThat(NameTemplate.parse("k", "model-registrations").render("acme", "model.registered"))
        .isEqualTo("model-registrations");
  }

  @Test
  void placeholderMayRepeatAndStandAlone() {
    assertThat(NameTemplate.parse("k", "{type}").render("t", "x.y")).isEqualTo("x.y");
    assertThat(NameTemplate.parse("k", "{tenant}-{tenant}").render("t", "x")).isEqualTo("t-t");
  }

  @Test
  void unknownPlaceholderNamesTheKey() {
    assertThatThrownBy(() -> NameTemplate.parse("my.key", "a:{tenant_id}"))
        .hasMessageContaining("my.key")
        .hasMessageContaining("{tenant_id}");
  }

  @Test
  void closingBraceWithoutOpeningIsRejected() {
    assertThatThrownBy(() -> NameTemplate.parse("my.key", "a}b")).hasMessageContaining("my.key");
  }

  @Test
  void emptyTemplateIsRejected() {
    assertThatThrownBy(() -> NameTemplate.parse("my.key", " ")).hasMessageContaining("my.key");
  }
}
