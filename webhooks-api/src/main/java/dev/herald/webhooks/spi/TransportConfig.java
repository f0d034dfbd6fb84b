package dev.herald.webhooks.spi;

import java.util.Optional;
import java.util.function.Function;

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

  /** The value of a key without surrounding blanks; a blank value counts as not set. */
  default Optional<String> value(String key) {
    return get(key).map(String::strip).filter(v -> !v.isEmpty());
  }

  /**
   * The value of a key, parsed. Do not use it for keys whose values may hold secrets: the message
   * repeats the value.
   *
   * @param allowed what the key accepts, for the error message
   * @throws IllegalArgumentException naming the key, the value and what is allowed, when {@code
   *     parser} throws it
   */
  default <T> Optional<T> value(String key, String allowed, Function<String, T> parser) {
    Optional<String> raw = value(key);
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(parser.apply(raw.get()));
    } catch (IllegalArgumentException e) {
      String reason = e.getMessage() == null ? "" : " (" + e.getMessage() + ")";
      throw new IllegalArgumentException(
          key + " '" + raw.get() + "' is invalid" + reason + "; allowed: " + allowed, e);
    }
  }
}
