package dev.herald.webhooks.transport.http;

import static dev.herald.webhooks.transport.http.Receivers.config;
import static dev.herald.webhooks.transport.http.Receivers.loopbackAllowed;
import static dev.herald.webhooks.transport.http.Receivers.message;
import static dev.herald.webhooks.transport.http.Receivers.respond;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.webhooks.core.ssrf.HostResolver;
import dev.herald.webhooks.spi.SendOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpTransportTest {

  private Receivers.Recording receiver;
  private HttpTransport transport;

  @BeforeEach
  void start() throws Exception {
    receiver = Receivers.Recording.http();
    transport = new HttpTransport(HttpTransportSettings.from(config(loopbackAllowed())));
  }

  @AfterEach
  void stop() {
    transport.close();
    receiver.close();
  }

  @Test
  void receiverGetsTheExactBytesAndHeaders() {
    byte[] body = "{\"b\":1,\"a\":\"caf\u00e9\"}  ".getBytes(StandardCharsets.UTF_8);
    SendOutcome outcome =
        transport.send(
            message(
                receiver.url("/hook?x=1"),
                body,
                Map.of(
                    "webhook-id", "evt_456",
                    "webhook-signature", "v1,abc",
                    "User-Agent", "spoofed/1",
                    "Content-Length", "1")));

    assertThat(outcome).isInstanceOf(SendOutcome.Succeeded.class);
    assertThat(receiver.requests).hasSize(1);
    Receivers.Seen seen = receiver.requests.get(0);
    assertThat(seen.method()).isEqualTo("POST");
    assertThat(seen.path()).isEqualTo("/hook?x=1");
    assertThat(seen.body()).isEqualTo(body);
    assertThat(seen.header("content-type")).startsWith("application/json");
    assertThat(seen.header("content-length")).isEqualTo(Integer.toString(body.length));
    assertThat(seen.header("user-agent")).isEqualTo("Herald-Webhooks/test-1.0");
    assertThat(seen.header("x-herald-event-type")).isEqualTo("order.created");
    assertThat(seen.header("x-herald-delivery-id")).isEqualTo("dlv_123");
    assertThat(seen.header("x-herald-attempt")).isEqualTo("3");
    assertThat(seen.header("webhook-id")).isEqualTo("evt_456");
    assertThat(seen.header("webhook-signature")).isEqualTo("v1,abc");
    assertThat(seen.header("cookie")).isNull();
  }

  @Test
  void succeedsOn200WithTheBodyExcerpt() {
    receiver.answering(respond(200, "{\"received\":true}", Map.of()));

    SendOutcome outcome = transport.send(message(receiver.url("/hook")));

    assertThat(outcome).isInstanceOf(SendOutcome.Succeeded.class);
    assertThat(outcome.response().statusCode()).isEqualTo(200);
    assertThat(outcome.response().bodyExcerpt()).isEqualTo("{\"received\":true}");
    assertThat(outcome.duration()).isPositive();
  }

  @Test
  void retriesOn503() {
    receiver.answering(respond(503, "busy", Map.of()));

    SendOutcome outcome = transport.send(message(receiver.url("/hook")));

    assertThat(outcome)
        .isInstanceOfSatisfying(
            SendOutcome.Retry.class,
            retry -> {
              assertThat(retry.error().type()).isEqualTo("http_503");
              assertThat(retry.response().bodyExcerpt()).isEqualTo("busy");
              assertThat(retry.retryAfter()).isNull();
            });
  }

  @Test
  void failsWithoutRetryOn404() {
    receiver.answering(respond(404, "", Map.of()));

    SendOutcome outcome = transport.send(message(receiver.url("/hook")));

    assertThat(outcome)
        .isInstanceOfSatisfying(
            SendOutcome.Failed.class,
            failed -> {
              assertThat(failed.error().type()).isEqualTo("http_404");
              assertThat(failed.disableEndpoint()).isFalse();
            });
  }

  @Test
  void disablesTheEndpointOn410() {
    receiver.answering(respond(410, "gone", Map.of()));

    SendOutcome outcome = transport.send(message(receiver.url("/hook")));

    assertThat(outcome)
        .isInstanceOfSatisfying(
            SendOutcome.Failed.class, failed -> assertThat(failed.disableEndpoint()).isTrue());
  }

  @Test
  void doesNotFollowARedirect() throws Exception {
    try (Receivers.Recording target = Receivers.Recording.http()) {
      receiver.answering(respond(302, "", Map.of("Location", target.url("/elsewhere"))));

      SendOutcome outcome = transport.send(message(receiver.url("/hook")));

      assertThat(outcome)
          .isInstanceOfSatisfying(
              SendOutcome.Failed.class,
              failed -> assertThat(failed.error().type()).isEqualTo("http_302"));
      assertThat(receiver.requests).hasSize(1);
      // send() returns only after the exchange is over, so a followed redirect would be here.
      assertThat(target.requests).isEmpty();
    }
  }

  @Test
  void honoursRetryAfterInSeconds() {
    receiver.answering(respond(429, "slow down", Map.of("Retry-After", "7")));

    SendOutcome outcome = transport.send(message(receiver.url("/hook")));

    assertThat(outcome)
        .isInstanceOfSatisfying(
            SendOutcome.Retry.class,
            retry -> {
              assertThat(retry.error().type()).isEqualTo("http_429");
              assertThat(retry.retryAfter()).isEqualTo(Duration.ofSeconds(7));
            });
  }

  @Test
  void honoursRetryAfterAsHttpDate() {
    Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    try (HttpTransport atFixedTime =
        new HttpTransport(
            HttpTransportSettings.from(config(loopbackAllowed())), HostResolver.system(), clock)) {
      receiver.answering(respond(503, "", Map.of("Retry-After", "Thu, 01 Jan 2026 00:02:00 GMT")));

      SendOutcome outcome = atFixedTime.send(message(receiver.url("/hook")));

      assertThat(outcome)
          .isInstanceOfSatisfying(
              SendOutcome.Retry.class,
              retry -> assertThat(retry.retryAfter()).isEqualTo(Duration.ofMinutes(2)));
    }
  }

  @Test
  void keepsExactlyTheFirst4KiBOfA1MiBBody() {
    byte[] big = new byte[1024 * 1024];
    Arrays.fill(big, (byte) 'a');
    big[4095] = 'z';
    big[4096] = 'y';
    receiver.answering(respond(200, big, Map.of()));

    SendOutcome outcome = transport.send(message(receiver.url("/hook")));

    assertThat(outcome).isInstanceOf(SendOutcome.Succeeded.class);
    String excerpt = outcome.response().bodyExcerpt();
    assertThat(excerpt.getBytes(StandardCharsets.UTF_8)).hasSize(4096);
    assertThat(excerpt).endsWith("az");
  }

  @Test
  void decodesInvalidUtf8Leniently() {
    receiver.answering(respond(200, new byte[] {'o', 'k', (byte) 0xff}, Map.of()));

    SendOutcome outcome = transport.send(message(receiver.url("/hook")));

    assertThat(outcome.response().bodyExcerpt()).isEqualTo("ok\ufffd");
  }

  @Test
  void refusesAHeaderThatWouldSplitTheRequest() throws Exception {
    try (Receivers.Raw raw = new Receivers.Raw(socket -> {})) {
      SendOutcome outcome =
          transport.send(
              message(
                  raw.url(), new byte[] {'{', '}'}, Map.of("X-Custom", "a\r\nX-Injected: yes")));

      assertThat(outcome)
          .isInstanceOfSatisfying(
              SendOutcome.Failed.class,
              failed -> assertThat(failed.error().type()).isEqualTo("invalid_header"));
      assertThat(raw.connectionsBeforeFence()).isZero();
    }
  }

  @Test
  void refusesToSendAfterClose() {
    transport.close();

    assertThatThrownBy(() -> transport.send(message(receiver.url("/hook"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }
}
