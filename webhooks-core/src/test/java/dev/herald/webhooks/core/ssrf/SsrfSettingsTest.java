package dev.herald.webhooks.core.ssrf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SsrfSettingsTest {

  @Test
  void defaultsAllowPlainHttpStandardPortsAndNoNetworks() {
    SsrfSettings defaults = SsrfSettings.defaults();
    assertThat(defaults.httpsOnly()).isFalse();
    assertThat(defaults.allowedPorts().any()).isFalse();
    assertThat(defaults.allowedPorts().ports()).containsExactly(80, 443, 8080, 8443);
    assertThat(defaults.allowedNetworks()).isEmpty();
  }

  @Test
  void parsePortsAcceptsCommaListWithSpaces() {
    SsrfSettings.Ports ports = SsrfSettings.parsePorts(" 8443, 443 ");
    assertThat(ports.any()).isFalse();
    assertThat(ports.ports()).containsExactly(443, 8443);
    assertThat(ports.allows(443)).isTrue();
    assertThat(ports.allows(80)).isFalse();
    assertThat(ports).hasToString("443, 8443");
  }

  @Test
  void parsePortsStarMeansAnyPort() {
    SsrfSettings.Ports ports = SsrfSettings.parsePorts(" * ");
    assertThat(ports.any()).isTrue();
    assertThat(ports.allows(22)).isTrue();
    assertThat(ports.allows(0)).isFalse();
    assertThat(ports).hasToString("any");
  }

  @ParameterizedTest
  @ValueSource(strings = {"80,abc", "80,,443", "*,80", "80;443"})
  void parsePortsNamesTheBadValue(String value) {
    assertThatThrownBy(() -> SsrfSettings.parsePorts(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + value + "'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "65536", "-1"})
  void rejectsPortOutsideValidRange(String port) {
    assertThatThrownBy(() -> SsrfSettings.parsePorts("443," + port))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(port)
        .hasMessageContaining("1..65535");
    assertThatThrownBy(() -> SsrfSettings.Ports.of(Integer.parseInt(port)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(port);
  }

  @Test
  void rejectsEmptyPortList() {
    assertThatThrownBy(() -> SsrfSettings.parsePorts(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be empty");
    assertThatThrownBy(() -> new SsrfSettings.Ports(false, Set.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parseNetworksSplitsAndTrims() {
    assertThat(SsrfSettings.parseNetworks("127.0.0.0/8, ::1/128 ,10.0.0.7"))
        .containsExactly("127.0.0.0/8", "::1/128", "10.0.0.7");
    assertThat(SsrfSettings.parseNetworks("  ")).isEmpty();
    assertThat(SsrfSettings.parseNetworks(null)).isEmpty();
  }

  @Test
  void invalidAllowedNetworkNamesValue() {
    assertThatThrownBy(() -> SsrfSettings.parseNetworks("127.0.0.0/8,10.0.0.0/33"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'10.0.0.0/33'");
    assertThatThrownBy(
            () ->
                new SsrfPolicy(SsrfSettings.defaults().withAllowedNetworks(List.of("not-a-cidr"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'not-a-cidr'");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"10/8", "0177.0.0.0/8", "127.1", "*", "10.0.0.0-10.0.0.9", "10.0.0.*", ""})
  void rejectsAmbiguousNetworkSpellings(String network) {
    assertThatThrownBy(() -> SsrfSettings.defaults().withAllowedNetworks(List.of(network)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void networkWithHostBitsIsRejectedWithTheNetworkToUse() {
    assertThatThrownBy(() -> SsrfSettings.parseNetworks("10.0.0.1/8"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'10.0.0.1/8'")
        .hasMessageContaining("10.0.0.0/8");
  }

  @Test
  void settingsAreImmutable() {
    List<String> networks = new ArrayList<>(List.of("127.0.0.0/8"));
    SsrfSettings settings = SsrfSettings.defaults().withAllowedNetworks(networks);
    networks.add("10.0.0.0/8");
    assertThat(settings.allowedNetworks()).containsExactly("127.0.0.0/8");
    assertThatThrownBy(() -> settings.allowedNetworks().add("0.0.0.0/0"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> settings.allowedPorts().ports().add(22))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
