package dev.herald.webhooks.core.ssrf;

import dev.herald.webhooks.core.ssrf.SsrfViolationException.Reason;
import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.ipv6.IPv6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides which webhook URLs and which addresses Herald may connect to (DESIGN.md section 9).
 *
 * <p>URLs are checked when an endpoint is saved ({@link #checkUrlAndResolve}) and again before
 * every connection ({@link #checkUrl}); the HTTP client's DNS resolver then passes what it resolved
 * through {@link #checkResolved}, so the connection only goes to an address that was checked and a
 * DNS answer that changes between check and connect (rebinding) gains nothing.
 *
 * <p>Immutable and thread-safe: one instance can be shared by every delivery worker.
 */
public final class SsrfPolicy {

  private final SsrfSettings settings;
  private final List<AddressRange> allowedNetworks;

  public SsrfPolicy(SsrfSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.allowedNetworks =
        settings.allowedNetworks().stream()
            .map(cidr -> AddressRange.parse(cidr, "allowed network"))
            .toList();
  }

  public SsrfSettings settings() {
    return settings;
  }

  /**
   * Checks scheme, userinfo, host, port and, when the host is an IP literal, the address. Does not
   * resolve DNS names: that happens in the HTTP client's resolver, through {@link #checkResolved}.
   *
   * @throws SsrfViolationException saying why the URL is refused
   */
  public void checkUrl(String url) {
    parse(url);
  }

  /**
   * {@link #checkUrl} plus resolution of a DNS host name, every address of which must be allowed;
   * for save-time checks, so a user learns at once that an endpoint can never be reached.
   *
   * @throws SsrfViolationException saying why the URL is refused
   */
  public void checkUrlAndResolve(String url, HostResolver resolver) {
    Objects.requireNonNull(resolver, "resolver");
    Target target = parse(url);
    if (target.literal()) {
      return;
    }
    InetAddress[] resolved;
    try {
      resolved = resolver.resolve(target.host());
    } catch (UnknownHostException e) {
      throw new SsrfViolationException(
          Reason.UNRESOLVABLE_HOST, "host '" + target.host() + "' could not be resolved", e);
    }
    InetAddress[] allowed = checkResolved(target.host(), resolved);
    if (allowed.length != resolved.length) {
      // At delivery the resolver would silently skip the denied ones; at save time say so instead
      // of accepting an endpoint that is half internal.
      throw new SsrfViolationException(
          Reason.ADDRESS_DENIED,
          "host '" + target.host() + "' resolves to denied addresses: " + describeDenied(resolved));
    }
  }

  /** {@link #checkUrlAndResolve(String, HostResolver)} with the JVM's resolver. */
  public void checkUrlAndResolve(String url) {
    checkUrlAndResolve(url, HostResolver.system());
  }

  /** Whether Herald may connect to this address. */
  public boolean isAllowed(InetAddress address) {
    return denial(address).isEmpty();
  }

  /**
   * @throws SsrfViolationException with reason {@code ADDRESS_DENIED}, naming the denied range
   */
  public void checkAddress(InetAddress address) {
    Optional<String> denial = denial(address);
    if (denial.isPresent()) {
      throw new SsrfViolationException(Reason.ADDRESS_DENIED, denial.get());
    }
  }

  /** The allowed addresses among {@code resolved}, in their original order; a new array. */
  public InetAddress[] filterAllowed(InetAddress[] resolved) {
    Objects.requireNonNull(resolved, "resolved");
    List<InetAddress> allowed = new ArrayList<>(resolved.length);
    for (InetAddress address : resolved) {
      if (isAllowed(address)) {
        allowed.add(address);
      }
    }
    return allowed.toArray(new InetAddress[0]);
  }

  /**
   * Like {@link #filterAllowed}, but fails when nothing is left, so a DNS resolver can surface the
   * reason instead of a bare "unknown host".
   *
   * @return the allowed addresses, never empty
   * @throws SsrfViolationException {@code UNRESOLVABLE_HOST} when nothing was resolved, {@code
   *     ADDRESS_DENIED} listing what was dropped when every address is denied
   */
  public InetAddress[] checkResolved(String host, InetAddress[] resolved) {
    if (resolved == null || resolved.length == 0) {
      throw new SsrfViolationException(
          Reason.UNRESOLVABLE_HOST, "host '" + host + "' did not resolve to any address");
    }
    InetAddress[] allowed = filterAllowed(resolved);
    if (allowed.length == 0) {
      throw new SsrfViolationException(
          Reason.ADDRESS_DENIED,
          "host '" + host + "' resolves only to denied addresses: " + describeDenied(resolved));
    }
    return allowed;
  }

  @Override
  public String toString() {
    return "SsrfPolicy[httpsOnly="
        + settings.httpsOnly()
        + ", allowedPorts="
        + settings.allowedPorts()
        + ", allowedNetworks="
        + settings.allowedNetworks()
        + "]";
  }

  private String describeDenied(InetAddress[] resolved) {
    List<String> denied = new ArrayList<>();
    for (InetAddress address : resolved) {
      denial(address).ifPresent(denied::add);
    }
    return String.join("; ", denied);
  }

  /** Empty when allowed, else the sentence saying why not. */
  private Optional<String> denial(InetAddress address) {
    IPAddress ip = AddressRange.toIpAddress(address);
    IPAddress effective = ip;
    String shown = ip.toCanonicalString();
    if (ip instanceof IPv6Address v6 && v6.isIPv4Mapped()) {
      // Java turns ::ffff:a.b.c.d literals into Inet4Address; judge the Inet6Address spelling the
      // same way, by the IPv4 address the packets actually go to.
      effective = v6.getEmbeddedIPv4Address();
      shown = shown + " (IPv4-mapped " + effective.toCanonicalString() + ")";
    }
    for (AddressRange exempt : allowedNetworks) {
      if (exempt.contains(ip) || exempt.contains(effective)) {
        return Optional.empty();
      }
    }
    String what = shown;
    return DeniedRanges.match(effective).map(range -> what + " is in denied range " + range);
  }

  private Target parse(String url) {
    if (url == null || url.isBlank()) {
      throw new SsrfViolationException(Reason.MALFORMED_URL, "URL is missing");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new SsrfViolationException(
          Reason.MALFORMED_URL, "'" + url + "' is not a valid URL: " + e.getReason(), e);
    }
    String scheme = checkScheme(uri);
    String authority = uri.getRawAuthority();
    if (uri.isOpaque() || authority == null || authority.isEmpty()) {
      throw new SsrfViolationException(Reason.MISSING_HOST, "URL '" + url + "' has no host");
    }
    if (uri.getRawUserInfo() != null || authority.contains("@")) {
      throw new SsrfViolationException(
          Reason.USERINFO_NOT_ALLOWED,
          "credentials in the URL (user@host) are not allowed; remove the part before '@'");
    }
    String host = uri.getHost();
    if (host == null) {
      // java.net.URI gives up on hosts such as 127.1, 0x7f.0.0.1 or 127.0.0.1. and falls back to a
      // registry-based authority; other parsers do read them as addresses.
      String raw = stripPort(authority);
      if (raw.isEmpty()) {
        throw new SsrfViolationException(Reason.MISSING_HOST, "URL '" + url + "' has no host");
      }
      if (Ipv4Literal.looksLikeIpv4(raw)) {
        throw nonCanonical(raw);
      }
      throw new SsrfViolationException(
          Reason.MALFORMED_URL, "host '" + raw + "' is not a valid host name");
    }
    checkPort(uri.getPort() == -1 ? defaultPort(scheme) : uri.getPort());
    if (host.startsWith("[")) {
      checkAddress(ipv6Literal(host.substring(1, host.length() - 1)));
      return new Target(host, true);
    }
    if (Ipv4Literal.looksLikeIpv4(host)) {
      if (!Ipv4Literal.isCanonical(host)) {
        throw nonCanonical(host);
      }
      checkAddress(byAddress(Ipv4Literal.toBytes(host)));
      return new Target(host, true);
    }
    return new Target(host, false);
  }

  private String checkScheme(URI uri) {
    String allowedSchemes = settings.httpsOnly() ? "https" : "http, https";
    if (uri.getScheme() == null) {
      throw new SsrfViolationException(
          Reason.SCHEME_NOT_ALLOWED,
          "URL has no scheme; allowed schemes: "
              + allowedSchemes
              + " (e.g. https://example.com/hook)");
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("http") && settings.httpsOnly()) {
      throw new SsrfViolationException(
          Reason.HTTPS_REQUIRED, "scheme 'http' is not allowed in production; use https");
    }
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new SsrfViolationException(
          Reason.SCHEME_NOT_ALLOWED,
          "scheme '" + uri.getScheme() + "' is not allowed; allowed schemes: " + allowedSchemes);
    }
    return scheme;
  }

  private void checkPort(int port) {
    if (!SsrfSettings.Ports.isValidPort(port)) {
      throw new SsrfViolationException(
          Reason.PORT_NOT_ALLOWED, "port " + port + " is outside the valid range 1..65535");
    }
    if (!settings.allowedPorts().allows(port)) {
      throw new SsrfViolationException(
          Reason.PORT_NOT_ALLOWED,
          "port " + port + " is not allowed; allowed ports: " + settings.allowedPorts());
    }
  }

  private static int defaultPort(String scheme) {
    return scheme.equals("https") ? 443 : 80;
  }

  private static InetAddress ipv6Literal(String literal) {
    if (literal.contains("%")) {
      throw new SsrfViolationException(
          Reason.MALFORMED_URL, "IPv6 zone IDs are not allowed in webhook URLs: [" + literal + "]");
    }
    int lastColon = literal.lastIndexOf(':');
    String tail = literal.substring(lastColon + 1);
    if (tail.contains(".") && !Ipv4Literal.isCanonical(tail)) {
      throw nonCanonical(literal);
    }
    try {
      IPAddress address = new IPAddressString(literal).toAddress();
      if (address == null || !address.isIPv6() || address.getNetworkPrefixLength() != null) {
        throw new SsrfViolationException(
            Reason.MALFORMED_URL, "[" + literal + "] is not an IPv6 address");
      }
      return byAddress(address.getBytes());
    } catch (AddressStringException e) {
      throw new SsrfViolationException(
          Reason.MALFORMED_URL, "[" + literal + "] is not an IPv6 address: " + e.getMessage(), e);
    }
  }

  private static InetAddress byAddress(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("a 4- or 16-byte address was refused", e);
    }
  }

  private static SsrfViolationException nonCanonical(String host) {
    return new SsrfViolationException(
        Reason.NON_CANONICAL_IP_LITERAL,
        "host '"
            + host
            + "' is not a canonical IP address, and parsers disagree on what it means; write an"
            + " IPv4 address as four decimal octets without leading zeros (e.g. 203.0.113.7) or"
            + " use a DNS name");
  }

  /** Drops {@code :port} from a registry-based authority that has no userinfo. */
  private static String stripPort(String authority) {
    int colon = authority.lastIndexOf(':');
    return colon < 0 ? authority : authority.substring(0, colon);
  }

  private record Target(String host, boolean literal) {}
}
