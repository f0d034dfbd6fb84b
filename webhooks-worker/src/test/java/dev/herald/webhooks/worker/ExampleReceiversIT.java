package dev.herald.webhooks.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.webhooks.api.SignatureProfile;
import dev.herald.webhooks.core.circuit.CircuitBreakerPolicy;
import dev.herald.webhooks.core.retry.RetrySchedule;
import dev.herald.webhooks.core.signing.WebhookSecrets;
import dev.herald.webhooks.core.signing.WebhookSigner;
import dev.herald.webhooks.spi.EndpointFormat;
import dev.herald.webhooks.spi.NewEndpoint;
import dev.herald.webhooks.spi.Ordering;
import dev.herald.webhooks.spi.SigningSecret;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every example receiver of {@code examples/receivers} against real deliveries of a Herald worker
 * on PostgreSQL: genuine deliveries are accepted and processed, a tampered body and a stale
 * timestamp are refused, a repeated {@code webhook-id} is acknowledged but not processed again.
 * Each receiver's output is printed into the test report.
 */
class ExampleReceiversIT extends WorkerWithReceiverTest {
  private static final Path EXAMPLES = Path.of("..", "examples", "receivers").toAbsolutePath();
  private static final Path WORK = Path.of("target", "example-receivers").toAbsolutePath();
  private static final Path VERIFIER_JAR =
      Path.of("..", "webhooks-verifier", "target", "webhooks-verifier.jar").toAbsolutePath();

  // HTTP/1.1 as Herald sends, without the h2c upgrade the JDK client would offer by default.
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"python", "node", "go", "ruby", "php", "java"})
  void acceptsGenuineDeliveriesAndRefusesTamperedAndStaleOnes(String language) throws Exception {
    Files.createDirectories(WORK);
    String secret = WebhookSecrets.generate();
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path log = WORK.resolve(language + ".log");
    Files.deleteIfExists(log);
    Process receiverProcess = start(language, port, secret, log);
    try {
      await(language + " receiver listens on " + port)
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(100))
          .failFast("the receiver exited", () -> !receiverProcess.isAlive())
          .until(() -> accepts(port));

      String url = "http://127.0.0.1:" + port + "/webhooks/herald";
      fixture.store.create(NewEndpoint.http(WorkerFixture.TENANT, url, List.of("*"), secret));
      fixture.startWorker(
          WorkerFixture.options(RetrySchedule.defaults(), CircuitBreakerPolicy.defaults()));
      List<String> events = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        events.add(fixture.publishMemoryCreated(language + "-" + i).eventId());
      }
      await("the receiver accepts Herald's deliveries")
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                String output = Files.readString(log);
                for (String id : events) {
                  assertThat(output).contains("accepted " + id + " memory.created");
                }
              });
      for (String id : events) {
        assertThat(fixture.onlyDelivery(id).status().wireName()).isEqualTo("succeeded");
      }

      byte[] body =
          ("{\"id\":\"evt_direct\",\"type\":\"memory.created\",\"data\":{\"memory_id\":\"m\"}}")
              .getBytes(StandardCharsets.UTF_8);
      byte[] tampered =
          new String(body, StandardCharsets.UTF_8)
              .replace("\"m\"", "\"x\"")
              .getBytes(StandardCharsets.UTF_8);
      assertThat(post(url, signed(secret, "evt_tampered", body, Instant.now()), tampered))
          .as("tampered body")
          .isEqualTo(401);
      assertThat(
              post(url, signed(secret, "evt_stale", body, Instant.now().minusSeconds(3600)), body))
          .as("stale timestamp")
          .isEqualTo(400);
      assertThat(post(url, Map.of(), body)).as("no signature headers").isEqualTo(400);
      assertThat(post(url, signed(secret, events.get(0), body, Instant.now()), body))
          .as("a repeated webhook-id is acknowledged")
          .isBetween(200, 299);
      await("the receiver reports the refusals and the duplicate")
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(Files.readString(log).lines().filter(l -> l.startsWith("rejected")))
                      .hasSize(3));
      String output = Files.readString(log);
      assertThat(output).contains("duplicate " + events.get(0));
      assertThat(output.lines().filter(l -> l.startsWith("accepted "))).hasSize(3);
    } finally {
      stop(receiverProcess);
      System.out.println("---- " + language + " receiver output ----");
      System.out.println(Files.exists(log) ? Files.readString(log) : "(none)");
    }
  }

  /** The seed receivers' profile: hex HMAC of "{timestamp}.{body}" in X-{Prefix}-* headers. */
  @org.junit.jupiter.api.Test
  void thePythonReceiverVerifiesTheLegacyHexProfile() throws Exception {
    Files.createDirectories(WORK);
    String secret = "legacy-shared-secret-of-the-seed-systems";
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path log = WORK.resolve("python-legacy-hex.log");
    Files.deleteIfExists(log);
    ProcessBuilder builder =
        new ProcessBuilder("python3", "receiver.py")
            .directory(EXAMPLES.resolve("python").toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("WEBHOOK_SECRET", secret);
    builder.environment().put("PORT", Integer.toString(port));
    builder.environment().put("SIGNATURE_PROFILE", "legacy-hex");
    builder.environment().put("HEADER_PREFIX", "Continuum");
    Process receiverProcess = builder.start();
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> accepts(port));
      String url = "http://127.0.0.1:" + port + "/webhooks/herald";
      fixture.store.create(
          new NewEndpoint(
              WorkerFixture.TENANT,
              url,
              "http",
              List.of("*"),
              SignatureProfile.LEGACY_HEX,
              "Continuum",
              secret,
              null,
              Map.of(),
              null,
              10,
              null,
              null,
              Ordering.NONE,
              null,
              EndpointFormat.HERALD,
              false));
      fixture.startWorker(
          WorkerFixture.options(RetrySchedule.defaults(), CircuitBreakerPolicy.defaults()));
      String event = fixture.publishMemoryCreated("legacy").eventId();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> fixture.onlyDelivery(event).status().wireName().equals("succeeded"));
      String delivery = fixture.onlyDelivery(event).id();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> Files.readString(log).contains("accepted " + delivery));

      byte[] body = "{\"type\": \"memory.created\"}".getBytes(StandardCharsets.UTF_8);
      Map<String, String> headers =
          new WebhookSigner(
                  SignatureProfile.LEGACY_HEX,
                  "Continuum",
                  List.of(new SigningSecret(secret, null)))
              .sign("dlv_direct", "memory.created", body, Instant.now());
      assertThat(
              post(url, headers, "{\"type\": \"user.deleted\"}".getBytes(StandardCharsets.UTF_8)))
          .as("tampered")
          .isEqualTo(401);
      assertThat(post(url, headers, body)).as("genuine").isEqualTo(204);
    } finally {
      stop(receiverProcess);
      System.out.println("---- python receiver, legacy-hex profile ----");
      System.out.println(Files.readString(log));
    }
  }

  private Process start(String language, int port, String secret, Path log) throws Exception {
    Path dir = EXAMPLES.resolve(language);
    List<String> command =
        switch (language) {
          case "python" -> List.of("python3", "receiver.py");
          case "node" -> List.of("node", "receiver.js");
          case "go" -> {
            Path binary = WORK.resolve("go-receiver");
            run(dir, goEnvironment(), "go", "build", "-o", binary.toString(), "receiver.go");
            yield List.of(binary.toString());
          }
          case "ruby" -> List.of("ruby", "receiver.rb");
          case "php" -> List.of("php", "-S", "127.0.0.1:" + port, "receiver.php");
          case "java" ->
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  VERIFIER_JAR.toString(),
                  "Receiver.java");
          default -> throw new IllegalArgumentException(language);
        };
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("WEBHOOK_SECRET", secret);
    builder.environment().put("PORT", Integer.toString(port));
    builder.environment().put("SEEN_DIR", WORK.resolve("php-seen-" + port).toString());
    return builder.start();
  }

  private static Map<String, String> goEnvironment() {
    return Map.of(
        "GOCACHE", WORK.resolve("go-cache").toString(),
        "GOPATH", WORK.resolve("go-path").toString(),
        "GO111MODULE", "off");
  }

  private static void run(Path dir, Map<String, String> env, String... command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().putAll(env);
    Process p = builder.redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static Map<String, String> signed(String secret, String id, byte[] body, Instant at) {
    return new WebhookSigner(
            SignatureProfile.STANDARD, null, List.of(new SigningSecret(secret, null)))
        .sign(id, "memory.created", body, at);
  }

  private int post(String url, Map<String, String> headers, byte[] body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static void stop(Process process) throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
