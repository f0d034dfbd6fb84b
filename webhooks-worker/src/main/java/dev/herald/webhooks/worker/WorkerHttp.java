package dev.herald.webhooks.worker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.herald.webhooks.core.json.JsonWriter;
import dev.herald.webhooks.store.jpa.JpaStore;
import dev.herald.webhooks.worker.metrics.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What a standalone worker serves on {@code HERALD_WORKER_HTTP_PORT} (JDK HTTP server, two
 * threads): {@code /health/live} (the claim thread runs), {@code /health/ready} (live, and the
 * database answers within 2 s), in the JSON shape of MicroProfile Health with 200 or 503, and
 * {@code /metrics} in the Prometheus text format with the server's metric names.
 */
public final class WorkerHttp implements AutoCloseable {
  private static final Duration STORE_DEADLINE = Duration.ofSeconds(2);

  private final HttpServer server;
  private final ExecutorService threads;

  private WorkerHttp(HttpServer server, ExecutorService threads) {
    this.server = server;
    this.threads = threads;
  }

  /** Starts serving on {@code port} of every interface. */
  public static WorkerHttp start(
      int port, DeliveryWorker worker, JpaStore store, PrometheusRegistry metrics)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 16);
    ExecutorService threads =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "herald-worker-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(threads);
    server.createContext("/health/live", exchange -> health(exchange, List.of(liveness(worker))));
    server.createContext(
        "/health/ready", exchange -> health(exchange, List.of(liveness(worker), database(store))));
    server.createContext(
        "/metrics",
        exchange -> {
          if (!exactly(exchange, "/metrics")) {
            return;
          }
          send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
        });
    server.createContext("/", exchange -> send(exchange, 404, "text/plain", "not found\n"));
    server.start();
    return new WorkerHttp(server, threads);
  }

  /** The port served (the one chosen by the system when 0 was asked for). */
  public int port() {
    return server.getAddress().getPort();
  }

  private record Check(String name, boolean up, Map<String, Object> data) {}

  private static Check liveness(DeliveryWorker worker) {
    return new Check("herald-worker", worker.isAlive(), Map.of("worker", worker.workerId()));
  }

  private static Check database(JpaStore store) {
    try {
      store.ping(STORE_DEADLINE);
      return new Check("herald-database", true, Map.of());
    } catch (RuntimeException e) {
      return new Check(
          "herald-database",
          false,
          Map.of("error", e.getClass().getSimpleName() + ": " + e.getMessage()));
    }
  }

  private static void health(HttpExchange exchange, List<Check> checks) throws IOException {
    if (!exactly(exchange, exchange.getHttpContext().getPath())) {
      return;
    }
    boolean up = checks.stream().allMatch(Check::up);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", up ? "UP" : "DOWN");
    body.put(
        "checks",
        checks.stream()
            .map(
                c -> {
                  Map<String, Object> check = new LinkedHashMap<>();
                  check.put("name", c.name());
                  check.put("status", c.up() ? "UP" : "DOWN");
                  check.put("data", c.data());
                  return check;
                })
            .toList());
    send(
        exchange,
        up ? 200 : 503,
        "application/json",
        JsonWriter.write(body, JsonWriter.Style.COMPACT));
  }

  /** Only GET of the exact path; anything else is answered here. */
  private static boolean exactly(HttpExchange exchange, String path) throws IOException {
    if (!exchange.getRequestURI().getPath().equals(path)) {
      send(exchange, 404, "text/plain", "not found\n");
      return false;
    }
    if (!exchange.getRequestMethod().equals("GET")) {
      exchange.getResponseHeaders().set("Allow", "GET");
      send(exchange, 405, "text/plain", "method not allowed\n");
      return false;
    }
    return true;
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
