package dev.herald.webhooks.transport.redis;

import dev.herald.webhooks.spi.Transport;
import dev.herald.webhooks.spi.TransportConfig;
import dev.herald.webhooks.spi.TransportProvider;

/**
 * The {@code redis} transport provider, found through {@code
 * META-INF/services/dev.herald.webhooks.spi.TransportProvider}. Stateless and thread-safe; each
 * {@link #create} builds one {@link RedisTransport} with its own Jedis client and pool, connected
 * lazily on the first send.
 */
public final class RedisTransportProvider implements TransportProvider {

  /** The name configuration uses to select this transport. */
  public static final String NAME = "redis";

  public RedisTransportProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  /**
   * @throws IllegalArgumentException when {@code REDIS_URL (redis.url)} is missing, or naming the
   *     key and what it allows when a value is invalid
   * @see RedisTransportSettings#from(TransportConfig)
   */
  @Override
  public Transport create(TransportConfig config) {
    return new RedisTransport(RedisTransportSettings.from(config));
  }
}
