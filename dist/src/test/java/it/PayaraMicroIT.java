package it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.herald.webhooks.verifier.VerifiedWebhook;
import dev.herald.webhooks.verifier.WebhookVerifier;
import it.ApiCalls.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Herald WAR, unchanged, on a second Jakarta EE 10 + MicroProfile server: Payara Micro 6 (from
 * Maven Central), with the data source {@code jdbc/herald} created by asadmin commands at boot on a
 * PostgreSQL schema of the test's own. An event published over REST reaches a loopback receiver
 * signed, and the metrics count it.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class PayaraMicroIT {
  private static final String OPERATOR = "payara-operator-" + UUID.randomUUID();

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void theWarRunsOnPayaraMicroAndDeliversASignedEvent() throws Exception {
    Path payara = Path.of(System.getProperty("herald.payara.micro.jar"));
    Path war = Path.of(System.getProperty("herald.war"));
    assertThat(payara).isRegularFile();
    assertThat(war).isRegularFile();
    Path driver;
    try (Stream<Path> jars =
        Files.list(Path.of(System.getProperty("herald.postgresql.driver.dir")))) {
      driver = jars.filter(p -> p.toString().endsWith(".jar")).findFirst().orElseThrow();
    }
    int port = freePort();
    Path work = Files.createDirectories(Path.of("target", "payara-" + port).toAbsolutePath());
    String schema = "herald_payara_" + port;
    Path commands = work.resolve("postboot.asadmin");
    Files.writeString(commands, dataSourceCommands(schema));

    List<String> received = new CopyOnWriteArrayList<>();
    List<Map<String, List<String>>> receivedHeaders = new CopyOnWriteArrayList<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/",
        exchange -> {
          try (InputStream in = exchange.getRequestBody()) {
            received.add(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
          }
          receivedHeaders.add(Map.copyOf(exchange.getRequestHeaders()));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
    Path log = work.resolve("payara.log");
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-jar",
                payara.toString(),
                "--nocluster",
                "--port",
                Integer.toString(port),
                "--rootDir",
                work.resolve("root").toString(),
                "--addLibs",
                driver.toString(),
                "--postbootcommandfile",
                commands.toString(),
                "--deploy",
                war + ":/"));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("HERALD_ADMIN_API_KEY", OPERATOR);
    builder.environment().put("HERALD_SSRF_ALLOWED_NETWORKS", "127.0.0.0/8");
    builder.environment().put("HERALD_SSRF_ALLOWED_PORTS", "*");
    builder.environment().put("HERALD_POLL_INTERVAL", "200ms");
    builder.environment().remove("DATABASE_URL");
    Process server = builder.start();
    String base = "http://127.0.0.1:" + port;
    try {
      await("Payara Micro serves a ready Herald")
          .atMost(Duration.ofMinutes(4))
          .pollInterval(Duration.ofSeconds(1))
          .ignoreExceptions()
          .failFast("Payara Micro ended", () -> !server.isAlive())
          .until(() -> get(base + "/health/ready").statusCode() == 200);
      assertThat(get(base + "/health/ready").body()).contains("\"database\":\"postgresql\"");

      String api = base + "/api/v1";
      String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
      Reply created =
          ApiCalls.call(api, "POST", "/tenants", OPERATOR, "{\"id\":\"" + tenant + "\"}");
      assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
      String key = (String) created.json().get("api_key");
      Reply webhook =
          ApiCalls.call(
              api,
              "POST",
              "/webhooks",
              key,
              "{\"url\":\"http://127.0.0.1:"
                  + receiver.getAddress().getPort()
                  + "/hook\",\"event_types\":[\"*\"]}");
      assertThat(webhook.status()).as(webhook.raw().body()).isEqualTo(201);
      Reply published =
          ApiCalls.call(
              api,
              "POST",
              "/events",
              key,
              "{\"type\":\"user.created\",\"data\":{\"user_id\":\"u-1\"}}");
      assertThat(published.status()).as(published.raw().body()).isEqualTo(202);

      await().atMost(Duration.ofSeconds(30)).until(() -> !received.isEmpty());
      VerifiedWebhook verified =
          WebhookVerifier.builder()
              .secret((String) webhook.json().get("secret"))
              .build()
              .verify(receivedHeaders.get(0), received.get(0));
      assertThat(verified.id()).isEqualTo(published.json().get("id"));
      assertThat(received.get(0)).contains("\"user_id\":\"u-1\"");
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(get(base + "/metrics").body())
                      .containsPattern(
                          "webhook_deliveries_total\\{[^}]*status=\"succeeded\"[^}]*} 1"));
      assertThat(get(base + "/admin/").statusCode()).isEqualTo(200);
    } finally {
      server.destroy();
      if (!server.waitFor(60, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
      receiver.stop(0);
      System.out.println("---- Payara Micro log (" + log + ") ----");
      List<String> lines = Files.readAllLines(log);
      lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(System.out::println);
    }
  }

  /**
   * asadmin commands run at boot, before the WAR deploys: the pool and the resource {@code
   * jdbc/herald} that Liberty's server.xml defines there.
   */
  private static String dataSourceCommands(String schema) throws Exception {
    String url =
        System.getenv()
            .getOrDefault(
                "HERALD_TEST_DATABASE_URL",
                "postgresql://postgres:postgres@127.0.0.1:5432/herald_test");
    URI uri = URI.create(url.replaceFirst("^postgres(ql)?://", "http://"));
    String[] userInfo =
        uri.getUserInfo() == null ? new String[] {"postgres"} : uri.getUserInfo().split(":", 2);
    String user = userInfo[0];
    String password = userInfo.length > 1 ? userInfo[1] : "";
    int port = uri.getPort() < 0 ? 5432 : uri.getPort();
    String database = uri.getPath().substring(1);
    String jdbc = "jdbc:postgresql://" + uri.getHost() + ":" + port + "/" + database;
    try (Connection c = DriverManager.getConnection(jdbc, user, password);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      s.execute("CREATE SCHEMA " + schema);
    }
    return "create-jdbc-connection-pool --datasourceclassname org.postgresql.ds.PGSimpleDataSource"
        + " --restype javax.sql.DataSource --property "
        + "user="
        + user
        + ":password="
        + password
        + ":serverName="
        + uri.getHost()
        + ":portNumber="
        + port
        + ":databaseName="
        + database
        + ":currentSchema="
        + schema
        + " herald-pool\n"
        + "create-jdbc-resource --connectionpoolid herald-pool jdbc/herald\n";
  }

  private HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
