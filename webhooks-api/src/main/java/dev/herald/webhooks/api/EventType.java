package dev.herald.webhooks.api;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A registered event type.
 *
 * @param name dotted lower-case name such as {@code memory.created}
 * @param priority claim priority of its deliveries
 * @param description one sentence for people choosing subscriptions
 * @param schemaVersion version of {@code dataSchema}, copied into each event
 * @param dataSchema JSON Schema (the subset Herald validates: type, required, properties, items,
 *     enum, minimum, maximum, minLength, maxLength) of the event's {@code data}, as JSON text
 * @param example an example {@code data} object, as JSON text
 */
public record EventType(
    String name,
    Priority priority,
    String description,
    int schemaVersion,
    String dataSchema,
    String example) {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+");

  public EventType {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "event type name must be dotted lower-case words such as memory.created, was " + name);
    }
    Objects.requireNonNull(priority, "priority");
    Objects.requireNonNull(description, "description");
    if (schemaVersion < 1) {
      throw new IllegalArgumentException("schemaVersion must be >= 1, was " + schemaVersion);
    }
    Objects.requireNonNull(dataSchema, "dataSchema");
    Objects.requireNonNull(example, "example");
  }
}
