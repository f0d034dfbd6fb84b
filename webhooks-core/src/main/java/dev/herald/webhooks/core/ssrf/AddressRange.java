package dev.herald.webhooks.core.ssrf;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.AddressStringParameters.RangeParameters;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv6.IPv6Address;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;

/** One CIDR block with a human label, e.g. {@code 127.0.0.0/8 (loopback)}. Immutable. */
final class AddressRange {

  /**
   * Only plain CIDR notation. The library's defaults also accept inet_aton forms ({@code 10/8},
   * {@code 1.2.3}), octal, wildcards, ranges and even the empty string as loopback: an operator
   * typing one of those almost certainly means something else, so it is refused.
   */
  private static final IPAddressStringParameters STRICT = strictParameters();

  private final IPAddress block;
  private final String cidr;
  private final String label;

  private AddressRange(IPAddress block, String label) {
    this.block = block;
    this.cidr = block.toCanonicalString();
    this.label = label;
  }

  /**
   * Parses {@code a.b.c.d/n} or {@code ipv6/n}; a bare address means a single host.
   *
   * @throws IllegalArgumentException naming the value when it is not a network in CIDR notation
   */
  static AddressRange parse(String cidr, String label) {
    if (cidr == null || cidr.isBlank()) {
      throw new IllegalArgumentException(
          "network must not be empty; expected CIDR such as 10.0.0.0/8");
    }
    IPAddress address;
    try {
      address = new IPAddressString(cidr, STRICT).toAddress();
    } catch (AddressStringException e) {
      throw new IllegalArgumentException(
          "'"
              + cidr
              + "' is not a valid network in CIDR notation (such as 10.0.0.0/8 or fc00::/7): "
              + e.getMessage(),
          e);
    }
    if (address == null) {
      throw new IllegalArgumentException(
          "'"
              + cidr
              + "' is not a valid network in CIDR notation (such as 10.0.0.0/8 or fc00::/7)");
    }
    if (address.getNetworkPrefixLength() == null) {
      address = address.toPrefixBlock(address.getBitCount());
    } else if (!address.isPrefixBlock()) {
      // 10.0.0.1/8 is ambiguous: a host, or the network it sits in? Make the operator say which.
      throw new IllegalArgumentException(
          "'"
              + cidr
              + "' has host bits set; write the network address, "
              + address.toPrefixBlock().toCanonicalString());
    }
    return new AddressRange(address, label);
  }

  /** Converts without a DNS lookup and drops any IPv6 scope id, which has no bearing on policy. */
  static IPAddress toIpAddress(InetAddress address) {
    Objects.requireNonNull(address, "address");
    byte[] bytes = address.getAddress();
    return address instanceof Inet4Address ? new IPv4Address(bytes) : new IPv6Address(bytes);
  }

  boolean contains(IPAddress address) {
    return block.getIPVersion() == address.getIPVersion() && block.contains(address);
  }

  String cidr() {
    return cidr;
  }

  String label() {
    return label;
  }

  @Override
  public String toString() {
    return label == null ? cidr : cidr + " (" + label + ")";
  }

  private static IPAddressStringParameters strictParameters() {
    IPAddressStringParameters.Builder builder = new IPAddressStringParameters.Builder();
    builder
        .allowEmpty(false)
        .allowAll(false)
        .allowSingleSegment(false)
        .allowPrefixOnly(false)
        .allowMask(false)
        .allowWildcardedSeparator(false)
        .setRangeOptions(RangeParameters.NO_RANGE)
        .allow_inet_aton(false);
    builder
        .getIPv4AddressParametersBuilder()
        .allow_inet_aton(false)
        .allowLeadingZeros(false)
        .allowPrefixLengthLeadingZeros(false)
        .allowBinary(false)
        .allowPrefixesBeyondAddressSize(false);
    builder
        .getIPv6AddressParametersBuilder()
        .allowZone(false)
        .allowBase85(false)
        .allowBinary(false)
        .allowPrefixesBeyondAddressSize(false)
        .getEmbeddedIPv4AddressParametersBuilder()
        .allow_inet_aton(false)
        .allowLeadingZeros(false);
    return builder.toParams();
  }
}
