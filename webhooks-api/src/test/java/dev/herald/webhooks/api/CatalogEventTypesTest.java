package dev.herald.webhooks.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CatalogEventTypesTest {

  @Test
  void catalogHasTheElevenDesignTypesThenTheFourOperationalOnes() {
    assertThat(CatalogEventTypes.all())
        .extracting(EventType::name)
        .containsExactly(
            "memory.created",
            "memory.updated",
            "memory.deleted",
            "concept.discovered",
            "session.started",
            "session.ended",
            "sync.completed",
            "sync.failed",
            "user.created",
            "quota.warning",
            "quota.exceeded",
            "herald.endpoint.disabled",
            "herald.endpoint.enabled",
            "herald.endpoint.circuit_opened",
            "herald.endpoint.circuit_closed");
    assertThat(priority("herald.endpoint.disabled")).isEqualTo(Priority.HIGH);
    assertThat(priority("concept.discovered")).isEqualTo(Priority.LOW);
    assertThat(priority("sync.failed")).isEqualTo(Priority.HIGH);
    assertThat(priority("quota.warning")).isEqualTo(Priority.HIGH);
    assertThat(priority("quota.exceeded")).isEqualTo(Priority.HIGH);
    assertThat(priority("memory.created")).isEqualTo(Priority.NORMAL);
  }

  @Test
  void everyTypeShipsASchemaAndAnExample() {
    for (EventType type : CatalogEventTypes.all()) {
      assertThat(type.dataSchema()).as(type.name()).contains("\"required\"");
      assertThat(type.example()).as(type.name()).startsWith("{");
    }
  }

  private static Priority priority(String name) {
    return CatalogEventTypes.all().stream()
        .filter(t -> t.name().equals(name))
        .findFirst()
        .orElseThrow()
        .priority();
  }

  @Test
  void eventDataIsFrozenOnConstruction() {
    java.util.HashMap<String, Object> data = new java.util.HashMap<>(Map.of("a", List.of(1)));
    NewEvent event = NewEvent.of("acme", "user.created", data);
    data.put("b", 2);
    assertThat(event.data()).containsOnlyKeys("a");
    assertThatThrownBy(() -> event.data().put("c", 3))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void rejectsValuesThatAreNotJson() {
    assertThatThrownBy(
            () -> NewEvent.of("acme", "user.created", Map.of("when", new java.util.Date())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("data.when");
  }

  @Test
  void rejectsBadEventTypeNames() {
    assertThatThrownBy(() -> new EventType("Memory", Priority.LOW, "d", 1, "{}", "{}"))
        .hasMessageContaining("dotted lower-case");
  }
}
