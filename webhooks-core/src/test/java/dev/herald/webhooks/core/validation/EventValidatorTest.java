package dev.herald.webhooks.core.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.webhooks.api.CatalogEventTypes;
import dev.herald.webhooks.api.EventType;
import dev.herald.webhooks.api.InvalidEventException;
import dev.herald.webhooks.api.InvalidEventException.Reason;
import dev.herald.webhooks.api.NewEvent;
import dev.herald.webhooks.core.json.JsonReader;
import dev.herald.webhooks.core.registry.EventTypeRegistry;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class EventValidatorTest {
  private final EventValidator validator =
      new EventValidator(new EventTypeRegistry(List.of()), 256 * 1024);

  private static InvalidEventException refusal(ThrowingCallable call) {
    return (InvalidEventException)
        org.assertj.core.api.Assertions.catchThrowableOfType(InvalidEventException.class, call);
  }

  @Test
  void acceptsEveryCatalogExample() {
    for (EventType type : CatalogEventTypes.all()) {
      NewEvent event = NewEvent.of("acme", type.name(), JsonReader.readObject(type.example()));
      assertThat(validator.validate(event).type().name()).isEqualTo(type.name());
    }
  }

  @Test
  void rejectsUnknownType() {
    InvalidEventException e =
        refusal(() -> validator.validate(NewEvent.of("acme", "memory.exploded", Map.of())));
    assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_TYPE);
    assertThat(e).hasMessageContaining("memory.exploded");
  }

  @Test
  void rejectsMissingRequiredFieldNamingIt() {
    InvalidEventException e =
        refusal(
            () ->
                validator.validate(
                    NewEvent.of("acme", "memory.created", Map.of("memory_id", "m1"))));
    assertThat(e.reason()).isEqualTo(Reason.SCHEMA_VIOLATION);
    assertThat(e.field()).isEqualTo("data.user_id");
    assertThat(e).hasMessage("data.user_id is required");
  }

  @Test
  void rejectsWrongFieldType() {
    InvalidEventException e =
        refusal(
            () ->
                validator.validate(
                    NewEvent.of(
                        "acme",
                        "session.ended",
                        Map.of("session_id", "s", "user_id", "u", "duration_ms", "long"))));
    assertThat(e.field()).isEqualTo("data.duration_ms");
    assertThat(e).hasMessage("data.duration_ms must be integer, was a string");
  }

  @Test
  void rejectsNonIntegralNumberForIntegerField() {
    InvalidEventException e =
        refusal(
            () ->
                validator.validate(
                    NewEvent.of(
                        "acme",
                        "session.ended",
                        Map.of("session_id", "s", "user_id", "u", "duration_ms", 1.5))));
    assertThat(e.field()).isEqualTo("data.duration_ms");
  }

  @Test
  void rejectsArrayItemOfWrongType() {
    InvalidEventException e =
        refusal(
            () ->
                validator.validate(
                    NewEvent.of(
                        "acme",
                        "memory.created",
                        Map.of("memory_id", "m", "user_id", "u", "concepts", List.of("a", 2)))));
    assertThat(e.field()).isEqualTo("data.concepts[1]");
  }

  @Test
  void rejectsNumberOutsideRange() {
    InvalidEventException e =
        refusal(
            () ->
                validator.validate(
                    NewEvent.of(
                        "acme",
                        "memory.created",
                        Map.of("memory_id", "m", "user_id", "u", "importance", 1.5))));
    assertThat(e).hasMessage("data.importance must be <= 1");
  }

  @Test
  void rejectsEmptyRequiredString() {
    InvalidEventException e =
        refusal(
            () ->
                validator.validate(
                    NewEvent.of(
                        "acme", "memory.deleted", Map.of("memory_id", "", "user_id", "u"))));
    assertThat(e.field()).isEqualTo("data.memory_id");
  }

  @Test
  void rejectsPayloadOverTheSizeLimit() {
    EventValidator small = new EventValidator(new EventTypeRegistry(List.of()), 1024);
    InvalidEventException e =
        refusal(
            () ->
                small.validate(
                    NewEvent.of(
                        "acme", "sync.failed", Map.of("sync_id", "s", "error", "x".repeat(1100)))));
    assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
    assertThat(e).hasMessageContaining("the limit is 1024 bytes");
  }

  @Test
  void acceptsPayloadJustUnderTheSizeLimit() {
    EventValidator small = new EventValidator(new EventTypeRegistry(List.of()), 1024);
    // {"sync_id":"s","error":""} is 26 bytes plus the error text; {} metadata is 2.
    NewEvent event =
        NewEvent.of("acme", "sync.failed", Map.of("sync_id", "s", "error", "x".repeat(1024 - 28)));
    assertThat(small.validate(event)).isNotNull();
    NewEvent oneMore =
        NewEvent.of("acme", "sync.failed", Map.of("sync_id", "s", "error", "x".repeat(1024 - 27)));
    assertThat(refusal(() -> small.validate(oneMore)).reason()).isEqualTo(Reason.TOO_LARGE);
  }

  @Test
  void rejectsBadTenantIdAndControlCharactersInSubject() {
    assertThat(
            refusal(
                    () ->
                        validator.validate(
                            NewEvent.of("Acme Inc", "user.created", Map.of("user_id", "u"))))
                .field())
        .isEqualTo("tenant_id");
    assertThat(
            refusal(
                    () ->
                        validator.validate(
                            NewEvent.of("acme", "user.created", Map.of("user_id", "u"))
                                .withSubject("a\nb")))
                .field())
        .isEqualTo("subject");
    assertThat(
            refusal(
                    () ->
                        validator.validate(
                            NewEvent.of("acme", "user.created", Map.of("user_id", "u"))
                                .withIdempotencyKey("k".repeat(257))))
                .field())
        .isEqualTo("idempotency_key");
  }

  @Test
  void rejectsUnsupportedSchemaKeywordAtCompileTime() {
    assertThatThrownBy(() -> DataSchema.compile("{\"type\":\"object\",\"oneOf\":[]}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'oneOf'");
  }

  @Test
  void enforcesEnumPatternAndClosedObjects() {
    DataSchema schema =
        DataSchema.compile(
            "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{"
                + "\"kind\":{\"enum\":[\"a\",\"b\"]},\"code\":{\"type\":\"string\",\"pattern\":\"^[A-Z]{3}$\"}}}");
    schema.validate(Map.of("kind", "a", "code", "ABC"), "data");
    assertThat(refusal(() -> schema.validate(Map.of("kind", "c"), "data")).field())
        .isEqualTo("data.kind");
    assertThat(refusal(() -> schema.validate(Map.of("code", "abc"), "data")).field())
        .isEqualTo("data.code");
    assertThat(refusal(() -> schema.validate(Map.of("extra", 1), "data")).field())
        .isEqualTo("data.extra");
  }

  private static final Map<String, Object> MEMORY = Map.of("memory_id", "m1", "user_id", "u1");

  @Test
  void rejectsLoneSurrogatesInSubjectAndIdempotencyKey() {
    InvalidEventException subject =
        refusal(
            () ->
                validator.validate(
                    new NewEvent("acme", "memory.created", "memory/\uD800", null, MEMORY, null)));
    assertThat(subject.field()).isEqualTo("subject");
    assertThat(subject).hasMessageContaining("lone surrogate");
    InvalidEventException key =
        refusal(
            () ->
                validator.validate(
                    new NewEvent("acme", "memory.created", null, "k\uDC00", MEMORY, null)));
    assertThat(key.field()).isEqualTo("idempotency_key");
  }

  @Test
  void rejectsNulInSubject() {
    InvalidEventException e =
        refusal(
            () ->
                validator.validate(
                    new NewEvent("acme", "memory.created", "a\u0000b", null, MEMORY, null)));
    assertThat(e.field()).isEqualTo("subject");
    assertThat(e).hasMessageContaining("U+0000");
  }

  @Test
  void rejectsDataThatJsonCannotCarryIntact() {
    Map<String, Object> lone = Map.of("memory_id", "m\uD800", "user_id", "u1");
    InvalidEventException surrogate =
        refusal(() -> validator.validate(NewEvent.of("acme", "memory.created", lone)));
    assertThat(surrogate.field()).isEqualTo("data");
    assertThat(surrogate).hasMessageContaining("lone surrogate");
    Map<String, Object> huge =
        Map.of("memory_id", "m1", "user_id", "u1", "importance", new java.math.BigDecimal("1e309"));
    InvalidEventException number =
        refusal(() -> validator.validate(NewEvent.of("acme", "memory.created", huge)));
    assertThat(number.field()).isEqualTo("data");
    assertThat(number).hasMessageContaining("out of range");
  }
}
