package it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import it.ApiCalls.Reply;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The packaged server started as operators start it, in the modes of DESIGN 16 "Settings": an
 * API-only server, and the configurations it refuses (production without a secrets key, a
 * DATABASE_URL that never reached the data source). Each runs a server process of its own.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ServerModesIT {
  private static final String OPERATOR = "modes-operator-" + UUID.randomUUID();
  private static final Duration SERVER_START = Duration.ofMinutes(3);

  /** A Liberty log line at level E (error) or F (fatal): "[time] thread logger E message". */
  private static final Pattern ERROR_LINE = Pattern.compile("^\\[[^]]+] \\S+ \\S+\\s+[EF] .*");

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void anApiOnlyServerStartsCleanAcceptsEventsAndNeverSends() throws Exception {
    AtomicInteger received = new AtomicInteger();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/",
        exchange -> {
          received.incrementAndGet();
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    receiver.start();
    try (HeraldServerProcess server =
        new HeraldServerProcess(
            Map.of(
                "HERALD_ADMIN_API_KEY", OPERATOR,
                "HERALD_WORKER_ENABLED", "false",
                "HERALD_POLL_INTERVAL", "200ms"))) {
      server.start(SERVER_START);

      List<String> errors =
          server.logLines().stream().filter(ERROR_LINE.asMatchPredicate()).toList();
      assertThat(errors).as("error lines of a healthy first start").isEmpty();
      HttpResponse<String> live = get(server.baseUrl() + "/health/live");
      assertThat(live.statusCode()).isEqualTo(200);
      assertThat(live.body()).contains("HERALD_WORKER_ENABLED=false");

      String key = newTenant(server.api());
      Reply webhook =
          ApiCalls.call(
              server.api(),
              "POST",
              "/webhooks",
              key,
              "{\"url\":\"http://127.0.0.1:"
                  + receiver.getAddress().getPort()
                  + "/hook\",\"event_types\":[\"*\"]}");
      assertThat(webhook.status()).as(webhook.raw().body()).isEqualTo(201);
      Reply published =
          ApiCalls.call(
              server.api(),
              "POST",
              "/events",
              key,
              "{\"type\":\"memory.created\",\"data\":{\"memory_id\":\"m1\",\"user_id\":\"u1\"}}");
      assertThat(published.status()).as(published.raw().body()).isEqualTo(202);

      // Many poll intervals long: a worker would have sent it by now.
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(5))
          .until(() -> received.get() == 0);
      Reply event =
          ApiCalls.call(server.api(), "GET", "/events/" + published.json().get("id"), key, null);
      assertThat(event.raw().body()).contains("\"status\":\"pending\"").contains("\"attempts\":0");
    } finally {
      receiver.stop(0);
    }
  }

  @Test
  void messagesLogRollsOverAtTheConfiguredSizeAndKeepsTheConfiguredNumberOfFiles()
      throws Exception {
    try (HeraldServerProcess server =
        new HeraldServerProcess(
            Map.of(
                "HERALD_ADMIN_API_KEY", OPERATOR,
                "HERALD_LOG_MAX_FILES", "3",
                "HERALD_LOG_MAX_FILE_SIZE", "1",
                // Every request's span becomes a line of messages.log: an easy way to fill it.
                "OTEL_SDK_DISABLED", "false",
                "OTEL_TRACES_EXPORTER", "logging",
                "OTEL_METRICS_EXPORTER", "none",
                "OTEL_LOGS_EXPORTER", "none"))) {
      server.start(SERVER_START);
      Path logs = server.serverOutputDir().resolve("logs");
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(server.api() + "/event-types")).build();
      Set<String> rolled = new HashSet<>();
      int requests = 0;
      while (rolled.size() < 5 && requests < 40_000) {
        for (int i = 0; i < 250; i++) {
          http.send(request, HttpResponse.BodyHandlers.discarding());
        }
        requests += 250;
        messageLogs(logs).stream()
            .map(p -> p.getFileName().toString())
            .filter(name -> !name.equals("messages.log"))
            .forEach(rolled::add);
      }
      assertThat(rolled)
          .as("files rolled over after %d requests", requests)
          .hasSizeGreaterThanOrEqualTo(5);
      List<Path> kept = messageLogs(logs);
      assertThat(kept).as("messages logs kept: %s", kept).hasSize(3);
      for (Path file : kept) {
        assertThat(Files.size(file)).as(file.toString()).isLessThanOrEqualTo(1_100_000L);
      }
    }
  }

  private static List<Path> messageLogs(Path logs) throws IOException {
    try (Stream<Path> files = Files.list(logs)) {
      return files.filter(p -> p.getFileName().toString().startsWith("messages")).toList();
    }
  }

  @Test
  void productionWithoutASecretsKeyIsNeverReadyAndSaysWhy() throws Exception {
    try (HeraldServerProcess server =
        new HeraldServerProcess(
            Map.of("HERALD_ADMIN_API_KEY", OPERATOR, "ENVIRONMENT", "production"))) {
      server.startUnready(SERVER_START, true);
      HttpResponse<String> ready = server.readiness();
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).contains("HERALD_SECRETS_KEY (herald.secrets.key) is not set");
      assertThat(get(server.baseUrl() + "/health/live").statusCode())
          .as("a restart would not fix the configuration")
          .isEqualTo(200);
    }
  }

  @Test
  void aDatabaseUrlThatNeverReachedTheDataSourceIsRefusedNamingTheFix() throws Exception {
    String databaseUrl =
        System.getenv()
            .getOrDefault(
                "HERALD_TEST_DATABASE_URL",
                "postgresql://postgres:postgres@127.0.0.1:5432/herald_test");
    try (HeraldServerProcess server =
        new HeraldServerProcess(
            Map.of("HERALD_ADMIN_API_KEY", OPERATOR, "DATABASE_URL", databaseUrl))) {
      // Liberty's own `server run herald`, without herald-env.sh: the data source stays on H2.
      server.startUnready(SERVER_START, false);
      HttpResponse<String> ready = server.readiness();
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body())
          .contains("DATABASE_URL is set but the server's data source is the embedded")
          .contains("herald-env.sh");
    }
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String newTenant(String api) throws Exception {
    String id = "t-" + UUID.randomUUID().toString().substring(0, 8);
    Reply created = ApiCalls.call(api, "POST", "/tenants", OPERATOR, "{\"id\":\"" + id + "\"}");
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    return (String) created.json().get("api_key");
  }
}
