package dev.herald.webhooks.core.ssrf;

import inet.ipaddr.IPAddressString;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Builds addresses from literals without any DNS lookup. */
final class Addresses {

  private Addresses() {}

  /** As Java would build it: IPv4-mapped IPv6 literals become {@code Inet4Address}. */
  static InetAddress ip(String literal) {
    try {
      return InetAddress.getByAddress(bytes(literal));
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** Always an {@code Inet6Address}, even for IPv4-mapped addresses. */
  static Inet6Address ip6(String literal) {
    try {
      return Inet6Address.getByAddress(null, bytes(literal), -1);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] bytes(String literal) {
    var address = new IPAddressString(literal).getAddress();
    if (address == null) {
      throw new IllegalArgumentException("not an address literal: " + literal);
    }
    return address.getBytes();
  }
}
