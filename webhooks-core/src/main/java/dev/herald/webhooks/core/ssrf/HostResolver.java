package dev.herald.webhooks.core.ssrf;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Resolves a host name to all of its addresses (A and AAAA); injected so tests need no DNS. */
@FunctionalInterface
public interface HostResolver {

  InetAddress[] resolve(String host) throws UnknownHostException;

  /** The JVM's resolver, {@link InetAddress#getAllByName(String)}. */
  static HostResolver system() {
    return InetAddress::getAllByName;
  }
}
