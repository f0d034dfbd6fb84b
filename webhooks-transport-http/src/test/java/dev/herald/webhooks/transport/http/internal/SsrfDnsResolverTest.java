package dev.herald.webhooks.transport.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.webhooks.core.ssrf.HostResolver;
import dev.herald.webhooks.core.ssrf.SsrfPolicy;
import dev.herald.webhooks.core.ssrf.SsrfSettings;
import dev.herald.webhooks.core.ssrf.SsrfViolationException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SsrfDnsResolverTest {

  private static InetAddress address(int a, int b, int c, int d) throws UnknownHostException {
    return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
  }

  private static SsrfPolicy allowing(String... networks) {
    return new SsrfPolicy(SsrfSettings.defaults().withAllowedNetworks(List.of(networks)));
  }

  @Test
  void dropsDeniedAddressesAndKeepsTheAllowedOnesInOrder() throws Exception {
    InetAddress internal = address(10, 0, 0, 1);
    InetAddress loopback = address(127, 0, 0, 1);
    InetAddress metadata = address(169, 254, 169, 254);
    HostResolver dns = host -> new InetAddress[] {internal, loopback, metadata};

    InetAddress[] resolved = new SsrfDnsResolver(allowing("127.0.0.0/8"), dns).resolve("mixed");

    assertThat(resolved).containsExactly(loopback);
  }

  @Test
  void failsWhenEveryAddressIsDenied() throws Exception {
    InetAddress metadata = address(169, 254, 169, 254);
    SsrfDnsResolver resolver =
        new SsrfDnsResolver(allowing(), host -> new InetAddress[] {metadata});

    assertThatThrownBy(() -> resolver.resolve("metadata.test"))
        .isInstanceOf(UnknownHostException.class)
        .isInstanceOf(SsrfDnsResolver.SsrfDeniedException.class)
        .hasCauseInstanceOf(SsrfViolationException.class)
        .hasMessageContaining("169.254.169.254");
  }

  @Test
  void checksAddressLiteralsWithoutAskingTheResolver() {
    SsrfDnsResolver resolver =
        new SsrfDnsResolver(
            allowing(),
            host -> {
              throw new AssertionError("a literal must not be looked up: " + host);
            });

    assertThatThrownBy(() -> resolver.resolve("127.0.0.1"))
        .isInstanceOf(SsrfDnsResolver.SsrfDeniedException.class);
    assertThatThrownBy(() -> resolver.resolve("::1"))
        .isInstanceOf(SsrfDnsResolver.SsrfDeniedException.class);
  }

  @Test
  void passesOnTheResolversUnknownHost() {
    SsrfDnsResolver resolver =
        new SsrfDnsResolver(
            allowing(),
            host -> {
              throw new UnknownHostException(host);
            });

    assertThatThrownBy(() -> resolver.resolve("nowhere.test"))
        .isExactlyInstanceOf(UnknownHostException.class);
  }
}
