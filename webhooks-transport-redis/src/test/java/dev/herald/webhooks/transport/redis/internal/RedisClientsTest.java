package dev.herald.webhooks.transport.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.webhooks.transport.redis.RedisTransportSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.JedisClientConfig;

class RedisClientsTest {

  private static RedisTransportSettings settings(String url) {
    Map<String, String> values =
        Map.of(
            "redis.url", url,
            "herald.transport.redis.pool.max-total", "7",
            "herald.transport.redis.pool.max-wait", "300ms",
            "herald.transport.redis.timeout", "1500ms");
    return RedisTransportSettings.from(key -> Optional.ofNullable(values.get(key)));
  }

  @Test
  void clientConfigCarriesCredentialsDatabaseTlsAndTimeouts() {
    JedisClientConfig config =
        RedisClients.clientConfig(settings("rediss://app:p%40ss@localhost:6380/5"));

    assertThat(config.getUser()).isEqualTo("app");
    assertThat(config.getPassword()).isEqualTo("p@ss");
    assertThat(config.getDatabase()).isEqualTo(5);
    assertThat(config.isSsl()).isTrue();
    assertThat(config.getConnectionTimeoutMillis()).isEqualTo(1500);
    assertThat(config.getSocketTimeoutMillis()).isEqualTo(1500);
  }

  @Test
  void poolIsBoundedAndNeverWaitsForever() {
    ConnectionPoolConfig pool =
        RedisClients.poolConfig(settings("redis-cluster://n1:7000,n2:7001"));

    assertThat(pool.getMaxTotal()).isEqualTo(7);
    assertThat(pool.getBlockWhenExhausted()).isTrue();
    assertThat(pool.getMaxWaitDuration()).isEqualTo(Duration.ofMillis(300));
  }
}
