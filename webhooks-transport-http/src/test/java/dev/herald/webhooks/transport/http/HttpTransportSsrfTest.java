package dev.herald.webhooks.transport.http;

import static dev.herald.webhooks.transport.http.Receivers.config;
import static dev.herald.webhooks.transport.http.Receivers.message;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.webhooks.core.ssrf.HostResolver;
import dev.herald.webhooks.spi.SendOutcome;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** SSRF protection at send time: refused destinations never see a connection. */
class HttpTransportSsrfTest {

  private static final String TEST_HOST = "localhost.test";

  private final List<String> lookups = new CopyOnWriteArrayList<>();

  /** Maps {@code localhost.test} to 127.0.0.1 without DNS; every other name is unknown. */
  private final HostResolver resolver =
      host -> {
        lookups.add(host);
        if (host.equals(TEST_HOST)) {
          return new InetAddress[] {InetAddress.getByAddress(TEST_HOST, new byte[] {127, 0, 0, 1})};
        }
        throw new UnknownHostException(host);
      };

  private HttpTransport transport(String... keysAndValues) {
    Map<String, String> values = new HashMap<>();
    values.put(HttpTransportSettings.SSRF_ALLOWED_PORTS, "*");
    for (int i = 0; i < keysAndValues.length; i += 2) {
      values.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return new HttpTransport(
        HttpTransportSettings.from(config(values)), resolver, Clock.systemUTC());
  }

  @Test
  void hostResolvingToLoopbackIsDeniedWithoutAConnection() throws Exception {
    try (Receivers.Raw raw = new Receivers.Raw(socket -> {});
        HttpTransport transport = transport()) {
      SendOutcome outcome =
          transport.send(message("http://" + TEST_HOST + ":" + raw.port() + "/hook"));

      assertThat(outcome)
          .isInstanceOfSatisfying(
              SendOutcome.Failed.class,
              failed -> {
                assertThat(failed.error().type()).isEqualTo("ssrf_denied");
                assertThat(failed.error().message()).contains("127.0.0.1");
              });
      assertThat(lookups).containsExactly(TEST_HOST);
      assertThat(raw.connectionsBeforeFence()).isZero();
    }
  }

  @Test
  void hostResolvingToAnAllowedNetworkIsDelivered() throws Exception {
    try (Receivers.Recording receiver = Receivers.Recording.http();
        HttpTransport transport =
            transport(HttpTransportSettings.SSRF_ALLOWED_NETWORKS, "127.0.0.0/8")) {
      SendOutcome outcome = transport.send(message(receiver.url("http", TEST_HOST, "/hook")));

      assertThat(outcome).isInstanceOf(SendOutcome.Succeeded.class);
      assertThat(receiver.requests).hasSize(1);
      assertThat(receiver.requests.get(0).header("host"))
          .isEqualTo(TEST_HOST + ":" + receiver.port());
    }
  }

  @Test
  void loopbackLiteralIsDeniedWithoutAConnection() throws Exception {
    try (Receivers.Raw raw = new Receivers.Raw(socket -> {});
        HttpTransport transport = transport()) {
      SendOutcome outcome = transport.send(message(raw.url()));

      assertThat(outcome)
          .isInstanceOfSatisfying(
              SendOutcome.Failed.class,
              failed -> assertThat(failed.error().type()).isEqualTo("ssrf_denied"));
      assertThat(raw.connectionsBeforeFence()).isZero();
    }
  }

  @Test
  void ipv6LoopbackLiteralIsDenied() {
    try (HttpTransport transport = transport()) {
      SendOutcome outcome = transport.send(message("http://[::1]:8080/hook"));

      assertThat(outcome.response()).isNull();
      assertThat(outcome)
          .isInstanceOfSatisfying(
              SendOutcome.Failed.class,
              failed -> assertThat(failed.error().type()).isEqualTo("ssrf_denied"));
    }
  }

  @Test
  void decimalEncodedLoopbackIsDeniedEvenWhenLoopbackIsAllowed() {
    try (HttpTransport transport =
        transport(HttpTransportSettings.SSRF_ALLOWED_NETWORKS, "127.0.0.0/8")) {
      SendOutcome outcome = transport.send(message("http://2130706433/"));

      assertThat(outcome)
          .isInstanceOfSatisfying(
              SendOutcome.Failed.class,
              failed -> {
                assertThat(failed.error().type()).isEqualTo("ssrf_denied");
                assertThat(failed.error().message()).contains("canonical");
              });
      assertThat(lookups).isEmpty();
    }
  }

  @Test
  void plainHttpIsDeniedInProduction() throws Exception {
    try (Receivers.Raw raw = new Receivers.Raw(socket -> {});
        HttpTransport transport =
            transport(
                HttpTransportSettings.SSRF_ALLOWED_NETWORKS,
                "127.0.0.0/8",
                HttpTransportSettings.ENVIRONMENT,
                "production")) {
      SendOutcome outcome = transport.send(message(raw.url()));

      assertThat(outcome)
          .isInstanceOfSatisfying(
              SendOutcome.Failed.class,
              failed -> {
                assertThat(failed.error().type()).isEqualTo("ssrf_denied");
                assertThat(failed.error().message()).contains("https");
              });
      assertThat(raw.connectionsBeforeFence()).isZero();
    }
  }

  @Test
  void portOutsideTheAllowedListIsDenied() throws Exception {
    try (Receivers.Raw raw = new Receivers.Raw(socket -> {});
        HttpTransport transport =
            new HttpTransport(
                HttpTransportSettings.from(
                    config(Map.of(HttpTransportSettings.SSRF_ALLOWED_NETWORKS, "127.0.0.0/8"))),
                resolver,
                Clock.systemUTC())) {
      SendOutcome outcome = transport.send(message(raw.url()));

      assertThat(outcome)
          .isInstanceOfSatisfying(
              SendOutcome.Failed.class,
              failed -> assertThat(failed.error().message()).contains("port " + raw.port()));
      assertThat(raw.connectionsBeforeFence()).isZero();
    }
  }

  @Test
  void userinfoIsDenied() {
    try (HttpTransport transport = transport()) {
      SendOutcome outcome = transport.send(message("https://user:pass@example.com/hook"));

      assertThat(outcome)
          .isInstanceOfSatisfying(
              SendOutcome.Failed.class,
              failed -> assertThat(failed.error().type()).isEqualTo("ssrf_denied"));
      assertThat(lookups).isEmpty();
    }
  }

  @Test
  void unknownHostIsARetryableDnsFailure() {
    try (HttpTransport transport = transport()) {
      SendOutcome outcome = transport.send(message("http://nowhere.test:8080/hook"));

      assertThat(outcome)
          .isInstanceOfSatisfying(
              SendOutcome.Retry.class,
              retry -> assertThat(retry.error().type()).isEqualTo("dns_failure"));
      assertThat(lookups).containsExactly("nowhere.test");
    }
  }
}
