package dev.herald.webhooks.spi;

import java.util.Optional;

/**
 * Configuration handed to a {@link TransportProvider}: the values of the keys under {@code
 * herald.transport.<name>.} (MicroProfile Config in the server, environment in the worker), and the
 * global keys such as {@code herald.webhook.timeout}. Thread-safe.
 */
@FunctionalInterface
public interface TransportConfig {

  /** The raw value of a key, e.g. {@code herald.transport.redis.channel-template}. */
  Optional<String> get(String key);

  /** The value of a key, or {@code defaultValue} when it is not set. */
  default String get(String key, String defaultValue) {
    return get(key).orElse(defaultValue);
  }
}
