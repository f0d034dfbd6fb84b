package dev.herald.webhooks.transport.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.webhooks.spi.OutboundMessage;
import dev.herald.webhooks.spi.TransportConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;

/** Shared pieces of the Redis integration tests. */
final class RedisFixtures {

  private RedisFixtures() {}

  /** The shared test server; never flushed or shut down by the tests. */
  static String sharedUrl() {
    String url = System.getenv("HERALD_TEST_REDIS_URL");
    return url == null || url.isBlank() ? "redis://127.0.0.1:6379" : url;
  }

  /** A plain Jedis connection to the shared server; fails the test when it is not reachable. */
  static Jedis sharedJedis() {
    Jedis jedis = new Jedis(java.net.URI.create(sharedUrl()));
    assertThat(jedis.ping()).as("shared Redis at HERALD_TEST_REDIS_URL").isEqualTo("PONG");
    return jedis;
  }

  /** A name no other test run uses. */
  static String unique(String prefix) {
    return prefix + ":" + UUID.randomUUID();
  }

  static TransportConfig config(String url, Map<String, String> values) {
    Map<String, String> all = new HashMap<>(values);
    all.put("redis.url", url);
    return key -> Optional.ofNullable(all.get(key));
  }

  static String envelope(String eventId, String type, String tenant, String dataJson) {
    return "{\"id\":\""
        + eventId
        + "\",\"type\":\""
        + type
        + "\",\"timestamp\":\"2026-11-23T21:15:03.123Z\",\"tenant_id\":\""
        + tenant
        + "\",\"idempotency_key\":\"k-"
        + eventId
        + "\",\"schema_version\":1,\"subject\":\"memory/123\",\"sequence\":42,\"data\":"
        + dataJson
        + ",\"metadata\":{}}";
  }

  static OutboundMessage message(String eventId, String type, String tenant, String body) {
    return new OutboundMessage(
        "dlv_" + eventId,
        eventId,
        type,
        tenant,
        null,
        1,
        body.getBytes(StandardCharsets.UTF_8),
        Map.of());
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What Python 3's {@code json.dumps(json.loads(json))} prints, as UTF-8 bytes. */
  static byte[] pythonJsonDumps(String json) throws IOException, InterruptedException {
    Process python =
        new ProcessBuilder(
                "python3",
                "-c",
                "import json,sys; print(json.dumps(json.loads(sys.stdin.read())), end=\"\")")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try (var in = python.getOutputStream()) {
      in.write(json.getBytes(StandardCharsets.UTF_8));
    }
    byte[] out = python.getInputStream().readAllBytes();
    assertThat(python.waitFor(30, TimeUnit.SECONDS)).as("python3 finished").isTrue();
    assertThat(python.exitValue()).as("python3 exit code").isZero();
    return out;
  }
}
