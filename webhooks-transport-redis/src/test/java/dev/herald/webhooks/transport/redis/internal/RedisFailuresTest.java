package dev.herald.webhooks.transport.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisClusterException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

class RedisFailuresTest {

  @Test
  void wrongTypeIsAConfigurationErrorThatRetryingCannotFix() {
    RedisFailures.Failure f =
        RedisFailures.classify(
            new JedisDataException(
                "WRONGTYPE Operation against a key holding the wrong kind of value"));

    assertThat(f.type()).isEqualTo("redis_wrongtype");
    assertThat(f.retryable()).isFalse();
    assertThat(f.unhealthy()).isFalse();
  }

  @Test
  void readOnlyLoadingAndClusterDownAreRetried() {
    assertThat(RedisFailures.classify(new JedisDataException("READONLY You can't write")))
        .isEqualTo(
            new RedisFailures.Failure(
                "redis_readonly", "JedisDataException: READONLY You can't write", true, true));
    assertThat(RedisFailures.classify(new JedisDataException("LOADING Redis is loading")).type())
        .isEqualTo("redis_loading");
    assertThat(RedisFailures.classify(new JedisClusterException("CLUSTERDOWN The cluster is down")))
        .satisfies(f -> assertThat(f.type()).isEqualTo("redis_clusterdown"))
        .satisfies(f -> assertThat(f.retryable()).isTrue());
  }

  @Test
  void connectionFailuresAreRetriedByCause() {
    assertThat(
            RedisFailures.classify(
                    new JedisConnectionException(new SocketTimeoutException("Read timed out")))
                .type())
        .isEqualTo("redis_timeout");
    assertThat(
            RedisFailures.classify(
                    new JedisConnectionException(
                        "Failed to connect", new ConnectException("Connection refused")))
                .type())
        .isEqualTo("redis_connection_refused");
    assertThat(
            RedisFailures.classify(
                    new JedisException(
                        "Could not get a resource from the pool",
                        new NoSuchElementException("Timeout waiting for idle object")))
                .type())
        .isEqualTo("redis_pool_exhausted");
    assertThat(RedisFailures.classify(new JedisConnectionException("Unexpected end of stream.")))
        .satisfies(f -> assertThat(f.type()).isEqualTo("redis_connection"))
        .satisfies(f -> assertThat(f.retryable()).isTrue());
  }

  @Test
  void anythingElseIsRetried() {
    assertThat(RedisFailures.classify(new IllegalStateException("boom")))
        .satisfies(f -> assertThat(f.type()).isEqualTo("redis_error"))
        .satisfies(f -> assertThat(f.retryable()).isTrue());
  }
}
