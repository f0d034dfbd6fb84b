package dev.herald.webhooks.core.validation;

import dev.herald.webhooks.api.InvalidEventException;
import dev.herald.webhooks.api.InvalidEventException.Reason;
import dev.herald.webhooks.core.json.JsonReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A compiled JSON Schema of the subset Herald validates: {@code type} (one name or a list), {@code
 * required}, {@code properties}, {@code additionalProperties} (boolean), {@code items}, {@code
 * enum}, {@code minimum}, {@code maximum}, {@code minLength}, {@code maxLength}, {@code pattern}.
 * Annotations ({@code $schema}, {@code title}, {@code description}, ...) are ignored; any other
 * keyword is refused when the schema is compiled, so that no rule is silently not enforced.
 * Immutable and thread-safe.
 */
public final class DataSchema {
  private static final Set<String> ANNOTATIONS =
      Set.of("$schema", "$id", "$comment", "title", "description", "examples", "default");
  private static final Set<String> TYPES =
      Set.of("object", "array", "string", "number", "integer", "boolean", "null");

  private final List<String> types;
  private final List<String> required;
  private final Map<String, DataSchema> properties;
  private final boolean additionalProperties;
  private final DataSchema items;
  private final List<Object> enumValues;
  private final BigDecimal minimum;
  private final BigDecimal maximum;
  private final Integer minLength;
  private final Integer maxLength;
  private final Pattern pattern;

  private DataSchema(Map<String, Object> schema, String path) {
    for (String keyword : schema.keySet()) {
      if (!ANNOTATIONS.contains(keyword)
          && !Set.of(
                  "type",
                  "required",
                  "properties",
                  "additionalProperties",
                  "items",
                  "enum",
                  "minimum",
                  "maximum",
                  "minLength",
                  "maxLength",
                  "pattern")
              .contains(keyword)) {
        throw new IllegalArgumentException(
            "schema keyword '" + keyword + "' at " + path + " is not supported by Herald");
      }
    }
    this.types = typeList(schema.get("type"), path);
    this.required = stringList(schema.get("required"), path + ".required");
    Map<String, DataSchema> props = new LinkedHashMap<>();
    Object rawProperties = schema.get("properties");
    if (rawProperties != null) {
      for (Map.Entry<String, Object> entry :
          asMap(rawProperties, path + ".properties").entrySet()) {
        props.put(
            entry.getKey(),
            new DataSchema(
                asMap(entry.getValue(), path + "." + entry.getKey()), path + "." + entry.getKey()));
      }
    }
    this.properties = Map.copyOf(props);
    Object additional = schema.getOrDefault("additionalProperties", Boolean.TRUE);
    if (!(additional instanceof Boolean b)) {
      throw new IllegalArgumentException(path + ".additionalProperties must be true or false");
    }
    this.additionalProperties = b;
    this.items =
        schema.containsKey("items")
            ? new DataSchema(asMap(schema.get("items"), path + ".items"), path + "[]")
            : null;
    Object rawEnum = schema.get("enum");
    if (rawEnum != null && !(rawEnum instanceof List)) {
      throw new IllegalArgumentException(path + ".enum must be a list");
    }
    this.enumValues = rawEnum == null ? null : new ArrayList<>((List<?>) rawEnum);
    this.minimum = decimal(schema.get("minimum"), path + ".minimum");
    this.maximum = decimal(schema.get("maximum"), path + ".maximum");
    this.minLength = integer(schema.get("minLength"), path + ".minLength");
    this.maxLength = integer(schema.get("maxLength"), path + ".maxLength");
    Object rawPattern = schema.get("pattern");
    this.pattern = rawPattern == null ? null : Pattern.compile(String.valueOf(rawPattern));
  }

  /**
   * Compiles a schema from JSON text.
   *
   * @throws IllegalArgumentException when it is not valid JSON or uses an unsupported keyword
   */
  public static DataSchema compile(String json) {
    return new DataSchema(JsonReader.readObject(json), "schema");
  }

  /**
   * Validates a value.
   *
   * @param path the JSON path of {@code value} for messages, e.g. {@code data}
   * @throws InvalidEventException with reason SCHEMA_VIOLATION naming the first offending field
   */
  public void validate(Object value, String path) {
    if (!types.isEmpty() && types.stream().noneMatch(t -> hasType(value, t))) {
      throw violation(
          path, path + " must be " + String.join(" or ", types) + ", was " + describe(value));
    }
    if (enumValues != null && enumValues.stream().noneMatch(e -> jsonEquals(e, value))) {
      throw violation(path, path + " must be one of " + enumValues);
    }
    if (value instanceof Map<?, ?> map) {
      for (String name : required) {
        if (!map.containsKey(name)) {
          throw violation(path + "." + name, path + "." + name + " is required");
        }
      }
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        String childPath = path + "." + entry.getKey();
        DataSchema child = properties.get(entry.getKey());
        if (child != null) {
          child.validate(entry.getValue(), childPath);
        } else if (!additionalProperties) {
          throw violation(childPath, childPath + " is not allowed");
        }
      }
    } else if (value instanceof List<?> list && items != null) {
      for (int i = 0; i < list.size(); i++) {
        items.validate(list.get(i), path + "[" + i + "]");
      }
    } else if (value instanceof String s) {
      int length = s.codePointCount(0, s.length());
      if (minLength != null && length < minLength) {
        throw violation(path, path + " must be at least " + minLength + " characters long");
      }
      if (maxLength != null && length > maxLength) {
        throw violation(path, path + " must be at most " + maxLength + " characters long");
      }
      if (pattern != null && !pattern.matcher(s).find()) {
        throw violation(path, path + " must match " + pattern.pattern());
      }
    } else if (value instanceof Number n) {
      BigDecimal d = toDecimal(n);
      if (minimum != null && d.compareTo(minimum) < 0) {
        throw violation(path, path + " must be >= " + minimum.toPlainString());
      }
      if (maximum != null && d.compareTo(maximum) > 0) {
        throw violation(path, path + " must be <= " + maximum.toPlainString());
      }
    }
  }

  private static InvalidEventException violation(String field, String message) {
    return new InvalidEventException(Reason.SCHEMA_VIOLATION, field, message);
  }

  private static boolean hasType(Object value, String type) {
    return switch (type) {
      case "object" -> value instanceof Map;
      case "array" -> value instanceof List;
      case "string" -> value instanceof String;
      case "boolean" -> value instanceof Boolean;
      case "null" -> value == null;
      case "number" -> value instanceof Number;
      case "integer" -> value instanceof Number n && isIntegral(n);
      default -> false;
    };
  }

  private static boolean isIntegral(Number n) {
    if (n instanceof Integer
        || n instanceof Long
        || n instanceof Short
        || n instanceof Byte
        || n instanceof BigInteger) {
      return true;
    }
    BigDecimal d = toDecimal(n);
    return d.signum() == 0 || d.stripTrailingZeros().scale() <= 0;
  }

  private static BigDecimal toDecimal(Number n) {
    if (n instanceof BigDecimal d) {
      return d;
    }
    if (n instanceof BigInteger i) {
      return new BigDecimal(i);
    }
    if (n instanceof Double || n instanceof Float) {
      return new BigDecimal(n.toString());
    }
    return BigDecimal.valueOf(n.longValue());
  }

  private static boolean jsonEquals(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return toDecimal(x).compareTo(toDecimal(y)) == 0;
    }
    return a == null ? b == null : a.equals(b);
  }

  private static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Map) {
      return "an object";
    }
    if (value instanceof List) {
      return "an array";
    }
    if (value instanceof String) {
      return "a string";
    }
    if (value instanceof Boolean) {
      return "a boolean";
    }
    return "a number";
  }

  private static List<String> typeList(Object raw, String path) {
    List<String> list =
        raw == null
            ? List.of()
            : raw instanceof String s ? List.of(s) : stringList(raw, path + ".type");
    for (String type : list) {
      if (!TYPES.contains(type)) {
        throw new IllegalArgumentException(path + ".type '" + type + "' is not a JSON Schema type");
      }
    }
    return list;
  }

  private static List<String> stringList(Object raw, String path) {
    if (raw == null) {
      return List.of();
    }
    if (!(raw instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
      throw new IllegalArgumentException(path + " must be a list of strings");
    }
    return list.stream().map(String.class::cast).toList();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object raw, String path) {
    if (!(raw instanceof Map)) {
      throw new IllegalArgumentException(path + " must be an object");
    }
    return (Map<String, Object>) raw;
  }

  private static BigDecimal decimal(Object raw, String path) {
    if (raw == null) {
      return null;
    }
    if (!(raw instanceof Number n)) {
      throw new IllegalArgumentException(path + " must be a number");
    }
    return toDecimal(n);
  }

  private static Integer integer(Object raw, String path) {
    if (raw == null) {
      return null;
    }
    if (!(raw instanceof Long l) || l < 0 || l > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(path + " must be a non-negative integer");
    }
    return l.intValue();
  }
}
