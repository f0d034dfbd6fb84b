package dev.herald.webhooks.transport.http;

import static dev.herald.webhooks.transport.http.Receivers.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.webhooks.core.registry.TransportRegistry;
import dev.herald.webhooks.spi.Transport;
import dev.herald.webhooks.spi.TransportProvider;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpTransportProviderTest {

  @Test
  void isFoundThroughTheServiceLoaderByName() {
    ClassLoader loader = HttpTransportProvider.class.getClassLoader();

    assertThat(ServiceLoader.load(TransportProvider.class, loader).stream())
        .anySatisfy(p -> assertThat(p.type()).isEqualTo(HttpTransportProvider.class));
    assertThat(TransportRegistry.load(loader).require("herald.transport", "http"))
        .isInstanceOf(HttpTransportProvider.class);
  }

  @Test
  void createsATransportWithTheDefaults() {
    try (Transport transport =
        new HttpTransportProvider().create(key -> java.util.Optional.empty())) {
      HttpTransportSettings settings = ((HttpTransport) transport).settings();

      assertThat(settings.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
      assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
      assertThat(settings.maxConnections()).isEqualTo(200);
      assertThat(settings.maxConnectionsPerRoute()).isEqualTo(20);
      assertThat(settings.ssrf().httpsOnly()).isFalse();
      assertThat(settings.ssrf().allowedNetworks()).isEmpty();
      assertThat(settings.caBundle()).isEmpty();
      // Tests run from target/classes, which has no manifest version.
      assertThat(settings.userAgent()).isEqualTo("Herald-Webhooks/dev");
    }
  }

  @Test
  void readsEveryKey() {
    HttpTransportSettings settings =
        HttpTransportSettings.from(
            config(
                Map.of(
                    "webhook.timeout", "5",
                    "herald.webhook.connect-timeout", "500ms",
                    "herald.ssrf.allowed-ports", "443,8443",
                    "herald.ssrf.allowed-networks", "127.0.0.0/8, ::1/128",
                    "environment", "Production",
                    "herald.transport.http.max-connections", "50",
                    "herald.version", "1.2.3")));

    assertThat(settings.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(settings.connectTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(settings.ssrf().allowedPorts().allows(8443)).isTrue();
    assertThat(settings.ssrf().allowedPorts().allows(80)).isFalse();
    assertThat(settings.ssrf().allowedNetworks()).containsExactly("127.0.0.0/8", "::1/128");
    assertThat(settings.ssrf().httpsOnly()).isTrue();
    assertThat(settings.maxConnections()).isEqualTo(50);
    assertThat(settings.maxConnectionsPerRoute()).isEqualTo(20);
    assertThat(settings.userAgent()).isEqualTo("Herald-Webhooks/1.2.3");
  }

  @Test
  void perRouteDefaultNeverExceedsTheTotal() {
    HttpTransportSettings settings =
        HttpTransportSettings.from(config(Map.of("herald.transport.http.max-connections", "5")));

    assertThat(settings.maxConnectionsPerRoute()).isEqualTo(5);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "webhook.timeout | soon",
        "webhook.timeout | 0",
        "herald.webhook.connect-timeout | -1s",
        "herald.ssrf.allowed-ports | http",
        "herald.ssrf.allowed-ports | 70000",
        "herald.ssrf.allowed-networks | intranet",
        "herald.transport.http.ca-bundle | /no/such/bundle.pem",
        "herald.transport.http.max-connections | 0",
        "herald.transport.http.max-connections | many",
        "herald.transport.http.max-connections-per-route | 201",
        "herald.version | 1 0"
      })
  void invalidValuesNameTheKey(String key, String value) {
    assertThatThrownBy(() -> new HttpTransportProvider().create(config(Map.of(key, value))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(key);
  }
}
