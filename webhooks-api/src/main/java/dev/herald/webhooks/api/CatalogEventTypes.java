package dev.herald.webhooks.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The built-in event catalog of DESIGN section 4. Each type's data schema and example are shipped
 * as resources next to this class ({@code catalog/<name>.schema.json}, {@code
 * catalog/<name>.example.json}).
 */
public final class CatalogEventTypes {
  public static final String MEMORY_CREATED = "memory.created";
  public static final String MEMORY_UPDATED = "memory.updated";
  public static final String MEMORY_DELETED = "memory.deleted";
  public static final String CONCEPT_DISCOVERED = "concept.discovered";
  public static final String SESSION_STARTED = "session.started";
  public static final String SESSION_ENDED = "session.ended";
  public static final String SYNC_COMPLETED = "sync.completed";
  public static final String SYNC_FAILED = "sync.failed";
  public static final String USER_CREATED = "user.created";
  public static final String QUOTA_WARNING = "quota.warning";
  public static final String QUOTA_EXCEEDED = "quota.exceeded";

  /** Operational events: published by Herald itself, never by producers. */
  public static final String RESERVED_PREFIX = "herald.";

  public static final String ENDPOINT_DISABLED = "herald.endpoint.disabled";
  public static final String ENDPOINT_ENABLED = "herald.endpoint.enabled";
  public static final String ENDPOINT_CIRCUIT_OPENED = "herald.endpoint.circuit_opened";
  public static final String ENDPOINT_CIRCUIT_CLOSED = "herald.endpoint.circuit_closed";

  private static final List<EventType> ALL =
      List.of(
          type(MEMORY_CREATED, Priority.NORMAL, "A memory was stored for a user."),
          type(MEMORY_UPDATED, Priority.NORMAL, "Fields of an existing memory changed."),
          type(MEMORY_DELETED, Priority.NORMAL, "A memory was deleted."),
          type(CONCEPT_DISCOVERED, Priority.LOW, "A new concept was found across memories."),
          type(SESSION_STARTED, Priority.NORMAL, "A user session began."),
          type(SESSION_ENDED, Priority.NORMAL, "A user session ended."),
          type(SYNC_COMPLETED, Priority.NORMAL, "A synchronisation run finished."),
          type(SYNC_FAILED, Priority.HIGH, "A synchronisation run failed."),
          type(USER_CREATED, Priority.NORMAL, "A user account was created."),
          type(QUOTA_WARNING, Priority.HIGH, "A quota is close to its limit."),
          type(QUOTA_EXCEEDED, Priority.HIGH, "A quota went over its limit."),
          type(
              ENDPOINT_DISABLED,
              Priority.HIGH,
              "Herald disabled one of the tenant's endpoints (sent to its other endpoints)."),
          type(ENDPOINT_ENABLED, Priority.HIGH, "One of the tenant's endpoints was enabled again."),
          type(
              ENDPOINT_CIRCUIT_OPENED,
              Priority.HIGH,
              "Herald stopped sending to an endpoint for a while after consecutive failures."),
          type(
              ENDPOINT_CIRCUIT_CLOSED,
              Priority.HIGH,
              "An endpoint answered again and Herald resumed sending to it."));

  private CatalogEventTypes() {}

  /** The fifteen built-in types, in catalog order: eleven for producers, four operational. */
  public static List<EventType> all() {
    return ALL;
  }

  private static EventType type(String name, Priority priority, String description) {
    return new EventType(
        name,
        priority,
        description,
        1,
        resource("catalog/" + name + ".schema.json"),
        resource("catalog/" + name + ".example.json"));
  }

  private static String resource(String path) {
    try (InputStream in = CatalogEventTypes.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing catalog resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read catalog resource " + path, e);
    }
  }
}
