package dev.herald.webhooks.core.ssrf;

import java.util.regex.Pattern;

/**
 * Spots IPv4 literals that different parsers read differently. {@code 0177.0.0.1} is 177.0.0.1 to
 * Java but 127.0.0.1 to curl and inet_aton; {@code 2130706433}, {@code 127.1} and {@code
 * 0x7f000001} are loopback to most resolvers. Only exactly four plain decimal octets mean the same
 * thing everywhere, so anything else that could be read as a number is refused rather than
 * interpreted.
 */
final class Ipv4Literal {

  private static final Pattern CANONICAL =
      Pattern.compile(
          "(0|[1-9][0-9]{0,2})\\.(0|[1-9][0-9]{0,2})\\.(0|[1-9][0-9]{0,2})\\.(0|[1-9][0-9]{0,2})");

  /** A decimal or {@code 0x} hexadecimal number, as inet_aton and the WHATWG URL parser take it. */
  private static final Pattern NUMBER = Pattern.compile("[0-9]+|0[xX][0-9a-fA-F]*");

  private Ipv4Literal() {}

  /**
   * Whether a URL parser could take this host for an IPv4 address: its last label (ignoring one
   * trailing dot) is a number. That is the WHATWG "ends in a number" rule; no real top-level domain
   * is numeric, so nothing legitimate is lost.
   */
  static boolean looksLikeIpv4(String host) {
    String trimmed = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    String last = trimmed.substring(trimmed.lastIndexOf('.') + 1);
    return NUMBER.matcher(last).matches();
  }

  /** Exactly four decimal octets, no leading zeros, each at most 255, no trailing dot. */
  static boolean isCanonical(String host) {
    var matcher = CANONICAL.matcher(host);
    if (!matcher.matches()) {
      return false;
    }
    for (int i = 1; i <= 4; i++) {
      if (Integer.parseInt(matcher.group(i)) > 255) {
        return false;
      }
    }
    return true;
  }

  /** The four bytes of a host for which {@link #isCanonical} holds. */
  static byte[] toBytes(String canonical) {
    String[] octets = canonical.split("\\.");
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      bytes[i] = (byte) Integer.parseInt(octets[i]);
    }
    return bytes;
  }
}
