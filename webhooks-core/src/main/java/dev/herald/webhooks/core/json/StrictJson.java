package dev.herald.webhooks.core.json;

import dev.herald.webhooks.core.json.JsonInputException.Reason;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParser.Event;
import jakarta.json.stream.JsonParserFactory;
import java.io.CharArrayReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Parses JSON from outside into the plain Java values of {@link JsonReader} (Map in key order,
 * List, String, Boolean, Long or BigInteger, BigDecimal, null), bounded and strict: the bytes must
 * be UTF-8; nesting, strings and number literals are limited; a lone surrogate, a duplicate key or
 * a number that does not fit a double is refused, so that what is accepted reaches receivers
 * exactly as sent. Every event of the streaming parser is consumed in order, so truncated input
 * ends the parse with an error instead of a skip that never returns. Thread-safe.
 */
public final class StrictJson {
  /** The longest number literal accepted; no double or int64 needs more. */
  static final int MAX_NUMBER_LITERAL = 100;

  // Looking up the JSON-P provider is costly: once per class, not per document.
  private static final JsonParserFactory PARSERS = Json.createParserFactory(Map.of());

  /**
   * @param maxDepth the deepest nesting of objects and arrays (the document itself is depth 1)
   * @param maxStringLength the most UTF-16 units in one string or key
   */
  public record Limits(int maxDepth, int maxStringLength) {
    public Limits {
      if (maxDepth < 1 || maxStringLength < 1) {
        throw new IllegalArgumentException("limits must be positive");
      }
    }
  }

  /** Nesting up to 64, strings up to 1 MiB characters: the limits of request bodies. */
  public static final Limits DEFAULT_LIMITS = new Limits(64, 1 << 20);

  private StrictJson() {}

  /**
   * Parses one JSON document.
   *
   * @throws JsonInputException naming the reason and, where there is one, the path
   */
  public static Object parse(byte[] utf8, Limits limits) {
    char[] text = decode(utf8);
    try (JsonParser parser = PARSERS.createParser(new CharArrayReader(text))) {
      if (!parser.hasNext()) {
        throw new JsonInputException(Reason.MALFORMED, "", "the body is empty; send a JSON value");
      }
      Object value = new Reader(parser, limits).value(parser.next(), "", 1);
      if (parser.hasNext()) {
        throw new JsonInputException(
            Reason.MALFORMED, "", "unexpected content after the JSON value");
      }
      return value;
    } catch (JsonException | NoSuchElementException | IllegalStateException e) {
      // JsonParsingException (a JsonException) carries the position; the others mean the text
      // ended where a value was still expected.
      throw new JsonInputException(
          Reason.MALFORMED, "", "the body is not valid JSON: " + describe(e));
    }
  }

  /** Parses a document that must be a JSON object. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> parseObject(byte[] utf8, Limits limits) {
    Object value = parse(utf8, limits);
    if (!(value instanceof Map)) {
      throw new JsonInputException(Reason.INVALID_VALUE, "", "the body must be a JSON object");
    }
    return (Map<String, Object>) value;
  }

  private static char[] decode(byte[] utf8) {
    try {
      CharBuffer chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(utf8));
      char[] text = new char[chars.remaining()];
      chars.get(text);
      return text;
    } catch (CharacterCodingException e) {
      throw new JsonInputException(Reason.MALFORMED, "", "the body is not UTF-8 text");
    }
  }

  private static String describe(RuntimeException e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? "it ends too early" : message;
  }

  private static final class Reader {
    private final JsonParser parser;
    private final Limits limits;

    Reader(JsonParser parser, Limits limits) {
      this.parser = parser;
      this.limits = limits;
    }

    Object value(Event event, String path, int depth) {
      switch (event) {
        case START_OBJECT:
          return object(path, depth);
        case START_ARRAY:
          return array(path, depth);
        case VALUE_STRING:
          return string(parser.getString(), path);
        case VALUE_NUMBER:
          return number(path);
        case VALUE_TRUE:
          return Boolean.TRUE;
        case VALUE_FALSE:
          return Boolean.FALSE;
        case VALUE_NULL:
          return null;
        default:
          throw new JsonInputException(Reason.MALFORMED, path, "unexpected " + event);
      }
    }

    private Map<String, Object> object(String path, int depth) {
      checkDepth(path, depth);
      Map<String, Object> map = new LinkedHashMap<>();
      while (true) {
        Event event = parser.next();
        if (event == Event.END_OBJECT) {
          return Collections.unmodifiableMap(map);
        }
        if (event != Event.KEY_NAME) {
          throw new JsonInputException(Reason.MALFORMED, path, "expected a key, found " + event);
        }
        String key = parser.getString();
        String keyPath = path.isEmpty() ? key : path + "." + key;
        string(key, keyPath);
        if (map.containsKey(key)) {
          throw new JsonInputException(
              Reason.INVALID_VALUE, keyPath, "the key '" + key + "' appears twice");
        }
        map.put(key, value(parser.next(), keyPath, depth + 1));
      }
    }

    private List<Object> array(String path, int depth) {
      checkDepth(path, depth);
      List<Object> list = new ArrayList<>();
      while (true) {
        Event event = parser.next();
        if (event == Event.END_ARRAY) {
          return Collections.unmodifiableList(list);
        }
        list.add(value(event, path + "[" + list.size() + "]", depth + 1));
      }
    }

    private void checkDepth(String path, int depth) {
      if (depth > limits.maxDepth()) {
        throw new JsonInputException(
            Reason.TOO_LARGE,
            path,
            "objects and arrays nest more than " + limits.maxDepth() + " levels deep");
      }
    }

    private String string(String value, String path) {
      if (value.length() > limits.maxStringLength()) {
        throw new JsonInputException(
            Reason.TOO_LARGE,
            path,
            "a string is longer than " + limits.maxStringLength() + " characters");
      }
      int lone = loneSurrogate(value);
      if (lone >= 0) {
        throw new JsonInputException(
            Reason.INVALID_VALUE,
            path,
            String.format(
                "a string holds a lone surrogate (\\u%04x at index %d): not Unicode text",
                (int) value.charAt(lone), lone));
      }
      return value;
    }

    private Number number(String path) {
      String literal = parser.getString();
      if (literal.length() > MAX_NUMBER_LITERAL) {
        throw new JsonInputException(
            Reason.INVALID_VALUE,
            path,
            "a number literal is longer than " + MAX_NUMBER_LITERAL + " characters");
      }
      BigDecimal decimal = new BigDecimal(literal);
      if (Double.isInfinite(decimal.doubleValue())) {
        throw new JsonInputException(
            Reason.INVALID_VALUE,
            path,
            "the number " + literal + " is out of range: JSON readers hold numbers as doubles");
      }
      // A literal with a fraction or exponent is a float to receivers; keep it a decimal.
      if (literal.indexOf('.') >= 0 || literal.indexOf('e') >= 0 || literal.indexOf('E') >= 0) {
        return decimal;
      }
      BigInteger integer = decimal.toBigIntegerExact();
      return integer.bitLength() < 64 ? (Number) integer.longValue() : integer;
    }
  }

  /** The index of the first unpaired surrogate in {@code s}, or -1 when it is Unicode text. */
  public static int loneSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < s.length()
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return i;
        }
      }
    }
    return -1;
  }
}
