package dev.herald.webhooks.core.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Writes JSON-shaped Java values (null, Boolean, Number, String, List, Map with String keys).
 *
 * <p>{@link Style#COMPACT} is Herald's wire form: no spaces, keys in insertion order, UTF-8 text
 * unescaped. {@link Style#PYTHON_SORTED} reproduces Python 3's {@code json.dumps(value,
 * sort_keys=True)} byte for byte: separators {@code ", "} and {@code ": "}, keys sorted by code
 * point, every character outside printable ASCII escaped as lower-case {@code \}{@code uXXXX}
 * (UTF-16 units, so emoji become surrogate pairs), and floats printed as Python's {@code repr}.
 * Receivers that parse and re-serialize a {@code PYTHON_SORTED} body get the same bytes back.
 * {@link Style#PYTHON} is the same without sorting: Python's {@code json.dumps(value)} with default
 * arguments, keys in their insertion order (what the seed systems' Redis publishers sent).
 *
 * <p>Numbers: integral types and BigDecimals written without a fraction or exponent are integers;
 * Double, Float and other BigDecimals are floats (in the Python style, printed as the shortest
 * decimal that reads back as the same double, as Python does). Thread-safe (stateless).
 */
public final class JsonWriter {

  /** The output forms. */
  public enum Style {
    COMPACT,
    /** Python's {@code json.dumps(value, sort_keys=True)}. */
    PYTHON_SORTED,
    /** Python's {@code json.dumps(value)}: as {@link #PYTHON_SORTED}, keys in insertion order. */
    PYTHON
  }

  private static final Comparator<String> CODE_POINT_ORDER =
      (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
          int ca = a.codePointAt(i);
          int cb = b.codePointAt(j);
          if (ca != cb) {
            return Integer.compare(ca, cb);
          }
          i += Character.charCount(ca);
          j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
      };

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private JsonWriter() {}

  public static String write(Object value, Style style) {
    StringBuilder out = new StringBuilder(256);
    writeValue(out, value, style);
    return out.toString();
  }

  public static byte[] writeUtf8(Object value, Style style) {
    return write(value, style).getBytes(StandardCharsets.UTF_8);
  }

  static void writeValue(StringBuilder out, Object value, Style style) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String s) {
      writeString(out, s, style);
    } else if (value instanceof Boolean b) {
      out.append(b ? "true" : "false");
    } else if (value instanceof Number n) {
      writeNumber(out, n, style);
    } else if (value instanceof Map<?, ?> map) {
      writeObject(out, map, style);
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(style == Style.COMPACT ? "," : ", ");
        }
        writeValue(out, list.get(i), style);
      }
      out.append(']');
    } else {
      throw new IllegalArgumentException(
          "not a JSON value: " + value.getClass().getName() + " (use Map, List, String, ...)");
    }
  }

  private static void writeObject(StringBuilder out, Map<?, ?> map, Style style) {
    List<String> keys = new ArrayList<>(map.size());
    for (Object key : map.keySet()) {
      if (!(key instanceof String s)) {
        throw new IllegalArgumentException("JSON object keys must be strings, got " + key);
      }
      keys.add(s);
    }
    if (style == Style.PYTHON_SORTED) {
      keys.sort(CODE_POINT_ORDER);
    }
    out.append('{');
    boolean first = true;
    for (String key : keys) {
      if (!first) {
        out.append(style == Style.COMPACT ? "," : ", ");
      }
      first = false;
      writeString(out, key, style);
      out.append(style == Style.COMPACT ? ":" : ": ");
      writeValue(out, map.get(key), style);
    }
    out.append('}');
  }

  private static void writeString(StringBuilder out, String s, Style style) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (Character.isSurrogate(c)) {
            boolean paired =
                Character.isHighSurrogate(c)
                    ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
                    : i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
            if (!paired) {
              throw new IllegalArgumentException(
                  String.format(
                      "a string holds a lone surrogate (\\u%04x): not Unicode text", (int) c));
            }
          }
          boolean escape = c < 0x20 || (style != Style.COMPACT && c > 0x7e);
          if (escape) {
            out.append("\\u")
                .append(HEX[(c >> 12) & 15])
                .append(HEX[(c >> 8) & 15])
                .append(HEX[(c >> 4) & 15])
                .append(HEX[c & 15]);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static void writeNumber(StringBuilder out, Number n, Style style) {
    if (n instanceof Integer
        || n instanceof Long
        || n instanceof Short
        || n instanceof Byte
        || n instanceof BigInteger) {
      out.append(n.toString());
      return;
    }
    if (n instanceof BigDecimal bd) {
      String text = bd.toString();
      boolean isFloat = text.indexOf('.') >= 0 || text.indexOf('E') >= 0;
      if (isFloat && Double.isInfinite(bd.doubleValue())) {
        throw new IllegalArgumentException(
            "the number " + text + " is out of range: JSON readers hold numbers as doubles");
      }
      if (!isFloat || style == Style.COMPACT) {
        out.append(text);
      } else {
        out.append(pythonFloatRepr(bd.doubleValue()));
      }
      return;
    }
    double d = n instanceof Float f ? Double.parseDouble(f.toString()) : n.doubleValue();
    out.append(pythonFloatRepr(d));
  }

  /**
   * Python's {@code repr(float)}: the shortest decimal that reads back as {@code d}; fixed notation
   * when the decimal exponent is in [-4, 16), else {@code 1.5e+16} / {@code 1e-05}.
   */
  static String pythonFloatRepr(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new IllegalArgumentException("JSON has no representation for " + d);
    }
    if (d == 0) {
      return (1 / d < 0) ? "-0.0" : "0.0";
    }
    BigDecimal exact = new BigDecimal(d);
    BigDecimal shortest = exact;
    for (int precision = 1; precision <= 17; precision++) {
      BigDecimal candidate = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
      if (candidate.doubleValue() == d) {
        shortest = candidate;
        break;
      }
    }
    shortest = shortest.stripTrailingZeros();
    String digits = shortest.unscaledValue().abs().toString();
    int decimalPoint = digits.length() - shortest.scale(); // value = 0.digits x 10^decimalPoint
    StringBuilder out = new StringBuilder(24);
    if (d < 0) {
      out.append('-');
    }
    if (decimalPoint > -4 && decimalPoint <= 16) {
      if (decimalPoint <= 0) {
        out.append("0.").append("0".repeat(-decimalPoint)).append(digits);
      } else if (decimalPoint >= digits.length()) {
        out.append(digits).append("0".repeat(decimalPoint - digits.length())).append(".0");
      } else {
        out.append(digits, 0, decimalPoint)
            .append('.')
            .append(digits, decimalPoint, digits.length());
      }
    } else {
      out.append(digits.charAt(0));
      if (digits.length() > 1) {
        out.append('.').append(digits, 1, digits.length());
      }
      int exponent = decimalPoint - 1;
      out.append('e').append(exponent < 0 ? '-' : '+');
      int abs = Math.abs(exponent);
      if (abs < 10) {
        out.append('0');
      }
      out.append(abs);
    }
    return out.toString();
  }
}
