package dev.herald.webhooks.worker;

import dev.herald.webhooks.core.registry.TransportRegistry;
import dev.herald.webhooks.spi.Transport;
import dev.herald.webhooks.spi.TransportConfig;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The transports of this process, created once each from their providers on first use. A transport
 * that is never used (Redis in {@code webhook-only}) is never created. Thread-safe.
 */
public final class Transports implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Transports.class.getName());

  private final TransportRegistry registry;
  private final TransportConfig config;
  private final Map<String, UnaryOperator<Transport>> decorators;
  private final Map<String, Transport> created = new ConcurrentHashMap<>();

  public Transports(TransportRegistry registry, TransportConfig config) {
    this(registry, config, Map.of());
  }

  /**
   * @param decorators wrap the transport of a name when it is created, e.g. to trace HTTP sends
   *     inside the server
   */
  public Transports(
      TransportRegistry registry,
      TransportConfig config,
      Map<String, UnaryOperator<Transport>> decorators) {
    this.registry = registry;
    this.config = config;
    this.decorators = Map.copyOf(decorators);
  }

  /**
   * The transport named {@code name}.
   *
   * @throws IllegalStateException when no provider has that name, or its configuration is invalid
   */
  public Transport get(String name) {
    return created.computeIfAbsent(
        name,
        n -> {
          Transport transport =
              decorators
                  .getOrDefault(n, UnaryOperator.identity())
                  .apply(registry.require("transport", n).create(config));
          LOG.log(Level.INFO, "transport {0} ready", n);
          return transport;
        });
  }

  /** The transports endpoints may choose, by name. */
  public List<String> endpointTransports() {
    return registry.endpointTransports();
  }

  /**
   * Checks an endpoint's transport and destination with the provider.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public void checkEndpointDestination(String name, String destination) {
    registry.checkEndpointDestination(name, destination, config);
  }

  /** The transports created so far that refuse every send now ({@link Transport#pausedFor()}). */
  public Set<String> paused() {
    Set<String> paused = new HashSet<>();
    created.forEach(
        (name, transport) -> {
          if (transport.pausedFor().compareTo(Duration.ZERO) > 0) {
            paused.add(name);
          }
        });
    return paused;
  }

  @Override
  public void close() {
    created.values().forEach(Transport::close);
    created.clear();
  }
}
