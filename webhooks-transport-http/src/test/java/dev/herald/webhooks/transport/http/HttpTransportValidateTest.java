package dev.herald.webhooks.transport.http;

import static dev.herald.webhooks.transport.http.Receivers.config;
import static dev.herald.webhooks.transport.http.Receivers.loopbackAllowed;
import static dev.herald.webhooks.transport.http.Receivers.respond;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.webhooks.spi.HandshakeAnswer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CloudEvents validation request: an OPTIONS under the same guards as a send. */
class HttpTransportValidateTest {
  private Receivers.Recording receiver;

  @BeforeEach
  void start() throws Exception {
    receiver = Receivers.Recording.http();
  }

  @AfterEach
  void stop() {
    receiver.close();
  }

  @Test
  void sendsAnOptionsWithTheHeadersAndReturnsTheAnswer() {
    receiver.answering(
        respond(200, "ignored", Map.of("WebHook-Allowed-Origin", "herald.example.com")));
    try (HttpTransport transport =
        new HttpTransport(HttpTransportSettings.from(config(loopbackAllowed())))) {
      HandshakeAnswer answer =
          transport
              .validate(
                  receiver.url("/hook"), Map.of("WebHook-Request-Origin", "herald.example.com"))
              .orElseThrow();
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.headers()).containsEntry("webhook-allowed-origin", "herald.example.com");
    }
    Receivers.Seen seen = receiver.requests.get(0);
    assertThat(seen.method()).isEqualTo("OPTIONS");
    assertThat(seen.path()).isEqualTo("/hook");
    assertThat(seen.header("webhook-request-origin")).isEqualTo("herald.example.com");
    assertThat(seen.header("user-agent")).isEqualTo("Herald-Webhooks/test-1.0");
  }

  @Test
  void aDestinationTheSsrfPolicyRefusesIsNotContacted() {
    Map<String, String> settings = new HashMap<>(loopbackAllowed());
    settings.remove(HttpTransportSettings.SSRF_ALLOWED_NETWORKS);
    try (HttpTransport transport =
        new HttpTransport(HttpTransportSettings.from(config(settings)))) {
      HandshakeAnswer answer =
          transport
              .validate(receiver.url("/hook"), Map.of("WebHook-Request-Origin", "herald"))
              .orElseThrow();
      assertThat(answer.statusCode()).isZero();
      assertThat(answer.error()).startsWith("refused by the SSRF policy");
    }
    assertThat(receiver.requests).isEmpty();
  }

  @Test
  void noAnswerWithinTheRequestTimeoutSaysSo() {
    receiver.answering(
        exchange -> {
          try {
            Thread.sleep(3_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    try (HttpTransport transport =
        new HttpTransport(
            HttpTransportSettings.from(
                config(loopbackAllowed(HttpTransportSettings.WEBHOOK_TIMEOUT, "1"))))) {
      HandshakeAnswer answer =
          transport
              .validate(receiver.url("/slow"), Map.of("WebHook-Request-Origin", "herald"))
              .orElseThrow();
      assertThat(answer.statusCode()).isZero();
      assertThat(answer.error()).contains("no answer within");
    }
  }
}
