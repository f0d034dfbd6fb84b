package dev.herald.webhooks.core.registry;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ServiceLoader;

/** Loads service providers with an explicit class loader, which matters inside a WAR. */
final class Providers {
  private static final System.Logger LOG = System.getLogger(Providers.class.getName());

  private Providers() {}

  static <T> List<T> load(Class<T> service, ClassLoader classLoader) {
    List<T> found = new ArrayList<>();
    ServiceLoader.load(service, classLoader).forEach(found::add);
    LOG.log(
        Level.INFO,
        "{0} providers found: {1}",
        service.getSimpleName(),
        found.stream().map(p -> p.getClass().getName()).toList());
    return Collections.unmodifiableList(found);
  }
}
