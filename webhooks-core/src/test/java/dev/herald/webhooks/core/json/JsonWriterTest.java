package dev.herald.webhooks.core.json;

import static dev.herald.webhooks.core.json.JsonWriter.Style.COMPACT;
import static dev.herald.webhooks.core.json.JsonWriter.Style.PYTHON;
import static dev.herald.webhooks.core.json.JsonWriter.Style.PYTHON_SORTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonWriterTest {

  @Test
  void compactKeepsInsertionOrderAndUtf8() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("b", 1);
    map.put("a", "café 🚀");
    map.put("n", null);
    map.put("l", List.of(true, false));
    assertThat(JsonWriter.write(map, COMPACT))
        .isEqualTo("{\"b\":1,\"a\":\"café 🚀\",\"n\":null,\"l\":[true,false]}");
  }

  @Test
  void pythonKeepsInsertionOrderWithPythonSeparatorsAndAsciiEscapes() {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("z", 1.5);
    inner.put("a", null);
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("b", List.of(1, new BigDecimal("1e5")));
    map.put("a", inner);
    map.put("\u00e9", "caf\u00e9 \ud83d\ude80\u007f");
    // What python3 -c 'import json; print(json.dumps(...))' prints for the same dict.
    assertThat(JsonWriter.write(map, PYTHON))
        .isEqualTo(
            "{\"b\": [1, 100000.0], \"a\": {\"z\": 1.5, \"a\": null},"
                + " \"\\u00e9\": \"caf\\u00e9 \\ud83d\\ude80\\u007f\"}");
  }

  @Test
  void pythonSortedUsesPythonSeparatorsAndSortsKeys() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("b", List.of(1, 2));
    map.put("a", Map.of("z", "y"));
    assertThat(JsonWriter.write(map, PYTHON_SORTED))
        .isEqualTo("{\"a\": {\"z\": \"y\"}, \"b\": [1, 2]}");
  }

  @Test
  void pythonSortedEscapesNonAsciiAsLowerCaseSurrogatePairs() {
    assertThat(JsonWriter.write("café 🚀", PYTHON_SORTED))
        .isEqualTo("\"caf\\u00e9 \\ud83d\\ude80\"");
  }

  @Test
  void pythonSortedEscapesControlCharactersAndDelete() {
    assertThat(JsonWriter.write("a\"b\\c\n\r\t\b\f\u0001\u007f", PYTHON_SORTED))
        .isEqualTo("\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0001\\u007f\"");
  }

  @Test
  void compactEscapesOnlyWhatJsonRequires() {
    assertThat(JsonWriter.write("a\"\u0001é\u007f", COMPACT)).isEqualTo("\"a\\\"\\u0001é\u007f\"");
  }

  @Test
  void sortsKeysByCodePointNotUtf16Unit() {
    // U+1F600 (surrogates D83D DE00) sorts after U+FF5E by code point, before it by UTF-16 unit.
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("\uD83D\uDE00", 1);
    map.put("\uFF5E", 2);
    assertThat(JsonWriter.write(map, PYTHON_SORTED))
        .isEqualTo("{\"\\uff5e\": 2, \"\\ud83d\\ude00\": 1}");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "0.1, 0.1",
    "1.0, 1.0",
    "100.0, 100.0",
    "-2.5, -2.5",
    "1e16, 1e+16",
    "1e15, 1000000000000000.0",
    "0.0001, 0.0001",
    "0.00001, 1e-05",
    "123456789.123, 123456789.123",
    "5e-324, 5e-324",
    "1.7976931348623157e308, 1.7976931348623157e+308",
    "0.30000000000000004, 0.30000000000000004",
    "1.5e300, 1.5e+300",
    "2.5e-7, 2.5e-07",
    "12345678901234567890.0, 1.2345678901234567e+19"
  })
  void printsFloatsAsPythonRepr(double value, String python) {
    assertThat(JsonWriter.pythonFloatRepr(value)).isEqualTo(python);
  }

  @Test
  void printsNegativeZeroAsPythonDoes() {
    assertThat(JsonWriter.pythonFloatRepr(-0.0)).isEqualTo("-0.0");
    assertThat(JsonWriter.pythonFloatRepr(0.0)).isEqualTo("0.0");
  }

  @Test
  void integersStayIntegersAndDecimalsWithFractionBecomeFloats() {
    assertThat(
            JsonWriter.write(
                List.of(1, 2L, new BigInteger("123456789012345678901234567890")), PYTHON_SORTED))
        .isEqualTo("[1, 2, 123456789012345678901234567890]");
    assertThat(
            JsonWriter.write(
                List.of(new BigDecimal("1.50"), new BigDecimal("7"), new BigDecimal("1E+2")),
                PYTHON_SORTED))
        .isEqualTo("[1.5, 7, 100.0]");
    assertThat(JsonWriter.write(List.of(new BigDecimal("1.50"), new BigDecimal("1E+2")), COMPACT))
        .isEqualTo("[1.50,1E+2]");
  }

  @Test
  void floatIsWrittenAsItsDecimalTextNotItsBinaryWidening() {
    assertThat(JsonWriter.write(0.1f, PYTHON_SORTED)).isEqualTo("0.1");
  }

  @Test
  void rejectsNonJsonValues() {
    assertThatThrownBy(() -> JsonWriter.write(Arrays.asList(new Object()), COMPACT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a JSON value");
    assertThatThrownBy(() -> JsonWriter.pythonFloatRepr(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
