package dev.herald.webhooks.worker;

import java.net.URI;
import redis.clients.jedis.RedisClient;

/** The shared test Redis of {@code HERALD_TEST_REDIS_URL} (default: the local server). */
final class TestRedis {
  private TestRedis() {}

  static String url() {
    return System.getenv().getOrDefault("HERALD_TEST_REDIS_URL", "redis://127.0.0.1:6379");
  }

  static RedisClient client() {
    return RedisClient.create(URI.create(url()));
  }
}
