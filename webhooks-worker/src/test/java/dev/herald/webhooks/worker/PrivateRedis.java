package dev.herald.webhooks.worker;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import redis.clients.jedis.RedisClient;

/**
 * A redis-server of this test's own on a loopback port, so that a test can stop and restart it
 * without touching the shared server. A missing redis-server fails the test.
 */
final class PrivateRedis implements AutoCloseable {
  final int port;
  private final Path dir;
  private Process process;

  PrivateRedis() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    dir = Files.createTempDirectory("herald-redis");
  }

  String url() {
    return "redis://127.0.0.1:" + port;
  }

  void start() throws IOException {
    process =
        new ProcessBuilder(
                "redis-server",
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("redis.log").toFile())
            .start();
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(this::answersPing);
  }

  /** SHUTDOWN NOSAVE: the server stops at once and forgets everything. */
  void shutdown() throws InterruptedException {
    try (RedisClient client = RedisClient.create("127.0.0.1", port)) {
      client.sendCommand(redis.clients.jedis.Protocol.Command.SHUTDOWN, "NOSAVE");
    } catch (RuntimeException expected) {
      // The server closes the connection as it goes.
    }
    process.waitFor();
  }

  private boolean answersPing() {
    try (RedisClient client = RedisClient.create("127.0.0.1", port)) {
      return "PONG".equals(client.ping());
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      process.waitFor();
    }
  }
}
