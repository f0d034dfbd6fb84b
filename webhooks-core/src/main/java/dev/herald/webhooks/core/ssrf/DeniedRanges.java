package dev.herald.webhooks.core.ssrf;

import inet.ipaddr.IPAddress;
import java.util.List;
import java.util.Optional;

/**
 * The special-purpose ranges a webhook may never reach (DESIGN.md section 9). Explicit CIDRs
 * because {@code InetAddress.isSiteLocalAddress()} and friends miss CGNAT, NAT64, fc00::/7 and
 * more.
 *
 * <p>IPv4-mapped IPv6 ({@code ::ffff:0:0/96}) is deliberately absent: {@link SsrfPolicy} judges
 * such an address by its embedded IPv4 address, exactly as it would judge the {@code Inet4Address}
 * Java produces for the same literal, so both spellings get the same verdict.
 */
final class DeniedRanges {

  /** More specific ranges come first so a match names the narrowest reason. */
  static final List<AddressRange> ALL =
      List.of(
          range("0.0.0.0/8", "\"this\" network"),
          range("10.0.0.0/8", "private"),
          range("100.64.0.0/10", "CGNAT shared address space"),
          range("127.0.0.0/8", "loopback"),
          range("169.254.0.0/16", "link-local, cloud metadata"),
          range("172.16.0.0/12", "private"),
          range("192.0.0.0/24", "IETF protocol assignments"),
          range("192.0.2.0/24", "documentation"),
          range("192.88.99.0/24", "6to4 relay anycast"),
          range("192.168.0.0/16", "private"),
          range("198.18.0.0/15", "benchmarking"),
          range("198.51.100.0/24", "documentation"),
          range("203.0.113.0/24", "documentation"),
          range("224.0.0.0/4", "multicast"),
          range("240.0.0.0/4", "reserved, broadcast"),
          range("::/128", "unspecified"),
          range("::1/128", "loopback"),
          range("::/96", "IPv4-compatible"),
          range("64:ff9b::/96", "NAT64"),
          range("64:ff9b:1::/48", "local-use NAT64"),
          range("100::/64", "discard-only"),
          range("2001::/32", "Teredo"),
          range("2001:db8::/32", "documentation"),
          range("2002::/16", "6to4"),
          range("3fff::/20", "documentation"),
          range("5f00::/16", "segment routing SIDs"),
          range("fc00::/7", "unique local"),
          range("fe80::/10", "link-local"),
          range("fec0::/10", "site-local"),
          range("ff00::/8", "multicast"));

  private DeniedRanges() {}

  static Optional<AddressRange> match(IPAddress address) {
    for (AddressRange range : ALL) {
      if (range.contains(address)) {
        return Optional.of(range);
      }
    }
    return Optional.empty();
  }

  private static AddressRange range(String cidr, String label) {
    return AddressRange.parse(cidr, label);
  }
}
