package it;

import static it.RestApiIT.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.herald.webhooks.api.EventPublisher;
import dev.herald.webhooks.api.NewEvent;
import dev.herald.webhooks.core.signing.WebhookSecrets;
import dev.herald.webhooks.spi.NewEndpoint;
import dev.herald.webhooks.store.jpa.JpaStore;
import dev.herald.webhooks.worker.DeliveryWorker;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * DESIGN 12 on the test server: events published over REST move the metrics at {@code /metrics}
 * under their DESIGN names, each attempt is a span whose {@code traceparent} the receiver gets, the
 * shipped dashboard and alert rules use only metrics the server exposes, and worker log records
 * carry the delivery's identifiers as fields.
 */
@ExtendWith(ArquillianExtension.class)
class ObservabilityIT {
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final String SERVER =
      "http://localhost:" + System.getProperty("herald.it.port", "9181");
  private static final Pattern TRACEPARENT =
      Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-0[0-9a-f]");
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? ([^ ]+)$");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern METRIC_IN_QUERY = Pattern.compile("\\bwebhook_[a-z0-9_]+");

  @Deployment
  static WebArchive deployment() {
    return Deployments.heraldWar();
  }

  @ArquillianResource URL app;

  @Inject JpaStore store;
  @Inject EventPublisher publisher;

  /** One sample of the Prometheus text output. */
  record Sample(String name, Map<String, String> labels, double value) {}

  record Received(Map<String, List<String>> headers, byte[] body) {
    String header(String name) {
      List<String> values = headers.get(name);
      return values == null || values.isEmpty() ? null : values.get(0);
    }
  }

  @Test
  @RunAsClient
  void publishingOverRestMovesTheDesignMetricsAndTheReceiverGetsTheAttemptsTraceparent()
      throws Exception {
    RestApiIT.useApi(app);
    List<Sample> before = scrape();
    ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
    AtomicInteger calls = new AtomicInteger();
    // The first attempt fails with 503, the retry succeeds.
    HttpServer receiver = receiver(received, () -> calls.incrementAndGet() == 1 ? 503 : 204);
    try {
      String key = RestApiIT.newTenant();
      ApiCalls.Reply webhook =
          call(
              "POST",
              "/webhooks",
              key,
              "{\"url\":\"http://127.0.0.1:"
                  + receiver.getAddress().getPort()
                  + "/hook\",\"event_types\":[\"quota.*\"]}");
      assertThat(webhook.status()).as(webhook.raw().body()).isEqualTo(201);
      ApiCalls.Reply published =
          call(
              "POST",
              "/events",
              key,
              "{\"type\":\"quota.warning\",\"data\":{\"quota\":\"q\",\"used\":8,\"limit\":10}}");
      assertThat(published.status()).as(published.raw().body()).isEqualTo(202);

      await().atMost(DEADLINE).until(() -> received.size() == 2);
      List<Received> requests = List.copyOf(received);
      Set<String> traceIds = new TreeSet<>();
      for (Received request : requests) {
        String traceparent = request.header("traceparent");
        assertThat(traceparent).hasSize(55).matches(TRACEPARENT);
        traceIds.add(traceparent.substring(3, 35));
      }
      assertThat(traceIds).as("one span (and trace) per attempt").hasSize(2);
      // The spans the logging exporter wrote are the ones whose context the receiver got.
      Path messages = Path.of(System.getProperty("herald.test.server.logs"), "messages.log");
      for (Received request : requests) {
        Matcher m = TRACEPARENT.matcher(request.header("traceparent"));
        assertThat(m.matches()).isTrue();
        await()
            .atMost(DEADLINE)
            .untilAsserted(
                () ->
                    assertThat(Files.readString(messages))
                        .contains("'webhook attempt' : " + m.group(1) + " " + m.group(2)));
      }

      await()
          .atMost(DEADLINE)
          .untilAsserted(
              () -> {
                List<Sample> after = scrape();
                assertThat(
                        delta(
                            before,
                            after,
                            "webhook_events_published_total",
                            Map.of("type", "quota.warning")))
                    .isEqualTo(1);
                assertThat(
                        delta(
                            before,
                            after,
                            "webhook_deliveries_total",
                            Map.of("event", "quota.warning", "status", "succeeded")))
                    .isEqualTo(1);
                assertThat(
                        delta(
                            before,
                            after,
                            "webhook_deliveries_total",
                            Map.of("event", "quota.warning", "status", "retrying")))
                    .isEqualTo(1);
                assertThat(
                        delta(
                            before,
                            after,
                            "webhook_failures_total",
                            Map.of("error_type", "http_503")))
                    .isEqualTo(1);
                assertThat(
                        delta(before, after, "webhook_delivery_duration_seconds_count", Map.of()))
                    .isGreaterThanOrEqualTo(2);
              });
      List<Sample> after = scrape();
      assertThat(find(after, "webhook_delivery_duration_seconds_bucket", Map.of("le", "+Inf")))
          .isNotEmpty();
      for (String priority : List.of("high", "normal", "low")) {
        assertThat(find(after, "webhook_queue_depth", Map.of("priority", priority))).hasSize(1);
      }
      for (String state : List.of("closed", "open", "half_open")) {
        assertThat(find(after, "webhook_circuit_breaker_state", Map.of("state", state))).hasSize(1);
      }
      assertThat(find(after, "webhook_circuit_breaker_opened_total", Map.of())).hasSize(1);
      for (String result : List.of("success", "failure")) {
        assertThat(find(after, "webhook_redis_publish_total", Map.of("result", result))).hasSize(1);
      }
    } finally {
      receiver.stop(0);
    }
  }

  @Test
  @RunAsClient
  void theShippedDashboardAndAlertRulesUseOnlyMetricsTheServerExposes() throws Exception {
    Path dir = Path.of(System.getProperty("herald.observability.dir"));
    String rules = Files.readString(dir.resolve("herald-alerts.yml"));
    String dashboard = Files.readString(dir.resolve("herald-dashboard.json"));
    Set<String> used = new TreeSet<>();
    for (String text : List.of(rules, dashboard)) {
      Matcher m = METRIC_IN_QUERY.matcher(text);
      while (m.find()) {
        used.add(m.group());
      }
    }
    assertThat(used)
        .contains(
            "webhook_deliveries_total",
            "webhook_delivery_duration_seconds_bucket",
            "webhook_queue_depth",
            "webhook_circuit_breaker_state");

    RestApiIT.useApi(app);
    ensureEveryDeliveryMetricHasASeries();
    Set<String> exposed = new TreeSet<>();
    for (Sample sample : scrape()) {
      exposed.add(sample.name());
    }
    assertThat(exposed).containsAll(used);
  }

  /** One failed and one successful attempt, so that the per-label counters have a series. */
  private void ensureEveryDeliveryMetricHasASeries() throws Exception {
    List<Sample> now = scrape();
    if (!find(now, "webhook_failures_total", Map.of()).isEmpty()
        && !find(now, "webhook_deliveries_total", Map.of()).isEmpty()) {
      return;
    }
    ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
    AtomicInteger calls = new AtomicInteger();
    HttpServer receiver = receiver(received, () -> calls.incrementAndGet() == 1 ? 500 : 204);
    try {
      String key = RestApiIT.newTenant();
      call(
          "POST",
          "/webhooks",
          key,
          "{\"url\":\"http://127.0.0.1:"
              + receiver.getAddress().getPort()
              + "/hook\",\"event_types\":[\"*\"]}");
      call("POST", "/events", key, "{\"type\":\"user.created\",\"data\":{\"user_id\":\"u-1\"}}");
      await().atMost(DEADLINE).until(() -> received.size() == 2);
      await()
          .atMost(DEADLINE)
          .until(() -> !find(scrape(), "webhook_deliveries_total", Map.of()).isEmpty());
    } finally {
      receiver.stop(0);
    }
  }

  /**
   * In the server: a worker log line (here the warning that a 410 disabled the endpoint) carries
   * the delivery's identifiers as log record extensions, which Liberty's JSON logs print as fields.
   */
  @Test
  void workerLogRecordsCarryTheDeliveryIdentifiersAsFields() throws Exception {
    List<Map<String, String>> extensions = new CopyOnWriteArrayList<>();
    List<String> messages = new CopyOnWriteArrayList<>();
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            messages.add(String.valueOf(record.getMessage()));
            extensions.add(serverLogExtensions());
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger logger = Logger.getLogger(DeliveryWorker.class.getName());
    logger.addHandler(handler);
    ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
    HttpServer receiver = receiver(received, () -> 410);
    try {
      String tenant = "obs-" + Long.toHexString(System.nanoTime());
      store.createTenant(tenant, "Observability");
      String endpointId =
          store
              .create(
                  NewEndpoint.http(
                      tenant,
                      "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
                      List.of("user.*"),
                      WebhookSecrets.generate()))
              .id();
      String eventId =
          publisher
              .publish(NewEvent.of(tenant, "user.created", Map.of("user_id", "u-2")))
              .eventId();

      await()
          .atMost(DEADLINE)
          .until(() -> extensions.stream().anyMatch(e -> endpointId.equals(e.get("endpoint_id"))));
      Map<String, String> fields =
          extensions.stream()
              .filter(e -> endpointId.equals(e.get("endpoint_id")))
              .findFirst()
              .orElseThrow();
      assertThat(fields)
          .containsEntry("event_id", eventId)
          .containsEntry("attempt", "1")
          .containsKey("delivery_id");
      assertThat(fields.get("delivery_id")).startsWith("dlv_");
    } finally {
      logger.removeHandler(handler);
      receiver.stop(0);
    }
  }

  /** Liberty's LogRecordContext extensions of the current thread, read as its log handlers do. */
  @SuppressWarnings("unchecked")
  private static Map<String, String> serverLogExtensions() {
    try {
      Map<String, String> map = new HashMap<>();
      Class.forName("com.ibm.websphere.logging.hpel.LogRecordContext")
          .getMethod("getExtensions", Map.class)
          .invoke(null, map);
      return map;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static HttpServer receiver(
      ConcurrentLinkedQueue<Received> received, java.util.function.IntSupplier status)
      throws IOException {
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/",
        exchange -> {
          byte[] body;
          try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
          }
          Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
          headers.putAll(exchange.getRequestHeaders());
          received.add(new Received(headers, body));
          exchange.sendResponseHeaders(status.getAsInt(), -1);
          exchange.close();
        });
    receiver.start();
    return receiver;
  }

  private static List<Sample> scrape() throws IOException, InterruptedException {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(SERVER + "/metrics")).timeout(DEADLINE).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    assertThat(response.statusCode()).isEqualTo(200);
    // What an operator's Prometheus sees, kept for reading after the run.
    Files.writeString(Path.of("target", "metrics-scrape.txt"), response.body());
    List<Sample> samples = new java.util.ArrayList<>();
    for (String line : response.body().split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = SAMPLE.matcher(line.trim());
      if (!m.matches()) {
        continue;
      }
      Map<String, String> labels = new TreeMap<>();
      if (m.group(2) != null) {
        Matcher label = LABEL.matcher(m.group(2));
        while (label.find()) {
          labels.put(label.group(1), label.group(2));
        }
      }
      samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
    }
    return samples;
  }

  private static List<Sample> find(List<Sample> samples, String name, Map<String, String> labels) {
    return samples.stream()
        .filter(s -> s.name().equals(name))
        .filter(s -> s.labels().entrySet().containsAll(labels.entrySet()))
        .toList();
  }

  private static double delta(
      List<Sample> before, List<Sample> after, String name, Map<String, String> labels) {
    return sum(find(after, name, labels)) - sum(find(before, name, labels));
  }

  private static double sum(List<Sample> samples) {
    return samples.stream().mapToDouble(Sample::value).sum();
  }
}
