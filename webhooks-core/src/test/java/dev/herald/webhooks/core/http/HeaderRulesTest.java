package dev.herald.webhooks.core.http;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.webhooks.api.SignatureProfile;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeaderRulesTest {

  private static void check(Map<String, String> headers) {
    HeaderRules.checkCustomHeaders(headers, SignatureProfile.STANDARD, null);
  }

  @Test
  void ordinaryHeadersAreAccepted() {
    assertThatCode(
            () ->
                check(
                    Map.of(
                        "Authorization", "Bearer abc",
                        "X-Api-Version", "2",
                        "X-Route", "a\tb c")))
        .doesNotThrowAnyException();
  }

  @Test
  void namesMustBeTokens() {
    assertThatThrownBy(() -> check(Map.of("X Bad", "1")))
        .hasMessageContaining("'X Bad' is not a valid HTTP header name");
    assertThatThrownBy(() -> check(Map.of("", "1"))).hasMessageContaining("not a valid");
    assertThatThrownBy(() -> check(Map.of("X-é", "1"))).hasMessageContaining("not a valid");
  }

  @Test
  void valuesMustNotHoldControlCharacters() {
    assertThatThrownBy(() -> check(Map.of("X-Inject", "a\r\nX-Evil: 1")))
        .hasMessageContaining("'X-Inject' has a value with control characters");
    Map<String, String> nullValue = new HashMap<>();
    nullValue.put("X-Empty", null);
    assertThatThrownBy(() -> check(nullValue)).hasMessageContaining("'X-Empty'");
    assertThatThrownBy(() -> check(Map.of("X-Long", "v".repeat(2049))))
        .hasMessageContaining("longer than 2048");
  }

  @Test
  void headersSetByHeraldOrTheClientAreReserved() {
    for (String name :
        new String[] {
          "Content-Type",
          "host",
          "Webhook-Signature",
          "webhook-id",
          "User-Agent",
          "traceparent",
          "X-Herald-Attempt"
        }) {
      assertThatThrownBy(() -> check(Map.of(name, "x")))
          .as(name)
          .hasMessageContaining("'" + name + "' is set by Herald");
    }
  }

  @Test
  void legacyProfileReservesItsPrefixedHeaders() {
    assertThatThrownBy(
            () ->
                HeaderRules.checkCustomHeaders(
                    Map.of("x-continuum-signature", "x"), SignatureProfile.LEGACY_HEX, "Continuum"))
        .hasMessageContaining("is set by Herald");
    assertThatCode(
            () ->
                HeaderRules.checkCustomHeaders(
                    Map.of("webhook-id", "x"), SignatureProfile.LEGACY_HEX, "Continuum"))
        .doesNotThrowAnyException();
  }

  @Test
  void atMostTwentyHeaders() {
    Map<String, String> many = new HashMap<>();
    for (int i = 0; i < 21; i++) {
      many.put("X-H" + i, "v");
    }
    assertThatThrownBy(() -> check(many)).hasMessageContaining("at most 20");
  }
}
