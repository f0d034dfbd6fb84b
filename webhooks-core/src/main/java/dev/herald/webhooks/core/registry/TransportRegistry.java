package dev.herald.webhooks.core.registry;

import dev.herald.webhooks.spi.TransportProvider;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The transport providers of this process, by name. Loaded once; immutable and thread-safe. */
public final class TransportRegistry {
  private final Map<String, TransportProvider> byName;

  /**
   * @throws IllegalStateException when two providers use the same name
   */
  public TransportRegistry(Collection<? extends TransportProvider> providers) {
    Map<String, TransportProvider> map = new LinkedHashMap<>();
    for (TransportProvider provider : providers) {
      TransportProvider previous = map.putIfAbsent(provider.name(), provider);
      if (previous != null) {
        throw new IllegalStateException(
            "two transport providers are named '"
                + provider.name()
                + "': "
                + previous.getClass().getName()
                + " and "
                + provider.getClass().getName()
                + ". Remove one of their jars from the class path.");
      }
    }
    this.byName = Map.copyOf(map);
  }

  /** Loads every {@link TransportProvider} visible to {@code classLoader}. */
  public static TransportRegistry load(ClassLoader classLoader) {
    return new TransportRegistry(Providers.load(TransportProvider.class, classLoader));
  }

  public Set<String> names() {
    return byName.keySet();
  }

  /** The names endpoints may choose ({@link TransportProvider#deliversToEndpoints()}). */
  public List<String> endpointTransports() {
    return byName.values().stream()
        .filter(TransportProvider::deliversToEndpoints)
        .map(TransportProvider::name)
        .sorted()
        .toList();
  }

  /**
   * Checks an endpoint's transport and destination.
   *
   * @throws IllegalArgumentException naming what is wrong: an unknown transport (with those that
   *     are installed) or the provider's objection to the destination
   */
  public void checkEndpointDestination(
      String name, String destination, dev.herald.webhooks.spi.TransportConfig config) {
    TransportProvider provider = byName.get(name);
    if (provider == null || !provider.deliversToEndpoints()) {
      throw new IllegalArgumentException(
          "no transport named '"
              + name
              + "' delivers to endpoints here; installed: "
              + String.join(", ", endpointTransports()));
    }
    provider.checkDestination(destination, config);
  }

  /**
   * The provider named {@code name}.
   *
   * @param configKey the configuration key or field that asked for it, for the error message
   * @throws IllegalStateException naming the key, the value and the jar to add
   */
  public TransportProvider require(String configKey, String name) {
    TransportProvider provider = byName.get(name);
    if (provider == null) {
      throw new IllegalStateException(
          configKey
              + " is set to \""
              + name
              + "\" but no transport provider of that name is on the class path (found: "
              + List.copyOf(byName.keySet())
              + "). Make sure to add its jar, e.g. webhooks-transport-"
              + name
              + ", to the server's or worker's class path.");
    }
    return provider;
  }
}
