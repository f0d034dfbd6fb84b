package dev.herald.webhooks.worker.logging;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Identifiers of the delivery the current thread works on ({@code event_id}, {@code delivery_id},
 * {@code endpoint_id}, {@code attempt}), added to every log line it writes. Never put secrets, URLs
 * or bodies here.
 */
public final class LogContext {
  private static final ThreadLocal<Map<String, String>> CURRENT =
      ThreadLocal.withInitial(LinkedHashMap::new);

  private LogContext() {}

  /** Sets the fields for the current thread until the returned scope is closed. */
  public static Scope with(Map<String, String> fields) {
    Map<String, String> previous = new LinkedHashMap<>(CURRENT.get());
    CURRENT.get().putAll(fields);
    return () -> {
      CURRENT.get().clear();
      CURRENT.get().putAll(previous);
    };
  }

  /** The current thread's fields. */
  public static Map<String, String> current() {
    return Collections.unmodifiableMap(CURRENT.get());
  }

  /** Ends a {@link #with} scope; never throws. */
  @FunctionalInterface
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }
}
