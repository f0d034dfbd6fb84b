package dev.herald.webhooks.core.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.webhooks.api.NewEvent;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PayloadFilterTest {

  private static NewEvent event(String type, String subject, Map<String, Object> data) {
    return new NewEvent("acme", type, subject, null, data, Map.of("source", "importer"));
  }

  @Test
  void theDesignsExampleMatchesOnDataAndType() {
    PayloadFilter filter =
        PayloadFilter.compile("data.importance >= 0.8 && type.startsWith(\"memory.\")");
    assertThat(filter.matches(event("memory.created", null, Map.of("importance", 0.9)))).isTrue();
    assertThat(filter.matches(event("memory.created", null, Map.of("importance", 0.5)))).isFalse();
    assertThat(filter.matches(event("user.created", null, Map.of("importance", 0.9)))).isFalse();
  }

  @Test
  void numbersFromJsonCompareAcrossIntAndDouble() {
    PayloadFilter filter = PayloadFilter.compile("data.count > 2 && data.ratio < 1");
    Map<String, Object> data = new HashMap<>();
    data.put("count", new BigDecimal("3"));
    data.put("ratio", new BigDecimal("0.25"));
    assertThat(filter.matches(event("x.y", null, data))).isTrue();
    data.put("count", 2L);
    assertThat(filter.matches(event("x.y", null, data))).isFalse();
  }

  @Test
  void subjectTenantMetadataListsAndMacrosAreAvailable() {
    PayloadFilter filter =
        PayloadFilter.compile(
            "subject.startsWith(\"memory/\") && tenant_id == \"acme\""
                + " && metadata.source == \"importer\""
                + " && data.tags.exists(t, t == \"vip\") && has(data.user)");
    assertThat(
            filter.matches(
                event(
                    "memory.created",
                    "memory/1",
                    Map.of("tags", List.of("a", "vip"), "user", "u"))))
        .isTrue();
    assertThat(
            filter.matches(
                event("memory.created", "memory/1", Map.of("tags", List.of("a"), "user", "u"))))
        .isFalse();
    assertThat(
            filter.matches(
                event("memory.created", null, Map.of("tags", List.of("vip"), "user", "u"))))
        .as("no subject is the empty string")
        .isFalse();
  }

  @Test
  void aFailingEvaluationDoesNotMatch() {
    PayloadFilter filter = PayloadFilter.compile("data.missing == 1");
    assertThat(filter.matches(event("x.y", null, Map.of()))).isFalse();
    Map<String, Object> nulls = new HashMap<>();
    nulls.put("missing", null);
    assertThat(PayloadFilter.compile("data.missing == null").matches(event("x.y", null, nulls)))
        .isTrue();
  }

  @Test
  void mistakesAreRefusedWithTheirPosition() {
    assertThatThrownBy(() -> PayloadFilter.compile("data.importance >= "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at 1:");
    assertThatThrownBy(() -> PayloadFilter.compile("importance > 1"))
        .hasMessageContaining("undeclared reference to 'importance'")
        .hasMessageContaining("at 1:1");
    assertThatThrownBy(() -> PayloadFilter.compile("type"))
        .as("the result must be a bool")
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PayloadFilter.compile(" ")).hasMessageContaining("empty");
    assertThatThrownBy(() -> PayloadFilter.compile("true || ".repeat(400) + "true"))
        .hasMessageContaining("at most 2000");
  }

  @Test
  void storedFiltersAreCompiledOnceAndOneThatNoLongerCompilesMatchesNothing() {
    NewEvent e = event("memory.created", null, Map.of("importance", 1));
    assertThat(PayloadFilter.matches("data.importance > 0", e)).isTrue();
    assertThat(PayloadFilter.matches("data.importance > ", e)).isFalse();
  }
}
