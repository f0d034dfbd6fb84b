package dev.herald.webhooks.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.herald.webhooks.core.json.JsonInputException.Reason;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StrictJsonTest {
  private static Object parse(String json) {
    return StrictJson.parse(json.getBytes(StandardCharsets.UTF_8), StrictJson.DEFAULT_LIMITS);
  }

  private static JsonInputException refusal(String json) {
    try {
      parse(json);
    } catch (JsonInputException e) {
      return e;
    }
    throw new AssertionError("accepted " + json);
  }

  @Test
  void readsPlainValuesKeepingKeyOrderAndNumberKinds() {
    Object value =
        parse(
            "{\"b\":1,\"a\":[true,null,\"x\"],\"n\":1.5,\"e\":1e3,\"big\":123456789012345678901}");
    assertThat(value)
        .isEqualTo(
            Map.of(
                "b", 1L,
                "a", java.util.Arrays.asList(true, null, "x"),
                "n", new BigDecimal("1.5"),
                "e", new BigDecimal("1e3"),
                "big", new BigInteger("123456789012345678901")));
    assertThat(List.<Object>copyOf(((Map<?, ?>) value).keySet()))
        .containsExactly("b", "a", "n", "e", "big");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"x\":[",
        "{\"x\":{",
        "{\"x\":[1,",
        "{\"x\":{\"y\":",
        "[",
        "{",
        "{\"a\"",
        "{\"a\":",
        "\"abc",
        "[[[[[[",
        "{\"type\":\"memory.created\",\"unknown\":{\"deep\":[{\"a\":["
      })
  void truncatedInputEndsWithAnErrorAtOnce(String json) {
    JsonInputException e = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> refusal(json));
    assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "{} {}", "{\"a\":1,}", "[1 2]", "nul", "{'a':1}", "01"})
  void malformedInputIsRefused(String json) {
    assertThat(refusal(json).reason()).isEqualTo(Reason.MALFORMED);
  }

  @Test
  void bytesThatAreNotUtf8AreRefused() {
    byte[] latin1 = "{\"a\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> StrictJson.parse(latin1, StrictJson.DEFAULT_LIMITS))
        .isInstanceOf(JsonInputException.class)
        .hasMessageContaining("UTF-8");
  }

  @Test
  void loneSurrogatesAreRefusedWithTheirPath() {
    JsonInputException e = refusal("{\"data\":{\"items\":[\"ok\",\"\\ud800x\"]}}");
    assertThat(e.reason()).isEqualTo(Reason.INVALID_VALUE);
    assertThat(e.path()).isEqualTo("data.items[1]");
    assertThat(refusal("{\"\\udc00\":1}").reason()).isEqualTo(Reason.INVALID_VALUE);
    assertThat(parse("{\"emoji\":\"\\ud83d\\ude00\"}")).isEqualTo(Map.of("emoji", "\uD83D\uDE00"));
  }

  @Test
  void duplicateKeysAreRefused() {
    JsonInputException e = refusal("{\"a\":{\"b\":1,\"b\":2}}");
    assertThat(e.reason()).isEqualTo(Reason.INVALID_VALUE);
    assertThat(e.path()).isEqualTo("a.b");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1e309", "-1e309", "1E400", "123456789e400"})
  void numbersBeyondADoubleAreRefused(String number) {
    JsonInputException e = refusal("{\"data\":{\"n\":" + number + "}}");
    assertThat(e.reason()).isEqualTo(Reason.INVALID_VALUE);
    assertThat(e.path()).isEqualTo("data.n");
  }

  @Test
  void overlongNumberLiteralsAreRefused() {
    assertThat(refusal("[" + "9".repeat(101) + "]").reason()).isEqualTo(Reason.INVALID_VALUE);
    assertThat(parse("[" + "9".repeat(100) + "]"))
        .isEqualTo(List.of(new BigInteger("9".repeat(100))));
  }

  @Test
  void nestingBeyondTheLimitIsRefused() {
    StrictJson.Limits limits = new StrictJson.Limits(3, 100);
    byte[] three = "[[[1]]]".getBytes(StandardCharsets.UTF_8);
    assertThat(StrictJson.parse(three, limits)).isEqualTo(List.of(List.of(List.of(1L))));
    assertThatThrownBy(() -> StrictJson.parse("[[[[1]]]]".getBytes(StandardCharsets.UTF_8), limits))
        .isInstanceOfSatisfying(
            JsonInputException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE));
  }

  @Test
  void deeplyNestedHostileInputDoesNotOverflowTheStack() {
    assertThat(refusal("[".repeat(100_000)).reason()).isEqualTo(Reason.TOO_LARGE);
  }

  @Test
  void stringsBeyondTheLimitAreRefused() {
    StrictJson.Limits limits = new StrictJson.Limits(3, 5);
    assertThatThrownBy(
            () -> StrictJson.parse("[\"123456\"]".getBytes(StandardCharsets.UTF_8), limits))
        .isInstanceOfSatisfying(
            JsonInputException.class, e -> assertThat(e.path()).isEqualTo("[0]"));
  }

  @Test
  void parseObjectRefusesOtherValues() {
    assertThatThrownBy(
            () ->
                StrictJson.parseObject(
                    "[1]".getBytes(StandardCharsets.UTF_8), StrictJson.DEFAULT_LIMITS))
        .isInstanceOf(JsonInputException.class)
        .hasMessageContaining("JSON object");
  }
}
