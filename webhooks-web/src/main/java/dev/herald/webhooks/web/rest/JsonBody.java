package dev.herald.webhooks.web.rest;

import dev.herald.webhooks.core.time.DurationText;
import dev.herald.webhooks.core.validation.TextRules;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A request's JSON object, as {@link JsonBodyReader} parsed it, with typed getters that refuse a
 * value of the wrong kind, length or range as a 422 problem naming the field. Absent and {@code
 * null} fields are both empty.
 */
public final class JsonBody {
  private final Map<String, Object> fields;
  private final String path;

  JsonBody(Map<String, Object> fields, String path) {
    this.fields = fields;
    this.path = path;
  }

  /** Refuses every field but {@code names}: a misspelt field is an error, not silently ignored. */
  public JsonBody allowOnly(Set<String> names) {
    for (String name : fields.keySet()) {
      if (!names.contains(name)) {
        throw invalid(
            name, "unknown field '" + name + "'; this body takes " + String.join(", ", names));
      }
    }
    return this;
  }

  public boolean has(String name) {
    return fields.get(name) != null;
  }

  /** Whether the field is there with the value {@code null} (in a PATCH: back to the default). */
  public boolean isExplicitNull(String name) {
    return fields.containsKey(name) && fields.get(name) == null;
  }

  /** A nested object as a body of its own, whose problems name {@code name.field}. */
  public Optional<JsonBody> body(String name) {
    return object(name).map(map -> new JsonBody(map, fieldPath(name) + "."));
  }

  /** A duration such as {@code 30s}, {@code 5m} or {@code PT1H}, from zero to {@code max}. */
  public Optional<Duration> duration(String name, Duration max) {
    Optional<String> text = text(name, 32);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        DurationText.parse(text.get())
            .filter(d -> !d.isNegative() && d.compareTo(max) <= 0)
            .orElseThrow(
                () ->
                    invalid(
                        name,
                        name
                            + " must be a duration up to "
                            + DurationText.format(max)
                            + ", such as 30s, 5m or 1h")));
  }

  /** A one-line text: no control characters, at most {@code maxLength} characters. */
  public Optional<String> text(String name, int maxLength) {
    return string(name, maxLength, false);
  }

  /** Free prose: as {@link #text}, with line breaks and tabs allowed. */
  public Optional<String> prose(String name, int maxLength) {
    return string(name, maxLength, true);
  }

  public Optional<Boolean> bool(String name) {
    Object value = fields.get(name);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof Boolean b)) {
      throw invalid(name, name + " must be true or false");
    }
    return Optional.of(b);
  }

  /** A whole number from {@code min} to {@code max}. */
  public Optional<Integer> integer(String name, int min, int max) {
    Object value = fields.get(name);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof Long n) || n < min || n > max) {
      throw invalid(name, name + " must be a whole number from " + min + " to " + max);
    }
    return Optional.of(n.intValue());
  }

  /** A number from {@code min} to {@code max}, whole or not. */
  public Optional<Double> decimal(String name, double min, double max) {
    Object value = fields.get(name);
    if (value == null) {
      return Optional.empty();
    }
    double d = value instanceof Number n ? new BigDecimal(n.toString()).doubleValue() : Double.NaN;
    if (!(d >= min && d <= max)) {
      throw invalid(name, name + " must be a number from " + min + " to " + max);
    }
    return Optional.of(d);
  }

  /** An instant in ISO-8601 with an offset, such as {@code 2026-11-23T00:00:00Z}, in range. */
  public Optional<Instant> instant(String name) {
    Optional<String> text = text(name, 64);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(QueryParams.parseInstant(name, text.get()));
    } catch (IllegalArgumentException e) {
      throw invalid(name, e.getMessage());
    }
  }

  /** A list of one-line texts. */
  public Optional<List<String>> textList(String name, int maxItems, int maxLength) {
    Object value = fields.get(name);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof List<?> list)) {
      throw invalid(name, name + " must be a list of strings");
    }
    if (list.size() > maxItems) {
      throw invalid(name, name + " holds at most " + maxItems + " items, this one " + list.size());
    }
    List<String> texts = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      String item = name + "[" + i + "]";
      if (!(list.get(i) instanceof String s)) {
        throw invalid(item, item + " must be a string");
      }
      check(item, s, maxLength, false);
      texts.add(s);
    }
    return Optional.of(List.copyOf(texts));
  }

  /** An object whose values are one-line texts, in the order sent. */
  public Optional<Map<String, String>> textMap(
      String name, int maxEntries, int maxKeyLength, int maxValueLength) {
    Object value = fields.get(name);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof Map<?, ?> map)) {
      throw invalid(name, name + " must be an object of strings");
    }
    if (map.size() > maxEntries) {
      throw invalid(name, name + " holds at most " + maxEntries + " entries");
    }
    Map<String, String> texts = new LinkedHashMap<>();
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      String key = (String) entry.getKey();
      String item = name + "." + key;
      check(item, key, maxKeyLength, false);
      if (!(entry.getValue() instanceof String s)) {
        throw invalid(item, item + " must be a string");
      }
      check(item, s, maxValueLength, false);
      texts.put(key, s);
    }
    return Optional.of(texts);
  }

  /** A nested JSON object, as plain Java values. */
  @SuppressWarnings("unchecked")
  public Optional<Map<String, Object>> object(String name) {
    Object value = fields.get(name);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof Map)) {
      throw invalid(name, name + " must be a JSON object");
    }
    return Optional.of((Map<String, Object>) value);
  }

  /** A list of JSON objects, each as a body of its own whose problems name {@code name[i]}. */
  @SuppressWarnings("unchecked")
  public Optional<List<JsonBody>> objects(String name, int maxItems) {
    Object value = fields.get(name);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof List<?> list)) {
      throw invalid(name, name + " must be a list of objects");
    }
    if (list.size() > maxItems) {
      throw new Problem.Failure(
          Problem.of(
                  422,
                  "too-many-items",
                  "Too many items",
                  name + " holds at most " + maxItems + " items, this one " + list.size())
              .withField(fieldPath(name)));
    }
    List<JsonBody> bodies = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      String item = name + "[" + i + "]";
      if (!(list.get(i) instanceof Map)) {
        throw invalid(item, item + " must be a JSON object");
      }
      bodies.add(new JsonBody((Map<String, Object>) list.get(i), fieldPath(item) + "."));
    }
    return Optional.of(bodies);
  }

  /** A 422 problem about {@code name} of this body. */
  public Problem.Failure invalid(String name, String detail) {
    return new Problem.Failure(
        Problem.of(422, "invalid-field", "Invalid field", detail).withField(fieldPath(name)));
  }

  private Optional<String> string(String name, int maxLength, boolean lineBreaks) {
    Object value = fields.get(name);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof String s)) {
      throw invalid(name, name + " must be a string");
    }
    check(name, s, maxLength, lineBreaks);
    return Optional.of(s);
  }

  private void check(String name, String value, int maxLength, boolean lineBreaks) {
    try {
      TextRules.check(name, value, maxLength, lineBreaks);
    } catch (IllegalArgumentException e) {
      throw invalid(name, e.getMessage());
    }
  }

  private String fieldPath(String name) {
    return path + name;
  }
}
