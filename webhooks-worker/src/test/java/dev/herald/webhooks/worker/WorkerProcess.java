package dev.herald.webhooks.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** A standalone worker started as `java -jar target/webhooks-worker.jar`, as operators run it. */
final class WorkerProcess implements AutoCloseable {
  static final Path JAR = Path.of("target", "webhooks-worker.jar");

  final Process process;
  final Path log;

  private WorkerProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static WorkerProcess start(String name, Map<String, String> env, String... args)
      throws IOException {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(
          JAR.toAbsolutePath() + " is missing: run `mvn verify`, which packages it first");
    }
    Path log = Files.createDirectories(Path.of("target", "worker-logs")).resolve(name + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-jar");
    command.add(JAR.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    return new WorkerProcess(builder.start(), log);
  }

  /** The environment of a worker on the fixture's database, allowed to reach loopback receivers. */
  static Map<String, String> environment(WorkerFixture fixture, Map<String, String> extra) {
    Map<String, String> env = new java.util.HashMap<>();
    env.put("DATABASE_URL", fixture.database.jdbcUrl());
    env.put("HERALD_SECRETS_KEY", Base64.getEncoder().encodeToString(fixture.secretsKey));
    env.put("HERALD_SSRF_ALLOWED_NETWORKS", "127.0.0.0/8");
    env.put("HERALD_SSRF_ALLOWED_PORTS", "*");
    env.put("HERALD_POLL_INTERVAL", "200ms");
    // Several workers run at once here: none serves health and metrics unless a test asks.
    env.put("HERALD_WORKER_HTTP_PORT", "0");
    env.putAll(extra);
    return env;
  }

  String output() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
