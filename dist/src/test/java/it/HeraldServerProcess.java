package it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * The packaged Herald server (server {@code herald} of {@code dist/target/liberty/wlp}) in a
 * process of its own, started as {@code bin/server} starts it: {@code herald-env.sh} sourced, then
 * {@code server run herald}. Its output directory ({@code WLP_OUTPUT_DIR}: logs, workarea, data) is
 * a fresh {@code target/outage-server-<port>}, so it shares nothing but the configuration with the
 * server that {@code bin/server} runs; it listens on a free loopback port.
 */
final class HeraldServerProcess implements AutoCloseable {
  private static final String SERVER = "herald";
  private static final Duration STOP_DEADLINE = Duration.ofSeconds(60);

  final int port;
  private final Path wlp;
  private final Path outputDir;
  private final Path console;
  private final Map<String, String> environment = new LinkedHashMap<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private Process process;

  /**
   * @param extraEnvironment the server's settings (DATABASE_URL, HERALD_ADMIN_API_KEY...); they
   *     override the defaults here: the port, loopback only, SSRF open to loopback receivers
   */
  HeraldServerProcess(Map<String, String> extraEnvironment) throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    wlp = libertyDir();
    Path serverDir = wlp.resolve("usr/servers").resolve(SERVER);
    for (Path needed :
        List.of(
            wlp.resolve("bin/server"),
            serverDir.resolve("server.xml"),
            serverDir.resolve("herald-env.sh"),
            serverDir.resolve("apps/herald.war"))) {
      if (!Files.exists(needed)) {
        throw new IllegalStateException(
            "the packaged server is incomplete, " + needed + " is missing (mvn -pl dist package)");
      }
    }
    // wlp is <dist>/target/liberty/wlp: the output directory goes next to liberty, in target.
    outputDir = wlp.getParent().getParent().resolve("outage-server-" + port);
    deleteRecursively(outputDir);
    Files.createDirectories(outputDir);
    console = outputDir.resolve("console.log");

    environment.put("HERALD_HTTP_PORT", Integer.toString(port));
    environment.put("HERALD_HTTP_HOST", "127.0.0.1");
    environment.put("HERALD_SSRF_ALLOWED_NETWORKS", "127.0.0.0/8");
    environment.put("HERALD_SSRF_ALLOWED_PORTS", "*");
    environment.putAll(extraEnvironment);
    environment.put("WLP_USER_DIR", wlp.resolve("usr").toString());
    environment.put("WLP_OUTPUT_DIR", outputDir.toString());
    // As bin/server computes it from WLP_OUTPUT_DIR; herald-env.sh keeps its generated key there.
    environment.put("HERALD_SERVER_OUTPUT_DIR", outputDir.resolve(SERVER).toString());
  }

  /** http://127.0.0.1:PORT, the server's root (the application's context root is /). */
  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** The REST API's base, as {@link ApiCalls#call} takes it. */
  String api() {
    return baseUrl() + "/api/v1";
  }

  /** WLP_OUTPUT_DIR/herald: the server's logs, workarea and data. */
  Path serverOutputDir() {
    return outputDir.resolve(SERVER);
  }

  /**
   * Starts the server and waits until {@code GET /health/ready} answers 200; on failure (deadline,
   * or the process ending) prints the console output and throws.
   */
  void start(Duration deadline) throws IOException {
    launch(true);
    awaitOrFail(deadline, this::ready, "become ready");
  }

  /**
   * Starts the server, with {@code herald-env.sh} sourced as {@code bin/server} does or as
   * Liberty's own {@code server run herald} without it, and waits until Herald's readiness check
   * answers, ready or not.
   */
  void startUnready(Duration deadline, boolean withHeraldEnv) throws IOException {
    launch(withHeraldEnv);
    awaitOrFail(deadline, () -> readiness().body().contains("herald-store"), "answer readiness");
  }

  private void launch(boolean withHeraldEnv) throws IOException {
    String script =
        "set -euo pipefail\n"
            + (withHeraldEnv ? ". \"$1/usr/servers/" + SERVER + "/herald-env.sh\" || exit 2\n" : "")
            + "exec \"$1/bin/server\" run "
            + SERVER
            + "\n";
    ProcessBuilder builder =
        new ProcessBuilder("bash", "-c", script, "bash", wlp.toString())
            .directory(outputDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(console.toFile());
    configure(builder.environment());
    process = builder.start();
    process.getOutputStream().close();
  }

  private void awaitOrFail(Duration deadline, Callable<Boolean> condition, String what) {
    try {
      await()
          .atMost(deadline)
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .failFast("the server process ended", () -> !process.isAlive())
          .until(condition);
    } catch (ConditionTimeoutException | TerminalFailureException e) {
      String output = consoleOutput();
      System.err.println("Herald server console (" + console + "):\n" + output);
      throw new AssertionError(
          "the Herald server on port "
              + port
              + " did not "
              + what
              + ": "
              + e.getMessage()
              + "\nconsole ("
              + console
              + "):\n"
              + output,
          e);
    }
  }

  /** {@code GET /health/ready} now. */
  HttpResponse<String> readiness() throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(baseUrl() + "/health/ready"))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Whether {@code GET /health/ready} answers 200 now. */
  boolean ready() throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl() + "/health/ready"))
            .timeout(Duration.ofSeconds(5))
            .GET()
            .build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
  }

  /** The lines of WLP_OUTPUT_DIR/herald/logs/messages.log so far (none before it exists). */
  List<String> logLines() {
    Path log = serverOutputDir().resolve("logs/messages.log");
    try {
      if (!Files.exists(log)) {
        return List.of();
      }
      return new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What the server wrote to its console (stdout and stderr) so far. */
  String consoleOutput() {
    try {
      return Files.exists(console)
          ? new String(Files.readAllBytes(console), StandardCharsets.UTF_8)
          : "(no console output)";
    } catch (IOException e) {
      return "(console output unreadable: " + e + ")";
    }
  }

  /**
   * {@code server stop herald} with the same output directory; if the server has not ended by the
   * deadline, its process tree is destroyed. The output directory stays, for its logs.
   */
  @Override
  public void close() throws IOException {
    if (process == null) {
      return;
    }
    try {
      stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      // The script waits for the server's JVM, its child: whatever is left of the tree goes.
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process = null;
    }
  }

  private void stop() throws IOException, InterruptedException {
    if (process.isAlive()) {
      ProcessBuilder stop =
          new ProcessBuilder(wlp.resolve("bin/server").toString(), "stop", SERVER)
              .directory(outputDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(
                  ProcessBuilder.Redirect.appendTo(outputDir.resolve("stop.log").toFile()));
      configure(stop.environment());
      Process stopping = stop.start();
      if (!stopping.waitFor(STOP_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
        stopping.destroyForcibly();
      }
    }
    if (!process.waitFor(STOP_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
      System.err.println("Herald server on port " + port + " did not stop: destroying it");
    }
  }

  /** The inherited environment, less what would change the server, plus this server's. */
  private void configure(Map<String, String> env) {
    env.keySet()
        .removeIf(
            name ->
                name.startsWith("HERALD_")
                    || name.startsWith("WLP_")
                    || name.equals("DATABASE_URL")
                    || name.equals("REDIS_URL")
                    || name.equals("LOG_DIR")
                    || name.equals("LOG_FILE")
                    || name.equals("JVM_ARGS"));
    env.putAll(environment);
  }

  /**
   * The Liberty installation: three levels above the test server's directory ({@code
   * herald.test.server.dir} = .../wlp/usr/servers/herald-it-PORT), else target/liberty/wlp.
   */
  private static Path libertyDir() {
    String testServer = System.getProperty("herald.test.server.dir");
    Path wlp =
        testServer != null
            ? Path.of(testServer).toAbsolutePath().normalize().getParent().getParent().getParent()
            : Path.of("target/liberty/wlp");
    return wlp.toAbsolutePath().normalize();
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    }
  }
}
