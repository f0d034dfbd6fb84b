package dev.herald.webhooks.transport.redis;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;

/**
 * A redis-server of the test's own on a free loopback port, which the test may stop and restart.
 * Fails (never skips) when {@code /usr/bin/redis-server} cannot be started.
 */
final class PrivateRedis implements AutoCloseable {

  static final String SERVER = "/usr/bin/redis-server";

  private final int port;
  private final List<String> extraArgs;
  private Process process;

  PrivateRedis(int port, String... extraArgs) {
    this.port = port;
    this.extraArgs = List.of(extraArgs);
  }

  static PrivateRedis started(String... extraArgs) {
    PrivateRedis redis = new PrivateRedis(RedisFixtures.freePort(), extraArgs);
    redis.start();
    return redis;
  }

  int port() {
    return port;
  }

  String url() {
    return "redis://127.0.0.1:" + port;
  }

  Jedis jedis() {
    return new Jedis("127.0.0.1", port);
  }

  void start() {
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            SERVER,
            "--port",
            Integer.toString(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no"));
    command.addAll(extraArgs);
    try {
      File log = new File("target/private-redis-" + port + ".log");
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
              .start();
    } catch (IOException e) {
      throw new AssertionError("cannot start " + SERVER + "; install redis-server", e);
    }
    await("redis-server on port " + port + " answers PING")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(20))
        .ignoreExceptions()
        .until(
            () -> {
              try (Jedis jedis = jedis()) {
                return "PONG".equals(jedis.ping());
              }
            });
  }

  /** {@code SHUTDOWN NOSAVE}, then waits for the process to end. */
  void stop() {
    if (process == null || !process.isAlive()) {
      return;
    }
    try (Jedis jedis = jedis()) {
      jedis.shutdown(redis.clients.jedis.params.ShutdownParams.shutdownParams().nosave());
    } catch (RuntimeException expectedWhenTheServerCloses) {
      // SHUTDOWN closes the connection instead of replying.
    }
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  @Override
  public void close() {
    stop();
  }
}
