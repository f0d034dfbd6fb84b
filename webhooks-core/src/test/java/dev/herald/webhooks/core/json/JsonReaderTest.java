package dev.herald.webhooks.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReaderTest {

  @Test
  void keepsKeyOrderAndIntegerVersusFloatLiterals() {
    Map<String, Object> map =
        JsonReader.readObject(
            "{\"b\":1,\"a\":1.0,\"c\":1e2,\"d\":99999999999999999999,\"e\":[null,true]}");
    assertThat(map.keySet()).containsExactly("b", "a", "c", "d", "e");
    assertThat(map.get("b")).isEqualTo(1L);
    assertThat(map.get("a")).isEqualTo(new BigDecimal("1.0"));
    assertThat(map.get("c")).isInstanceOf(BigDecimal.class);
    assertThat(map.get("d")).isEqualTo(new BigInteger("99999999999999999999"));
    assertThat(map.get("e")).isEqualTo(java.util.Arrays.asList(null, true));
  }

  @Test
  void readThenWritePythonStyleMatchesPythonForFloatLiterals() {
    Map<String, Object> map = JsonReader.readObject("{\"x\":1e2,\"y\":1.0,\"z\":0.1}");
    assertThat(JsonWriter.write(map, JsonWriter.Style.PYTHON_SORTED))
        .isEqualTo("{\"x\": 100.0, \"y\": 1.0, \"z\": 0.1}");
  }

  @Test
  void invalidJsonIsAnIllegalArgumentWithPosition() {
    assertThatThrownBy(() -> JsonReader.readObject("{\"a\":"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid JSON");
    assertThatThrownBy(() -> JsonReader.readObject("[1]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected a JSON object");
  }
}
