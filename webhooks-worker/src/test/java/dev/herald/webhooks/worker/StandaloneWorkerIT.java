package dev.herald.webhooks.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.webhooks.api.PublishResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Standalone worker processes on one PostgreSQL: scale-out, crash take-over, bad configuration. */
class StandaloneWorkerIT extends WorkerWithReceiverTest {
  private Set<String> publish(int count) {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < count; i++) {
      PublishResult result = fixture.publishMemoryCreated("m-" + i);
      ids.add(result.eventId());
    }
    return ids;
  }

  private Map<String, Long> receivedCounts() {
    return receiver.requests().stream()
        .collect(Collectors.groupingBy(r -> r.header("webhook-id"), Collectors.counting()));
  }

  @Test
  void twoWorkerProcessesDeliverTenThousandEventsEachExactlyOnce() throws Exception {
    fixture.endpoint(receiver.url("/hook"), "memory.*");
    Set<String> published = publish(10_000);
    Map<String, String> env = WorkerProcess.environment(fixture, Map.of("WEBHOOK_WORKERS", "32"));

    Instant start = Instant.now();
    try (WorkerProcess a = WorkerProcess.start("scale-a", env);
        WorkerProcess b = WorkerProcess.start("scale-b", env)) {
      await()
          .atMost(Duration.ofMinutes(4))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> receiver.requests().size() >= published.size());
      Duration took = Duration.between(start, Instant.now());
      System.out.printf(
          "two standalone workers delivered %d events in %d ms (%.0f deliveries/s, incl. JVM start)%n",
          published.size(), took.toMillis(), published.size() * 1000.0 / took.toMillis());
      assertThat(a.process.isAlive()).as(a.output()).isTrue();
      assertThat(b.process.isAlive()).as(b.output()).isTrue();
    }
    Map<String, Long> counts = receivedCounts();
    assertThat(counts.keySet()).isEqualTo(published);
    assertThat(counts.values()).allMatch(n -> n == 1);
  }

  @Test
  void killedWorkerLosesNothingAndOnlyInFlightEventsArriveTwice() throws Exception {
    fixture.endpoint(receiver.url("/hook"), "memory.*");
    // A slow receiver keeps sends in flight when the worker dies.
    receiver.respondWith(slow(r -> LoopbackReceiver.Reply.status(200), Duration.ofMillis(150)));
    Set<String> published = publish(300);
    Map<String, String> env =
        WorkerProcess.environment(
            fixture, Map.of("WEBHOOK_WORKERS", "8", "HERALD_LEASE_DURATION", "3s"));

    Set<String> receivedBeforeKill;
    try (WorkerProcess victim = WorkerProcess.start("victim", env)) {
      await().atMost(Duration.ofMinutes(2)).until(() -> receiver.requests().size() >= 40);
      victim.process.destroyForcibly(); // SIGKILL: no shutdown hook, leases stay behind
      assertThat(victim.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      receivedBeforeKill = receivedCounts().keySet();
    }
    assertThat(receivedBeforeKill.size()).isLessThan(published.size());

    try (WorkerProcess survivor = WorkerProcess.start("survivor", env)) {
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> receivedCounts().keySet().containsAll(published));
    }
    Map<String, Long> counts = receivedCounts();
    assertThat(counts.keySet()).isEqualTo(published);
    Set<String> duplicated =
        counts.entrySet().stream()
            .filter(e -> e.getValue() > 1)
            .map(Map.Entry::getKey)
            .collect(Collectors.toSet());
    assertThat(receivedBeforeKill).containsAll(duplicated);
    // Sent again: the 8 sends in flight, and finished ones whose batch of results was not yet
    // committed (what finished during the previous commit: at 8 sends per 150 ms, fewer than 8
    // unless a commit takes longer than a send).
    assertThat(duplicated.size()).isLessThanOrEqualTo(16);
  }

  @Test
  void badConfigurationExitsWithAMessageNamingTheKey() throws Exception {
    try (WorkerProcess worker =
        WorkerProcess.start(
            "bad-config", WorkerProcess.environment(fixture, Map.of("WEBHOOK_WORKERS", "lots")))) {
      assertThat(worker.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(worker.process.exitValue()).isEqualTo(2);
      assertThat(worker.output()).contains("WEBHOOK_WORKERS (webhook.workers) is \"lots\"");
    }
  }

  @Test
  void productionWithoutASecretsKeyIsRefusedNamingTheKey() throws Exception {
    Map<String, String> env =
        new java.util.HashMap<>(
            WorkerProcess.environment(fixture, Map.of("ENVIRONMENT", "production")));
    env.remove("HERALD_SECRETS_KEY");
    try (WorkerProcess worker = WorkerProcess.start("production-no-key", env)) {
      assertThat(worker.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(worker.process.exitValue()).isEqualTo(2);
      assertThat(worker.output())
          .contains("ENVIRONMENT (environment) is production")
          .contains("HERALD_SECRETS_KEY (herald.secrets.key) is not set");
    }
  }

  @Test
  void aHealthPortInUseOrBadTracingSettingsStopTheWorkerAtStart() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
      Map<String, String> env =
          WorkerProcess.environment(
              fixture, Map.of("HERALD_WORKER_HTTP_PORT", String.valueOf(taken.getLocalPort())));
      try (WorkerProcess worker = WorkerProcess.start("port-taken", env)) {
        assertThat(worker.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(worker.process.exitValue()).isEqualTo(2);
        assertThat(worker.output())
            .contains("cannot serve health and metrics on port " + taken.getLocalPort())
            .contains("HERALD_WORKER_HTTP_PORT");
      }
    }
    Map<String, String> env =
        WorkerProcess.environment(
            fixture,
            Map.of("OTEL_SDK_DISABLED", "false", "OTEL_TRACES_EXPORTER", "carrier-pigeon"));
    try (WorkerProcess worker = WorkerProcess.start("bad-tracing", env)) {
      assertThat(worker.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(worker.process.exitValue()).isEqualTo(2);
      assertThat(worker.output())
          .contains("invalid OpenTelemetry settings")
          .contains("carrier-pigeon");
    }
  }

  @Test
  void aWorkerServesHealthAndMetricsCountingItsDeliveriesAndLogsItsShutdown() throws Exception {
    fixture.endpoint(receiver.url("/hook"), "memory.*");
    Set<String> published = publish(25);
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Map<String, String> env =
        WorkerProcess.environment(fixture, Map.of("HERALD_WORKER_HTTP_PORT", String.valueOf(port)));
    HttpClient http = HttpClient.newHttpClient();
    try (WorkerProcess worker = WorkerProcess.start("observable", env)) {
      await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> receivedCounts().keySet().containsAll(published));
      String succeeded =
          "webhook_deliveries_total{event=\"memory.created\",status=\"succeeded\","
              + "mp_scope=\"application\"} ";
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> assertThat(get(http, port, "/metrics").body()).contains(succeeded + "25"));
      String metrics = get(http, port, "/metrics").body();
      assertThat(metrics)
          .contains("# TYPE webhook_deliveries_total counter")
          .contains("webhook_delivery_duration_seconds_count{mp_scope=\"application\"} 25")
          .contains("webhook_queue_depth{priority=\"normal\",mp_scope=\"application\"}")
          .contains("webhook_retention_purged_rows_total{table=\"events\"");
      HttpResponse<String> live = get(http, port, "/health/live");
      assertThat(live.statusCode()).isEqualTo(200);
      assertThat(live.body()).startsWith("{\"status\":\"UP\"");
      HttpResponse<String> ready = get(http, port, "/health/ready");
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.body()).contains("herald-database");
      assertThat(get(http, port, "/nothing-here").statusCode()).isEqualTo(404);
      assertThat(
              http.send(
                      HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                          .POST(HttpRequest.BodyPublishers.noBody())
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(405);

      worker.process.destroy(); // SIGTERM
      assertThat(worker.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(worker.output())
          .contains("stopped: claimed 25, succeeded 25, retried 0, dead 0")
          .contains("shut down");
    }
  }

  @Test
  void withTracingOnEachSendCarriesATraceparentAndItsSpanIsExportedOverOtlp() throws Exception {
    fixture.endpoint(receiver.url("/hook"), "memory.*");
    Set<String> published = publish(5);
    List<String> exportedPaths = new java.util.concurrent.CopyOnWriteArrayList<>();
    com.sun.net.httpserver.HttpServer collector =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    collector.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          exportedPaths.add(exchange.getRequestURI().getPath());
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    collector.start();
    Map<String, String> env =
        WorkerProcess.environment(
            fixture,
            Map.of(
                "OTEL_SDK_DISABLED", "false",
                "OTEL_SERVICE_NAME", "herald-worker",
                "OTEL_EXPORTER_OTLP_ENDPOINT",
                    "http://127.0.0.1:" + collector.getAddress().getPort(),
                "OTEL_BSP_SCHEDULE_DELAY", "100"));
    try (WorkerProcess worker = WorkerProcess.start("traced", env)) {
      await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> receivedCounts().keySet().containsAll(published));
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(exportedPaths).contains("/v1/traces"));
      assertThat(worker.output()).doesNotContain("Exception");
    } finally {
      collector.stop(0);
    }
    // Flags: sampled (01), with the W3C level 2 "random trace id" bit (02) where the SDK sets it.
    assertThat(receiver.requests())
        .allSatisfy(
            r -> assertThat(r.header("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[13]"));
  }

  @Test
  void withoutTracingNoTraceparentIsSent() throws Exception {
    fixture.endpoint(receiver.url("/hook"), "memory.*");
    Set<String> published = publish(3);
    try (WorkerProcess worker =
        WorkerProcess.start("untraced", WorkerProcess.environment(fixture, Map.of()))) {
      await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> receivedCounts().keySet().containsAll(published));
    }
    assertThat(receiver.requests()).allSatisfy(r -> assertThat(r.header("traceparent")).isNull());
  }

  @Test
  void tenantCommandsExportEveryRowWithSecretsMaskedThenDeleteTheTenant() throws Exception {
    fixture.store.createTenant("leaving", "Leaving Inc.");
    String secretBody = "c2VjcmV0LW9mLWEtdGVuYW50LXRoYXQtbGVhdmVz";
    dev.herald.webhooks.spi.Endpoint endpoint =
        fixture.store.create(
            dev.herald.webhooks.spi.NewEndpoint.http(
                "leaving", receiver.url("/leaving"), List.of("*"), "whsec_" + secretBody));
    for (int i = 0; i < 3; i++) {
      fixture.publisher.publish(
          dev.herald.webhooks.api.NewEvent.of(
              "leaving", "memory.created", Map.of("memory_id", "m" + i, "user_id", "u-1")));
    }
    Map<String, String> env = WorkerProcess.environment(fixture, Map.of());

    List<String> lines;
    try (WorkerProcess export = WorkerProcess.start("export", env, "tenant", "export", "leaving")) {
      assertThat(export.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(export.process.exitValue()).as(export.output()).isZero();
      lines = export.output().lines().filter(l -> l.startsWith("{\"kind\":")).toList();
      assertThat(export.output()).doesNotContain(secretBody);
    }
    assertThat(lines.get(0)).startsWith("{\"kind\":\"tenant\",\"id\":\"leaving\"");
    assertThat(lines.get(1))
        .startsWith("{\"kind\":\"endpoint\",\"id\":\"" + endpoint.id() + "\"")
        .contains("\"secret\":\"whsec_****\"");
    assertThat(lines).filteredOn(l -> l.startsWith("{\"kind\":\"event\"")).hasSize(3);
    assertThat(lines).filteredOn(l -> l.startsWith("{\"kind\":\"delivery\"")).hasSize(3);
    assertThat(lines.get(2)).contains("\"envelope\":{").contains("\"memory_id\":\"m");

    try (WorkerProcess delete = WorkerProcess.start("delete", env, "tenant", "delete", "leaving")) {
      assertThat(delete.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(delete.process.exitValue()).as(delete.output()).isZero();
      assertThat(delete.output()).contains("deleted tenant leaving: 3 events, 3 deliveries");
    }
    assertThat(fixture.store.findTenant("leaving")).isEmpty();
    assertThat(fixture.store.deletedTenants()).isEmpty();
    assertThat(fixture.store.list("leaving", null, 10).items()).isEmpty();
    try (WorkerProcess again =
        WorkerProcess.start("delete-again", env, "tenant", "delete", "leaving")) {
      assertThat(again.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(again.process.exitValue()).isEqualTo(2);
      assertThat(again.output()).contains("no tenant leaving");
    }
  }

  private static HttpResponse<String> get(HttpClient http, int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void phaseCommandChangesThePhaseThatEveryProcessSees() throws Exception {
    Map<String, String> env = WorkerProcess.environment(fixture, Map.of());
    try (WorkerProcess set = WorkerProcess.start("phase-set", env, "phase", "set", "dual")) {
      assertThat(set.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(set.process.exitValue()).as(set.output()).isZero();
      assertThat(set.output()).contains("migration phase: dual (set by an operator)");
    }
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> fixture.phases.get().global() == dev.herald.webhooks.api.MigrationPhase.DUAL);

    try (WorkerProcess tenant =
        WorkerProcess.start(
            "phase-tenant", env, "phase", "set", "redis-only", "--tenant", "legacy-co")) {
      assertThat(tenant.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(tenant.output()).contains("tenant legacy-co: redis-only");
    }
    try (WorkerProcess bad = WorkerProcess.start("phase-bad", env, "phase", "set", "both")) {
      assertThat(bad.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(bad.process.exitValue()).isEqualTo(2);
      assertThat(bad.output()).contains("allowed: redis-only, dual, webhook-primary, webhook-only");
    }
    try (WorkerProcess report =
        WorkerProcess.start("report", env, "migration-report", "--since", "1h")) {
      assertThat(report.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(report.process.exitValue()).as(report.output()).isZero();
      assertThat(report.output())
          .contains("events routed to webhooks and Redis since")
          .contains("delivered on both sides: 0");
    }
  }

  private static Function<LoopbackReceiver.Request, LoopbackReceiver.Reply> slow(
      Function<LoopbackReceiver.Request, LoopbackReceiver.Reply> reply, Duration delay) {
    return request -> {
      try {
        Thread.sleep(delay.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return reply.apply(request);
    };
  }
}
