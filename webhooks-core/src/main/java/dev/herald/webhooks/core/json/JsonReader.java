package dev.herald.webhooks.core.json;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads JSON text into plain Java values (Map, List, String, Boolean, Long or BigInteger for
 * integers, BigDecimal for numbers written with a fraction or exponent, null), keeping object key
 * order. Uses Jakarta JSON Processing; thread-safe.
 */
public final class JsonReader {
  /** Made once: {@code Json.createReader} looks the provider up again on every call. */
  private static final JsonReaderFactory READERS = Json.createReaderFactory(Map.of());

  private JsonReader() {}

  /**
   * Parses a JSON object.
   *
   * @throws IllegalArgumentException with the parser's position when the text is not a JSON object
   */
  public static Map<String, Object> readObject(String json) {
    Object value = read(json);
    if (!(value instanceof Map)) {
      throw new IllegalArgumentException("expected a JSON object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) value;
    return map;
  }

  /**
   * Parses UTF-8 JSON that is known to be an object, such as a stored envelope, as a Jakarta JSON
   * object.
   */
  public static JsonObject readJsonObject(byte[] json) {
    try (jakarta.json.JsonReader reader = READERS.createReader(new ByteArrayInputStream(json))) {
      return reader.readObject();
    }
  }

  /** Parses any JSON value. */
  public static Object read(String json) {
    try (jakarta.json.JsonReader reader = READERS.createReader(new StringReader(json))) {
      return toJava(reader.readValue());
    } catch (JsonParsingException e) {
      throw new IllegalArgumentException(
          "invalid JSON at " + e.getLocation() + ": " + e.getMessage(), e);
    } catch (JsonException e) {
      throw new IllegalArgumentException("invalid JSON: " + e.getMessage(), e);
    }
  }

  /** Converts a Jakarta JSON value to plain Java values. */
  public static Object toJava(JsonValue value) {
    switch (value.getValueType()) {
      case NULL:
        return null;
      case TRUE:
        return Boolean.TRUE;
      case FALSE:
        return Boolean.FALSE;
      case STRING:
        return ((JsonString) value).getString();
      case NUMBER:
        return number((JsonNumber) value);
      case ARRAY:
        JsonArray array = (JsonArray) value;
        List<Object> list = new ArrayList<>(array.size());
        for (JsonValue item : array) {
          list.add(toJava(item));
        }
        return Collections.unmodifiableList(list);
      case OBJECT:
        JsonObject object = (JsonObject) value;
        Map<String, Object> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> entry : object.entrySet()) {
          map.put(entry.getKey(), toJava(entry.getValue()));
        }
        return Collections.unmodifiableMap(map);
      default:
        throw new IllegalArgumentException("unexpected JSON value " + value.getValueType());
    }
  }

  private static Number number(JsonNumber number) {
    BigDecimal decimal = number.bigDecimalValue();
    String text = number.toString();
    // A literal with a fraction or exponent is a float to Python receivers; keep it a decimal.
    if (text.indexOf('.') >= 0 || text.indexOf('e') >= 0 || text.indexOf('E') >= 0) {
      return decimal;
    }
    BigInteger integer = decimal.toBigIntegerExact();
    return integer.bitLength() < 64 ? (Number) integer.longValue() : integer;
  }
}
