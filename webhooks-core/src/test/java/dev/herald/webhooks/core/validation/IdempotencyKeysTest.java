package dev.herald.webhooks.core.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.webhooks.api.NewEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdempotencyKeysTest {

  @Test
  void producerKeyWins() {
    NewEvent event =
        NewEvent.of("acme", "user.created", Map.of("user_id", "u")).withIdempotencyKey("mine");
    assertThat(IdempotencyKeys.keyOf(event)).isEqualTo("mine");
  }

  @Test
  void derivedKeyIgnoresKeyOrderOfData() {
    Map<String, Object> ab = new LinkedHashMap<>();
    ab.put("a", 1);
    ab.put("b", 2);
    Map<String, Object> ba = new LinkedHashMap<>();
    ba.put("b", 2);
    ba.put("a", 1);
    String first = IdempotencyKeys.keyOf(NewEvent.of("acme", "t.x", ab));
    assertThat(first).startsWith("sha256:").hasSize(7 + 64);
    assertThat(IdempotencyKeys.keyOf(NewEvent.of("acme", "t.x", ba))).isEqualTo(first);
  }

  @Test
  void derivedKeyDependsOnTenantTypeSubjectAndData() {
    NewEvent base = NewEvent.of("acme", "t.x", Map.of("a", 1)).withSubject("s");
    String key = IdempotencyKeys.keyOf(base);
    assertThat(IdempotencyKeys.keyOf(NewEvent.of("other", "t.x", Map.of("a", 1)).withSubject("s")))
        .isNotEqualTo(key);
    assertThat(IdempotencyKeys.keyOf(NewEvent.of("acme", "t.y", Map.of("a", 1)).withSubject("s")))
        .isNotEqualTo(key);
    assertThat(IdempotencyKeys.keyOf(base.withSubject("t"))).isNotEqualTo(key);
    assertThat(IdempotencyKeys.keyOf(NewEvent.of("acme", "t.x", Map.of("a", 2)).withSubject("s")))
        .isNotEqualTo(key);
  }
}
