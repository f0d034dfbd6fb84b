package dev.herald.webhooks.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.webhooks.spi.HandshakeAnswer;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HandshakeTest {
  private static final String ORIGIN = "herald.example.com";

  @Test
  void theRequestNamesTheOriginAndOffersTheRateLimitPerMinute() {
    assertThat(Handshake.request(ORIGIN, null))
        .containsExactly(Map.entry("WebHook-Request-Origin", ORIGIN));
    assertThat(Handshake.request(ORIGIN, 2.5)).containsEntry("WebHook-Request-Rate", "150");
    assertThat(Handshake.request(ORIGIN, 0.001)).containsEntry("WebHook-Request-Rate", "1");
  }

  @Test
  void anAnswerNamingHeraldsOriginOrAnyAllowsAndItsRateBecomesALimit() {
    Handshake.Decision named =
        Handshake.decide(
            new HandshakeAnswer(
                200, Map.of("webhook-allowed-origin", ORIGIN, "WebHook-Allowed-Rate", "120"), null),
            ORIGIN);
    assertThat(named.allowed()).isTrue();
    assertThat(named.ratePerSecond()).isEqualTo(2.0);
    Handshake.Decision any =
        Handshake.decide(
            new HandshakeAnswer(
                204, Map.of("WebHook-Allowed-Origin", "*", "WebHook-Allowed-Rate", "*"), null),
            ORIGIN);
    assertThat(any.allowed()).isTrue();
    assertThat(any.ratePerSecond()).isNull();
  }

  @Test
  void anythingElseLeavesTheEndpointWaitingAndSaysWhy() {
    assertThat(Handshake.decide(new HandshakeAnswer(200, Map.of(), null), ORIGIN).reason())
        .contains("missing");
    assertThat(
            Handshake.decide(
                    new HandshakeAnswer(
                        200, Map.of("WebHook-Allowed-Origin", "evil.example"), null),
                    ORIGIN)
                .reason())
        .contains("'evil.example'");
    assertThat(
            Handshake.decide(
                    new HandshakeAnswer(405, Map.of("WebHook-Allowed-Origin", "*"), null), ORIGIN)
                .reason())
        .contains("405");
    Handshake.Decision none =
        Handshake.decide(HandshakeAnswer.failed("connection refused"), ORIGIN);
    assertThat(none.allowed()).isFalse();
    assertThat(none.reason()).contains("connection refused");
  }
}
