package dev.herald.webhooks.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.webhooks.api.EventType;
import dev.herald.webhooks.api.Priority;
import dev.herald.webhooks.spi.EventTypeProvider;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventTypeRegistryTest {

  static final EventType MODEL_REGISTERED =
      new EventType(
          "model.registered",
          Priority.NORMAL,
          "A model version was registered.",
          1,
          """
          {"type": "object", "required": ["model_id", "registered_version"],
           "properties": {"model_id": {"type": "string"}, "registered_version": {"type": "string"},
             "token_symbol": {"type": "string"}, "baseline_metrics": {"type": "object"},
             "metadata": {"type": "object"}}}
          """,
          "{\"model_id\": \"m-1\", \"registered_version\": \"3\"}");

  static EventTypeProvider provider(String name, EventType... types) {
    return new EventTypeProvider() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public List<EventType> eventTypes() {
        return List.of(types);
      }
    };
  }

  @Test
  void catalogComesFirstThenProviderTypes() {
    EventTypeRegistry registry =
        new EventTypeRegistry(List.of(provider("model-registry", MODEL_REGISTERED)));
    assertThat(registry.types()).hasSize(16);
    assertThat(registry.types().get(0).name()).isEqualTo("memory.created");
    assertThat(registry.types().get(15).name()).isEqualTo("model.registered");
    assertThat(registry.find("model.registered")).isPresent();
  }

  @Test
  void typeDefinedTwiceFailsNamingBothSources() {
    EventType clash = new EventType("memory.created", Priority.LOW, "x", 1, "{}", "{}");
    assertThatThrownBy(() -> new EventTypeRegistry(List.of(provider("rogue", clash))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("built-in catalog")
        .hasMessageContaining("provider rogue");
  }

  @Test
  void providerWithInvalidSchemaFailsAtStartUp() {
    EventType bad = new EventType("x.bad", Priority.LOW, "x", 1, "{\"anyOf\": []}", "{}");
    assertThatThrownBy(() -> new EventTypeRegistry(List.of(provider("p", bad))))
        .hasMessageContaining("x.bad")
        .hasMessageContaining("anyOf");
  }

  @Test
  void loadsBuiltInsWithNoProvidersOnTheClassPath() {
    assertThat(EventTypeRegistry.load(getClass().getClassLoader()).types()).hasSize(15);
  }
}
