package dev.herald.webhooks.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks and freezes JSON-shaped Java values: {@code null}, {@link Boolean}, {@link Number}, {@link
 * String}, {@link List} of those and {@link Map} with {@code String} keys. Used by the records of
 * this package so that an event's data cannot change after it was validated.
 */
final class JsonValues {
  private JsonValues() {}

  static Map<String, Object> freezeObject(Map<String, ?> map, String what) {
    if (map == null) {
      return Map.of();
    }
    Map<String, Object> copy = new LinkedHashMap<>();
    for (Map.Entry<String, ?> entry : map.entrySet()) {
      if (entry.getKey() == null) {
        throw new IllegalArgumentException(what + " has a null key");
      }
      copy.put(entry.getKey(), freeze(entry.getValue(), what + "." + entry.getKey()));
    }
    return Collections.unmodifiableMap(copy);
  }

  private static Object freeze(Object value, String path) {
    if (value == null
        || value instanceof String
        || value instanceof Boolean
        || value instanceof Number) {
      if (value instanceof Double d && (d.isNaN() || d.isInfinite())
          || value instanceof Float f && (f.isNaN() || f.isInfinite())) {
        throw new IllegalArgumentException(path + " is not a finite number");
      }
      return value;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (!(entry.getKey() instanceof String key)) {
          throw new IllegalArgumentException(path + " has a key that is not a string");
        }
        copy.put(key, freeze(entry.getValue(), path + "." + key));
      }
      return Collections.unmodifiableMap(copy);
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        copy.add(freeze(list.get(i), path + "[" + i + "]"));
      }
      return Collections.unmodifiableList(copy);
    }
    throw new IllegalArgumentException(
        path + " is a " + value.getClass().getName() + ", not a JSON value");
  }
}
