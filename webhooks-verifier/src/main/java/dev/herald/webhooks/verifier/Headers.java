package dev.herald.webhooks.verifier;

import dev.herald.webhooks.verifier.WebhookVerificationException.Reason;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Request headers looked up case-insensitively, from servlet-style or single-valued maps. */
final class Headers {

  private final Map<String, List<String>> values;

  private Headers(Map<String, List<String>> values) {
    this.values = values;
  }

  /**
   * Copies a header map whose values are {@code String}, {@code String[]} or collections of
   * strings. Keys that differ only in case are merged, since HTTP header names are case-insensitive
   * and a plain {@code HashMap} may hold both.
   */
  static Headers of(Map<String, ?> map) {
    if (map == null) {
      throw new NullPointerException("headers");
    }
    Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (Map.Entry<String, ?> entry : map.entrySet()) {
      // HttpURLConnection.getHeaderFields() keys the status line under null.
      if (entry.getKey() == null || entry.getValue() == null) {
        continue;
      }
      List<String> target = copy.computeIfAbsent(entry.getKey(), k -> new ArrayList<>());
      Object value = entry.getValue();
      if (value instanceof String) {
        target.add((String) value);
      } else if (value instanceof String[]) {
        addAll(entry.getKey(), List.of((Object[]) value), target);
      } else if (value instanceof Collection) {
        addAll(entry.getKey(), (Collection<?>) value, target);
      } else {
        throw new IllegalArgumentException(
            "header "
                + entry.getKey()
                + " has a value of type "
                + value.getClass().getName()
                + "; expected String, String[] or a collection of String");
      }
    }
    return new Headers(copy);
  }

  private static void addAll(String name, Collection<?> source, List<String> target) {
    for (Object element : source) {
      if (element == null) {
        continue;
      }
      if (!(element instanceof String)) {
        throw new IllegalArgumentException(
            "header "
                + name
                + " has an element of type "
                + element.getClass().getName()
                + "; expected String");
      }
      target.add((String) element);
    }
  }

  /** All values of a header, in order; empty if absent. */
  List<String> all(String name) {
    List<String> list = values.get(name);
    return list == null ? Collections.emptyList() : list;
  }

  /**
   * The one value of a required header, trimmed. A header sent twice with the same value is
   * accepted (some proxies duplicate headers); with different values it is ambiguous.
   */
  String required(String name) throws WebhookVerificationException {
    String found = null;
    for (String value : all(name)) {
      String trimmed = value.trim();
      if (found == null) {
        found = trimmed;
      } else if (!found.equals(trimmed)) {
        throw new WebhookVerificationException(
            Reason.MALFORMED_HEADER, name, "header " + name + " is present with different values");
      }
    }
    if (found == null) {
      throw new WebhookVerificationException(
          Reason.MISSING_HEADER, name, "header " + name + " is missing");
    }
    if (found.isEmpty()) {
      throw new WebhookVerificationException(
          Reason.MISSING_HEADER, name, "header " + name + " is empty");
    }
    return found;
  }

  /** The first non-blank value of an optional header, trimmed, or {@code null}. */
  String optional(String name) {
    for (String value : all(name)) {
      if (!value.isBlank()) {
        return value.trim();
      }
    }
    return null;
  }

  /** The values of a required header; at least one. */
  List<String> requiredAll(String name) throws WebhookVerificationException {
    List<String> list = all(name);
    for (String value : list) {
      if (!value.isBlank()) {
        return list;
      }
    }
    throw new WebhookVerificationException(
        Reason.MISSING_HEADER,
        name,
        "header " + name + (list.isEmpty() ? " is missing" : " is empty"));
  }
}
