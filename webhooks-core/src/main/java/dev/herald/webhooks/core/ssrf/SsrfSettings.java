package dev.herald.webhooks.core.ssrf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What the {@link SsrfPolicy} allows. Immutable; the constructor validates every value and fails
 * with an {@link IllegalArgumentException} naming the bad one.
 *
 * @param httpsOnly refuse plain http (set when {@code ENVIRONMENT=production})
 * @param allowedPorts ports a webhook URL may use ({@code herald.ssrf.allowed-ports})
 * @param allowedNetworks CIDRs exempted from the deny list, empty by default ({@code
 *     herald.ssrf.allowed-networks}, e.g. {@code 127.0.0.0/8} for tests and local demos)
 */
public record SsrfSettings(boolean httpsOnly, Ports allowedPorts, List<String> allowedNetworks) {

  public SsrfSettings {
    Objects.requireNonNull(allowedPorts, "allowedPorts");
    Objects.requireNonNull(allowedNetworks, "allowedNetworks");
    List<String> networks = new ArrayList<>(allowedNetworks.size());
    for (String network : allowedNetworks) {
      String trimmed = network == null ? null : network.strip();
      AddressRange.parse(trimmed, null);
      networks.add(trimmed);
    }
    allowedNetworks = List.copyOf(networks);
  }

  /** Plain http allowed, ports 80, 443, 8080 and 8443, no exempted networks. */
  public static SsrfSettings defaults() {
    return new SsrfSettings(false, Ports.DEFAULT, List.of());
  }

  public SsrfSettings withHttpsOnly(boolean httpsOnly) {
    return new SsrfSettings(httpsOnly, allowedPorts, allowedNetworks);
  }

  public SsrfSettings withAllowedPorts(Ports allowedPorts) {
    return new SsrfSettings(httpsOnly, allowedPorts, allowedNetworks);
  }

  public SsrfSettings withAllowedNetworks(List<String> allowedNetworks) {
    return new SsrfSettings(httpsOnly, allowedPorts, allowedNetworks);
  }

  /**
   * Parses {@code herald.ssrf.allowed-ports}: a comma-separated list such as {@code 443,8443}, or
   * {@code *} for any port.
   *
   * @throws IllegalArgumentException naming the value when it is neither
   */
  public static Ports parsePorts(String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          "allowed ports must not be empty; use a comma-separated list such as 80,443 or * for any"
              + " port");
    }
    if (value.strip().equals("*")) {
      return Ports.ANY;
    }
    Set<Integer> ports = new TreeSet<>();
    for (String item : value.split(",", -1)) {
      String port = item.strip();
      try {
        ports.add(Integer.parseInt(port));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "allowed ports '"
                + value
                + "': '"
                + port
                + "' is not a port number; use a comma-separated list such as 80,443 or * for any"
                + " port",
            e);
      }
    }
    return new Ports(false, ports);
  }

  /**
   * Parses {@code herald.ssrf.allowed-networks}: a comma-separated list of CIDRs; blank means none.
   *
   * @throws IllegalArgumentException naming the first value that is not a CIDR
   */
  public static List<String> parseNetworks(String value) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    List<String> networks = new ArrayList<>();
    for (String item : value.split(",", -1)) {
      String network = item.strip();
      try {
        AddressRange.parse(network, null);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "allowed networks '" + value + "': " + e.getMessage(), e);
      }
      networks.add(network);
    }
    return List.copyOf(networks);
  }

  /**
   * The ports a webhook URL may use: either any port, or a non-empty set of ports in 1..65535.
   *
   * @param any every port 1..65535 is allowed ({@code *}); {@code ports} is then empty
   * @param ports the allowed ports; kept sorted, so messages list them in order
   */
  public record Ports(boolean any, Set<Integer> ports) {

    /** 80, 443, 8080 and 8443. */
    public static final Ports DEFAULT = of(80, 443, 8080, 8443);

    /** Any port, written {@code *}. */
    public static final Ports ANY = new Ports(true, new TreeSet<>());

    public Ports {
      ports = Collections.unmodifiableSortedSet(validated(any, ports));
    }

    public static Ports of(Integer... ports) {
      return new Ports(false, Set.of(ports));
    }

    public boolean allows(int port) {
      return any ? isValidPort(port) : ports.contains(port);
    }

    static boolean isValidPort(int port) {
      return port >= 1 && port <= 65535;
    }

    /** {@code 80, 443, 8080, 8443} or {@code any}, for messages. */
    @Override
    public String toString() {
      return any ? "any" : ports.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    private static SortedSet<Integer> validated(boolean any, Set<Integer> ports) {
      Objects.requireNonNull(ports, "ports");
      if (any && !ports.isEmpty()) {
        throw new IllegalArgumentException(
            "allowed ports: list ports " + ports + " or allow any port (*), not both");
      }
      if (!any && ports.isEmpty()) {
        throw new IllegalArgumentException(
            "allowed ports must not be empty; list at least one port or use * for any port");
      }
      SortedSet<Integer> sorted = new TreeSet<>();
      for (Integer port : ports) {
        if (port == null || !isValidPort(port)) {
          throw new IllegalArgumentException(
              "allowed port " + port + " is outside the valid range 1..65535");
        }
        sorted.add(port);
      }
      return sorted;
    }
  }
}
