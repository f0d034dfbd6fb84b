package dev.herald.webhooks.transport.redis;

import static dev.herald.webhooks.transport.redis.RedisFixtures.config;
import static dev.herald.webhooks.transport.redis.RedisFixtures.envelope;
import static dev.herald.webhooks.transport.redis.RedisFixtures.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.webhooks.spi.SendOutcome;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

class RedisOutageIT {

  private static SendOutcome send(RedisTransport transport, String id) {
    return transport.send(
        message(id, "memory.created", "acme", envelope(id, "memory.created", "acme", "{}")));
  }

  private static RedisTransport transport(String url, Map<String, String> values) {
    return (RedisTransport) new RedisTransportProvider().create(config(url, values));
  }

  @Test
  void redisDownIsRetryAndTheSameTransportRecoversAfterARestart() {
    try (PrivateRedis redis = PrivateRedis.started();
        RedisTransport transport =
            transport(redis.url(), Map.of("herald.transport.redis.timeout", "1s"))) {
      assertThat(send(transport, "evt_before")).isInstanceOf(SendOutcome.Succeeded.class);

      redis.stop();
      SendOutcome whileDown = send(transport, "evt_down");

      assertThat(whileDown).isInstanceOf(SendOutcome.Retry.class);
      assertThat(((SendOutcome.Retry) whileDown).error().type()).startsWith("redis_connection");

      redis.start();
      assertThat(send(transport, "evt_after")).isInstanceOf(SendOutcome.Succeeded.class);
    }
  }

  @Test
  void fullBulkheadIsRetryWithoutWaitingForRedis() throws Exception {
    try (PrivateRedis redis = PrivateRedis.started();
        RedisTransport transport =
            transport(
                redis.url(),
                Map.of(
                    "herald.transport.redis.bulkhead", "1",
                    "herald.transport.redis.bulkhead.max-wait", "50ms",
                    "herald.transport.redis.timeout", "10s"));
        Jedis admin = redis.jedis()) {
      // Pause all clients for 2 s, so the first publish holds the only slot until then.
      admin.clientPause(2000);
      CompletableFuture<SendOutcome> blocked =
          CompletableFuture.supplyAsync(() -> send(transport, "evt_slow"));
      await("the first publish holds the bulkhead slot")
          .atMost(Duration.ofSeconds(5))
          .until(() -> transport.availableBulkheadSlots() == 0);

      SendOutcome rejected = send(transport, "evt_rejected");

      // Busy here is no fault of Redis: a refusal, which spends no attempt.
      assertThat(rejected).isInstanceOf(SendOutcome.Refused.class);
      assertThat(rejected.error().type()).isEqualTo("redis_bulkhead_full");
      assertThat(((SendOutcome.Refused) rejected).retryAfter()).isPositive();
      assertThat(blocked.get()).isInstanceOf(SendOutcome.Succeeded.class);
      assertThat(transport.availableBulkheadSlots()).isEqualTo(1);
    }
  }

  @Test
  void circuitOpensAfterFiveFailuresAndThenDoesNotConnect() throws Exception {
    // A listener that accepts TCP connections but never answers: every publish times out, and
    // each connection attempt is visible as a pending accept.
    try (ServerSocketChannel silent = ServerSocketChannel.open()) {
      silent.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
      silent.configureBlocking(false);
      int port = ((InetSocketAddress) silent.getLocalAddress()).getPort();
      List<SocketChannel> accepted = new ArrayList<>();
      try (RedisTransport transport =
          transport(
              "redis://127.0.0.1:" + port,
              Map.of(
                  "herald.transport.redis.timeout", "200ms",
                  "herald.transport.redis.circuit.failure-threshold", "5"))) {
        for (int i = 0; i < 5; i++) {
          SendOutcome outcome = send(transport, "evt_" + i);
          assertThat(outcome).isInstanceOf(SendOutcome.Retry.class);
          assertThat(((SendOutcome.Retry) outcome).error().type()).isEqualTo("redis_timeout");
          int before = accepted.size();
          for (SocketChannel c = silent.accept(); c != null; c = silent.accept()) {
            accepted.add(c);
          }
          assertThat(accepted.size()).as("attempt %d connected", i).isGreaterThan(before);
        }

        SendOutcome shortCircuited = send(transport, "evt_6");

        assertThat(shortCircuited).isInstanceOf(SendOutcome.Refused.class);
        SendOutcome.Refused refused = (SendOutcome.Refused) shortCircuited;
        assertThat(refused.error().type()).isEqualTo("redis_circuit_open");
        // Until the probe, at most the default open duration away; the worker claims no Redis
        // delivery meanwhile.
        assertThat(refused.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(5));
        assertThat(transport.pausedFor()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(5));
        // A connect completes the TCP handshake before it returns, so an attempt would be
        // waiting in the backlog now.
        assertThat(silent.accept()).as("no connection while the circuit is open").isNull();
      } finally {
        for (SocketChannel c : accepted) {
          c.close();
        }
      }
    }
  }
}
