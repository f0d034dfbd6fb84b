package dev.herald.webhooks.transport.http.internal;

import dev.herald.webhooks.core.ssrf.HostResolver;
import dev.herald.webhooks.core.ssrf.SsrfPolicy;
import dev.herald.webhooks.core.ssrf.SsrfViolationException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.core5.net.InetAddressUtils;

/**
 * The connection pool's DNS resolver: resolves A and AAAA records and hands HttpClient only the
 * addresses the {@link SsrfPolicy} allows, so the socket connects to an address that was checked
 * and a DNS answer that changes between the check and the connect gains nothing. Thread-safe.
 *
 * <p>HttpClient 5.5 also passes IP-literal hosts through here (a request's {@code HttpHost} carries
 * no pre-resolved address), so literals are checked twice: by {@code SsrfPolicy.checkUrl} before
 * the send, and here before the connect.
 */
public final class SsrfDnsResolver implements DnsResolver {

  private final SsrfPolicy policy;
  private final HostResolver resolver;

  public SsrfDnsResolver(SsrfPolicy policy, HostResolver resolver) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.resolver = Objects.requireNonNull(resolver, "resolver");
  }

  /**
   * @throws SsrfDeniedException when every address is denied
   * @throws UnknownHostException when the name does not resolve
   */
  @Override
  public InetAddress[] resolve(String host) throws UnknownHostException {
    InetAddress[] resolved = isLiteral(host) ? literal(host) : resolver.resolve(host);
    try {
      return policy.checkResolved(host, resolved);
    } catch (SsrfViolationException e) {
      throw new SsrfDeniedException(e);
    }
  }

  /** Only SPNEGO asks for this; answering without DNS keeps every lookup behind the policy. */
  @Override
  public String resolveCanonicalHostname(String host) {
    return host;
  }

  private static boolean isLiteral(String host) {
    String bare = host.startsWith("[") && host.endsWith("]") ? strip(host) : host;
    return InetAddressUtils.isIPv4(bare) || InetAddressUtils.isIPv6(bare);
  }

  private static InetAddress[] literal(String host) throws UnknownHostException {
    // An address literal parses without a DNS query; an injected resolver need not know about it.
    String bare = host.startsWith("[") ? strip(host) : host;
    return new InetAddress[] {InetAddress.getByName(bare)};
  }

  private static String strip(String bracketed) {
    return bracketed.substring(1, bracketed.length() - 1);
  }

  /**
   * The SSRF policy refused every address of a host. An {@link UnknownHostException} because that
   * is what a {@link DnsResolver} may throw; the {@link SsrfViolationException} is the cause.
   */
  public static final class SsrfDeniedException extends UnknownHostException {
    private static final long serialVersionUID = 1L;

    SsrfDeniedException(SsrfViolationException cause) {
      super(cause.getMessage());
      initCause(cause);
    }

    public SsrfViolationException violation() {
      return (SsrfViolationException) getCause();
    }
  }
}
