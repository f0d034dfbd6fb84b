package dev.herald.webhooks.core.ssrf;

import static dev.herald.webhooks.core.ssrf.Addresses.ip;
import static dev.herald.webhooks.core.ssrf.Addresses.ip6;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.fail;

import dev.herald.webhooks.core.ssrf.SsrfViolationException.Reason;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SsrfPolicyAddressTest {

  private final SsrfPolicy policy = new SsrfPolicy(SsrfSettings.defaults());

  private static SsrfViolationException thrown(ThrowingCallable call) {
    SsrfViolationException e = catchThrowableOfType(call, SsrfViolationException.class);
    assertThat(e).as("expected an SsrfViolationException").isNotNull();
    return e;
  }

  private SsrfViolationException denial(SsrfPolicy policy, InetAddress address) {
    SsrfViolationException e = thrown(() -> policy.checkAddress(address));
    assertThat(e).as("expected %s to be denied", address).isNotNull();
    assertThat(e.reason()).isEqualTo(Reason.ADDRESS_DENIED);
    return e;
  }

  /**
   * Every range of DESIGN.md section 9 except ::ffff:0:0/96 (judged by its embedded IPv4, see
   * {@link #rejectsIpv4MappedLoopback}): first and last address, and the neighbours just outside
   * where those are public unicast addresses (null otherwise).
   */
  static Stream<Arguments> deniedRanges() {
    return Stream.of(
        Arguments.of("0.0.0.0/8", "0.0.0.0", "0.255.255.255", null, "1.0.0.0"),
        Arguments.of("10.0.0.0/8", "10.0.0.0", "10.255.255.255", "9.255.255.255", "11.0.0.0"),
        Arguments.of(
            "100.64.0.0/10", "100.64.0.0", "100.127.255.255", "100.63.255.255", "100.128.0.0"),
        Arguments.of("127.0.0.0/8", "127.0.0.0", "127.255.255.255", "126.255.255.255", "128.0.0.0"),
        Arguments.of(
            "169.254.0.0/16", "169.254.0.0", "169.254.255.255", "169.253.255.255", "169.255.0.0"),
        Arguments.of(
            "172.16.0.0/12", "172.16.0.0", "172.31.255.255", "172.15.255.255", "172.32.0.0"),
        Arguments.of("192.0.0.0/24", "192.0.0.0", "192.0.0.255", "191.255.255.255", "192.0.1.0"),
        Arguments.of("192.0.2.0/24", "192.0.2.0", "192.0.2.255", "192.0.1.255", "192.0.3.0"),
        Arguments.of(
            "192.88.99.0/24", "192.88.99.0", "192.88.99.255", "192.88.98.255", "192.88.100.0"),
        Arguments.of(
            "192.168.0.0/16", "192.168.0.0", "192.168.255.255", "192.167.255.255", "192.169.0.0"),
        Arguments.of(
            "198.18.0.0/15", "198.18.0.0", "198.19.255.255", "198.17.255.255", "198.20.0.0"),
        Arguments.of(
            "198.51.100.0/24", "198.51.100.0", "198.51.100.255", "198.51.99.255", "198.51.101.0"),
        Arguments.of(
            "203.0.113.0/24", "203.0.113.0", "203.0.113.255", "203.0.112.255", "203.0.114.0"),
        Arguments.of("224.0.0.0/4", "224.0.0.0", "239.255.255.255", "223.255.255.255", null),
        Arguments.of("240.0.0.0/4", "240.0.0.0", "255.255.255.255", null, null),
        Arguments.of("::/128", "::", "::", null, null),
        Arguments.of("::1/128", "::1", "::1", null, null),
        Arguments.of("::/96", "::", "::ffff:ffff", null, null),
        Arguments.of("64:ff9b::/96", "64:ff9b::", "64:ff9b::ffff:ffff", null, null),
        Arguments.of(
            "64:ff9b:1::/48", "64:ff9b:1::", "64:ff9b:1:ffff:ffff:ffff:ffff:ffff", null, null),
        Arguments.of("100::/64", "100::", "100::ffff:ffff:ffff:ffff", null, null),
        Arguments.of(
            "2001::/32",
            "2001::",
            "2001:0:ffff:ffff:ffff:ffff:ffff:ffff",
            "2000:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
            null),
        Arguments.of(
            "2001:db8::/32",
            "2001:db8::",
            "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff",
            "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff",
            "2001:db9::"),
        Arguments.of(
            "2002::/16",
            "2002::",
            "2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
            "2001:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
            "2003::"),
        Arguments.of(
            "3fff::/20",
            "3fff::",
            "3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff",
            "3ffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
            "3fff:1000::"),
        Arguments.of("5f00::/16", "5f00::", "5f00:ffff:ffff:ffff:ffff:ffff:ffff:ffff", null, null),
        Arguments.of("fc00::/7", "fc00::", "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", null, null),
        Arguments.of("fe80::/10", "fe80::", "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", null, null),
        Arguments.of("fec0::/10", "fec0::", "feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", null, null),
        Arguments.of("ff00::/8", "ff00::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", null, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deniedRanges")
  void rejectsEveryDeniedRangeBoundary(
      String cidr, String first, String last, String publicBelow, String publicAbove) {
    assertThat(policy.isAllowed(ip(first))).as(first).isFalse();
    denial(policy, ip(first));
    assertThat(denial(policy, ip(last)).getMessage()).contains("denied range " + cidr + " (");
    if (publicBelow != null) {
      assertThat(policy.isAllowed(ip(publicBelow))).as(publicBelow).isTrue();
    }
    if (publicAbove != null) {
      assertThat(policy.isAllowed(ip(publicAbove))).as(publicAbove).isTrue();
    }
  }

  @Test
  void deniedRangesAreExactlyTheDesignList() {
    List<String> expected = deniedRanges().map(a -> (String) a.get()[0]).toList();
    assertThat(DeniedRanges.ALL).extracting(AddressRange::cidr).containsExactlyElementsOf(expected);
    assertThat(DeniedRanges.ALL).allSatisfy(range -> assertThat(range.label()).isNotBlank());
  }

  @Test
  void deniedAddressMessageNamesTheRange() {
    assertThat(denial(policy, ip("127.0.0.1")).getMessage())
        .isEqualTo("127.0.0.1 is in denied range 127.0.0.0/8 (loopback)");
  }

  @Test
  void rejectsIpv6Loopback() {
    assertThat(policy.isAllowed(ip("::1"))).isFalse();
    assertThat(denial(policy, ip("::1")).getMessage()).contains("::1/128 (loopback)");
  }

  @Test
  void rejectsIpv4MappedLoopback() {
    // Java's own conversion: ::ffff:127.0.0.1 becomes an Inet4Address
    assertThat(ip("::ffff:127.0.0.1").getAddress()).hasSize(4);
    denial(policy, ip("::ffff:127.0.0.1"));
    // the same address kept as an Inet6Address must get the same verdict
    assertThat(denial(policy, ip6("::ffff:127.0.0.1")).getMessage())
        .contains("IPv4-mapped 127.0.0.1")
        .contains("127.0.0.0/8 (loopback)");
    denial(policy, ip6("::ffff:0.0.0.0"));
    denial(policy, ip6("::ffff:255.255.255.255"));
    denial(policy, ip6("::ffff:169.254.169.254"));
  }

  @Test
  void ipv4MappedPublicAddressIsJudgedByItsEmbeddedAddress() {
    assertThat(policy.isAllowed(ip6("::ffff:93.184.216.34"))).isTrue();
    assertThat(policy.isAllowed(ip("::ffff:93.184.216.34"))).isTrue();
  }

  @Test
  void rejectsIpv4CompatibleAddress() {
    assertThat(denial(policy, ip("::7f00:1")).getMessage()).contains("::/96 (IPv4-compatible)");
    denial(policy, ip("::5db8:d822"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"fc00::1", "fd12:3456:789a::1", "fdff:ffff::1"})
  void rejectsUniqueLocalFc00(String address) {
    assertThat(denial(policy, ip(address)).getMessage()).contains("fc00::/7 (unique local)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"100.64.0.1", "100.100.100.200", "100.127.255.254"})
  void rejectsCgnat(String address) {
    assertThat(denial(policy, ip(address)).getMessage()).contains("100.64.0.0/10");
  }

  @ParameterizedTest
  @ValueSource(strings = {"64:ff9b::7f00:1", "64:ff9b::5db8:d822", "64:ff9b:1::a00:1"})
  void rejectsNat64(String address) {
    assertThat(denial(policy, ip(address)).getMessage()).contains("NAT64");
  }

  @Test
  void rejectsScopedLinkLocalIpv6() throws UnknownHostException {
    InetAddress scoped = java.net.Inet6Address.getByAddress(null, ip("fe80::1").getAddress(), 2);
    assertThat(denial(policy, scoped).getMessage()).contains("fe80::/10");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"93.184.216.34", "8.8.8.8", "1.1.1.1", "2606:4700::1111", "2a00:1450:4001::1"})
  void allowsPublicAddresses(String address) {
    assertThat(policy.isAllowed(ip(address))).isTrue();
    assertThatCode(() -> policy.checkAddress(ip(address))).doesNotThrowAnyException();
  }

  @Test
  void allowedNetworksExemptLoopbackOnly() {
    SsrfPolicy exempt =
        new SsrfPolicy(SsrfSettings.defaults().withAllowedNetworks(List.of("127.0.0.0/8")));
    assertThat(exempt.isAllowed(ip("127.0.0.1"))).isTrue();
    assertThat(exempt.isAllowed(ip6("::ffff:127.0.0.1"))).isTrue();
    assertThatCode(() -> exempt.checkUrl("http://127.0.0.1:8080/hook")).doesNotThrowAnyException();
    denial(exempt, ip("10.0.0.1"));
    denial(exempt, ip("169.254.169.254"));
    denial(exempt, ip("::1"));
    assertThat(exempt.isAllowed(ip("128.0.0.1"))).isTrue();
  }

  @Test
  void allowedIpv6NetworkExemptsOnlyThatNetwork() {
    SsrfPolicy exempt =
        new SsrfPolicy(SsrfSettings.defaults().withAllowedNetworks(List.of("fd00:1::/64")));
    assertThat(exempt.isAllowed(ip("fd00:1::42"))).isTrue();
    denial(exempt, ip("fd00:2::42"));
    denial(exempt, ip("127.0.0.1"));
  }

  @Test
  void hostResolvingToLoopbackIsRefused() {
    HostResolver resolver = host -> resolve(host, "evil.example", ip("127.0.0.1"));
    assertThatCode(() -> policy.checkUrl("https://evil.example/hook"))
        .as("checkUrl does not resolve")
        .doesNotThrowAnyException();
    SsrfViolationException e =
        thrown(() -> policy.checkUrlAndResolve("https://evil.example/hook", resolver));
    assertThat(e.reason()).isEqualTo(Reason.ADDRESS_DENIED);
    assertThat(e.getMessage())
        .contains("'evil.example'")
        .contains("127.0.0.1 is in denied range 127.0.0.0/8 (loopback)");
  }

  @Test
  void hostResolvingToAnyDeniedAddressIsRefusedAtSaveTime() {
    HostResolver resolver =
        host -> resolve(host, "mixed.example", ip("93.184.216.34"), ip("10.1.2.3"));
    SsrfViolationException e =
        thrown(() -> policy.checkUrlAndResolve("https://mixed.example/", resolver));
    assertThat(e.reason()).isEqualTo(Reason.ADDRESS_DENIED);
    assertThat(e.getMessage()).contains("10.1.2.3").doesNotContain("93.184.216.34");
  }

  @Test
  void hostResolvingToPublicAddressesIsAccepted() {
    List<String> asked = new ArrayList<>();
    HostResolver resolver =
        host -> {
          asked.add(host);
          return resolve(host, "good.example", ip("93.184.216.34"), ip("2606:4700::1111"));
        };
    assertThatCode(() -> policy.checkUrlAndResolve("https://good.example:8443/hook", resolver))
        .doesNotThrowAnyException();
    assertThat(asked).containsExactly("good.example");
  }

  @Test
  void unknownHostIsUnresolvable() {
    UnknownHostException cause = new UnknownHostException("nope.example");
    SsrfViolationException e =
        thrown(
            () ->
                policy.checkUrlAndResolve(
                    "https://nope.example/",
                    host -> {
                      throw cause;
                    }));
    assertThat(e.reason()).isEqualTo(Reason.UNRESOLVABLE_HOST);
    assertThat(e.getMessage()).contains("'nope.example'");
    assertThat(e).hasCause(cause);
  }

  @Test
  void ipLiteralHostIsNotResolved() {
    HostResolver mustNotBeCalled = host -> fail("resolver called for " + host);
    assertThatCode(() -> policy.checkUrlAndResolve("https://93.184.216.34/", mustNotBeCalled))
        .doesNotThrowAnyException();
    assertThat(thrown(() -> policy.checkUrlAndResolve("https://[::1]/", mustNotBeCalled)).reason())
        .isEqualTo(Reason.ADDRESS_DENIED);
  }

  @Test
  void filterDropsDeniedAndKeepsPublic() {
    InetAddress[] resolved = {
      ip("127.0.0.1"), ip("93.184.216.34"), ip("10.0.0.1"), ip("2606:4700::1111"), ip("fe80::1")
    };
    InetAddress[] allowed = policy.filterAllowed(resolved);
    assertThat(allowed).containsExactly(ip("93.184.216.34"), ip("2606:4700::1111"));
    assertThat(resolved).hasSize(5).startsWith(ip("127.0.0.1"));
  }

  @Test
  void checkResolvedReturnsOnlyAllowedAddresses() {
    assertThat(
            policy.checkResolved(
                "mixed.example", new InetAddress[] {ip("10.0.0.1"), ip("1.1.1.1")}))
        .containsExactly(ip("1.1.1.1"));
  }

  @Test
  void checkResolvedFailsWhenAllDenied() {
    SsrfViolationException e =
        thrown(
            () ->
                policy.checkResolved(
                    "internal.example", new InetAddress[] {ip("127.0.0.1"), ip("10.0.0.1")}));
    assertThat(e.reason()).isEqualTo(Reason.ADDRESS_DENIED);
    assertThat(e.getMessage())
        .isEqualTo(
            "host 'internal.example' resolves only to denied addresses: "
                + "127.0.0.1 is in denied range 127.0.0.0/8 (loopback); "
                + "10.0.0.1 is in denied range 10.0.0.0/8 (private)");
  }

  @Test
  void checkResolvedFailsWhenNothingResolved() {
    SsrfViolationException e =
        thrown(() -> policy.checkResolved("empty.example", new InetAddress[0]));
    assertThat(e.reason()).isEqualTo(Reason.UNRESOLVABLE_HOST);
    assertThat(e.getMessage()).contains("'empty.example'");
  }

  private static InetAddress[] resolve(String host, String known, InetAddress... addresses)
      throws UnknownHostException {
    if (!host.equals(known)) {
      throw new UnknownHostException(host);
    }
    return addresses;
  }
}
