package dev.herald.webhooks.benchmarks.load;

import dev.herald.webhooks.api.CatalogEventTypes;
import dev.herald.webhooks.api.Event;
import dev.herald.webhooks.api.MigrationPhase;
import dev.herald.webhooks.api.NewEvent;
import dev.herald.webhooks.api.SignatureProfile;
import dev.herald.webhooks.core.json.EnvelopeJson;
import dev.herald.webhooks.core.json.JsonReader;
import dev.herald.webhooks.core.publish.DefaultEventPublisher;
import dev.herald.webhooks.core.registry.EventTypeRegistry;
import dev.herald.webhooks.core.routing.PhaseSelection;
import dev.herald.webhooks.core.signing.WebhookSigner;
import dev.herald.webhooks.core.validation.EventValidator;
import dev.herald.webhooks.spi.SigningSecret;
import dev.herald.webhooks.store.jpa.JpaStore;
import dev.herald.webhooks.store.jpa.JpaStores;
import dev.herald.webhooks.store.jpa.StoreConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Figures that need the running server: the receiver's own capacity (wrk), REST ingest flat out,
 * end-to-end signed deliveries from a backlog, publish-to-receipt latency at a fixed rate, and the
 * server's heap during the end-to-end runs.
 */
final class ServerScenarios {
  private static final String USED_HEAP = "memory_usedHeap_bytes";
  private static final String COMMITTED_HEAP = "memory_committedHeap_bytes";
  private static final String PROCESS_CPU = "cpu_processCpuTime_seconds";

  private final String host;
  private final int port;
  private final String adminKey;
  private final int receiverPort;
  private final String databaseUrl;
  private final Optional<byte[]> secretsKey;
  private final int runs;
  private final int ingestSeconds;
  private final int ingestConnections;
  private final int e2eEvents;
  private final int e2eEndpoints;
  private final int latencyRate;
  private final int latencySeconds;
  private final int cpuSeconds;
  private final int cpuConnections;
  private final int warmUpSeconds;

  /** Receiver names of the endpoints of tenant A (ingest, latency) and B (end to end). */
  private static final String TENANT_A = "a";

  private static final String TENANT_B = "b";
  private final Path out;
  private final List<String> parts;
  private final String stamp = Long.toString(System.currentTimeMillis(), 36);
  private final Results results = new Results("server");
  private final List<Map<String, Object>> heapSamples = new ArrayList<>();
  private final List<Map<String, Object>> phases = new ArrayList<>();
  private Receiver receiver;

  ServerScenarios(Args a) {
    String base = a.get("base", "http://127.0.0.1:9301");
    Matcher m = Pattern.compile("http://([^:/]+):(\\d+)/?").matcher(base);
    if (!m.matches()) {
      throw new IllegalArgumentException("--base must be http://host:port");
    }
    host = m.group(1);
    port = Integer.parseInt(m.group(2));
    adminKey = a.required("admin-key");
    receiverPort = a.getInt("receiver-port", 9302);
    databaseUrl = a.required("database-url");
    String key = a.get("secrets-key", "");
    secretsKey =
        key.isBlank() ? Optional.empty() : Optional.of(java.util.Base64.getDecoder().decode(key));
    runs = a.getInt("runs", 3);
    ingestSeconds = a.getInt("ingest-seconds", 15);
    ingestConnections = a.getInt("ingest-connections", 16);
    e2eEvents = a.getInt("e2e-events", 8000);
    e2eEndpoints = a.getInt("e2e-endpoints", 4);
    latencyRate = a.getInt("latency-rate", 1000);
    latencySeconds = a.getInt("latency-seconds", 20);
    cpuSeconds = a.getInt("cpu-seconds", 10);
    cpuConnections = a.getInt("cpu-connections", 8);
    warmUpSeconds = a.getInt("warm-up-seconds", 150);
    out = Path.of(a.get("out", "benchmarks/target/results"));
    parts = List.of(a.get("parts", "wrk,cpu,ingest,e2e,latency").split(","));
  }

  void run(String wrkPath) throws Exception {
    receiver = new Receiver(receiverPort, 64);
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    try {
      waitReady();
      sampler.scheduleAtFixedRate(this::sampleHeap, 0, 1, TimeUnit.SECONDS);
      String tenantA = "bench-a-" + stamp;
      String keyA = createTenant(tenantA);
      createEndpoint(keyA, TENANT_A + "0");
      String tenantB = "bench-b-" + stamp;
      String keyB = createTenant(tenantB);
      for (int i = 0; i < e2eEndpoints; i++) {
        createEndpoint(keyB, TENANT_B + i);
      }
      if (parts.contains("wrk")) {
        receiverCapacity(wrkPath);
      }
      String keyC = createTenant("bench-c-" + stamp);
      warmUp(keyA, keyC);
      if (parts.contains("cpu")) {
        cpuPerRequest(keyC);
      }
      if (parts.contains("ingest")) {
        ingest(keyA);
      }
      if (parts.contains("e2e")) {
        endToEnd(tenantB);
      }
      if (parts.contains("latency")) {
        latency(keyA);
      }
      results.put("heap_samples", heapSamples);
      results.put("phases", phases);
      List<Long> perSecond = new ArrayList<>();
      for (int s = 0; s <= receiver.currentSecond(); s++) {
        perSecond.add(receiver.receivedInSecond(s));
      }
      results.put("receipts_per_second", perSecond);
      results.put("rejected_by_receiver", receiver.rejected());
      results.write(out);
    } finally {
      sampler.shutdownNow();
      receiver.close();
    }
  }

  // ---------------------------------------------------------------------------- set-up

  private void waitReady() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (true) {
      try (MiniHttp http = new MiniHttp(host, port)) {
        if (http.get("/health/ready", null).status() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("server not ready at " + host + ":" + port);
      }
      Thread.sleep(500);
    }
  }

  private Map<String, Object> call(String method, String path, String bearer, String json)
      throws IOException {
    try (MiniHttp http = new MiniHttp(host, port)) {
      MiniHttp.Response r =
          http.request(
              method, path, bearer, json == null ? null : json.getBytes(StandardCharsets.UTF_8));
      if (r.status() / 100 != 2) {
        throw new IllegalStateException(method + " " + path + " -> " + r.status() + " " + r.text());
      }
      return JsonReader.readObject(r.text());
    }
  }

  private String createTenant(String id) throws IOException {
    return (String)
        call(
                "POST",
                "/api/v1/tenants",
                adminKey,
                "{\"id\":\"" + id + "\",\"name\":\"benchmark " + id + "\"}")
            .get("api_key");
  }

  private void createEndpoint(String tenantKey, String name) throws IOException {
    Map<String, Object> created =
        call(
            "POST",
            "/api/v1/webhooks",
            tenantKey,
            "{\"url\":\"http://127.0.0.1:"
                + receiverPort
                + "/hook/"
                + name
                + "\",\"event_types\":[\"memory.*\"],\"description\":\"benchmark receiver\"}");
    receiver.register(name, (String) created.get("secret"));
  }

  private void sampleHeap() {
    try (MiniHttp http = new MiniHttp(host, port)) {
      MiniHttp.Response r = http.get("/metrics?scope=base", null);
      double used = metric(r.text(), USED_HEAP);
      double committed = metric(r.text(), COMMITTED_HEAP);
      Map<String, Object> sample = new LinkedHashMap<>();
      sample.put("second", receiver.currentSecond());
      sample.put("used_mib", used / (1024 * 1024));
      sample.put("committed_mib", committed / (1024 * 1024));
      synchronized (heapSamples) {
        heapSamples.add(sample);
      }
    } catch (Exception e) {
      // a missed sample is not a failure of the run
    }
  }

  static double metric(String text, String name) {
    for (String line : text.split("\n")) {
      if (line.startsWith(name) && !line.startsWith("#")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim());
      }
    }
    return Double.NaN;
  }

  private void phase(String name, int fromSecond) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("name", name);
    p.put("from", fromSecond);
    p.put("to", receiver.currentSecond());
    phases.add(p);
  }

  /**
   * Waits until the endpoints named {@code namePrefix}... have {@code target} verified receipts.
   */
  private void awaitReceipts(String namePrefix, long target, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (receiver.verified(namePrefix) < target && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }

  // ------------------------------------------------------------------ receiver capacity

  private void receiverCapacity(String wrk) throws Exception {
    System.out.println("[harness] receiver capacity with wrk");
    List<Double> rates = new ArrayList<>();
    if (wrk == null || wrk.isBlank() || !Files.isExecutable(Path.of(wrk))) {
      System.out.println("  wrk not found: skipped");
      results.figure("receiver_capacity", "loopback receiver capacity (wrk)", "req/s", rates);
      return;
    }
    String secret = dev.herald.webhooks.core.signing.WebhookSecrets.generate();
    receiver.register("wrk", secret);
    Event event =
        new Event(
            "evt_wrk",
            CatalogEventTypes.MEMORY_CREATED,
            Instant.now(),
            "bench",
            "k",
            1,
            "memory/1",
            1,
            Map.of("memory_id", "m1", "user_id", "u1", "content_preview", "x".repeat(200)),
            Map.of());
    byte[] body = EnvelopeJson.encode(event, SignatureProfile.STANDARD);
    Map<String, String> headers =
        new WebhookSigner(SignatureProfile.STANDARD, null, List.of(new SigningSecret(secret, null)))
            .sign(event.id(), event.type(), body, Instant.now());
    Path dir = Files.createDirectories(out);
    Path bodyFile = dir.resolve("wrk-body.json");
    Files.write(bodyFile, body);
    StringBuilder lua =
        new StringBuilder("wrk.method = \"POST\"\n")
            .append("local f = io.open(\"")
            .append(bodyFile.toAbsolutePath())
            .append("\", \"rb\")\nwrk.body = f:read(\"*a\")\nf:close()\n")
            .append("wrk.headers[\"Content-Type\"] = \"application/json\"\n");
    headers.forEach(
        (k, v) ->
            lua.append("wrk.headers[\"").append(k).append("\"] = \"").append(v).append("\"\n"));
    Path script = dir.resolve("wrk-post.lua");
    Files.writeString(script, lua.toString());
    int from = receiver.currentSecond();
    for (int r = 0; r < runs; r++) {
      long before = receiver.verified("wrk");
      Process p =
          new ProcessBuilder(
                  wrk,
                  "-t2",
                  "-c32",
                  "-d10s",
                  "-s",
                  script.toString(),
                  "http://127.0.0.1:" + receiverPort + "/hook/wrk")
              .redirectErrorStream(true)
              .start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      Matcher m = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(output);
      if (m.find()) {
        rates.add(Double.parseDouble(m.group(1)));
      }
      System.out.printf(
          "  run %d: %s req/s, %d verified%n",
          r + 1, m.find(0) ? m.group(1) : "?", receiver.verified("wrk") - before);
    }
    phase("receiver capacity (wrk)", from);
    results.figure("receiver_capacity", "loopback receiver capacity (wrk)", "req/s", rates);
  }

  // ---------------------------------------------------------------------------- ingest

  private void ingest(String tenantKey) throws Exception {
    System.out.printf(
        "[harness] REST ingest: %d connections, %d s x %d runs (after a 5 s warm-up)%n",
        ingestConnections, ingestSeconds, runs);
    ingestRun(tenantKey, "warm", 5);
    awaitReceipts(TENANT_A, publishedA.get(), Duration.ofSeconds(120));
    List<Double> rates = new ArrayList<>();
    List<Double> p50 = new ArrayList<>();
    List<Double> p99 = new ArrayList<>();
    List<Map<String, Object>> detail = new ArrayList<>();
    int from = receiver.currentSecond();
    for (int r = 0; r < runs; r++) {
      vacuum();
      IngestRun run = ingestRun(tenantKey, "r" + r, ingestSeconds);
      rates.add(run.rate);
      p50.add(run.latency.getValueAtPercentile(50) / 1000.0);
      p99.add(run.latency.getValueAtPercentile(99) / 1000.0);
      Map<String, Object> d = Results.percentilesMillis(run.latency);
      d.put("events_per_second", run.rate);
      d.put("errors", run.errors);
      detail.add(d);
      System.out.printf(
          "  run %d: %.0f events/s, p50 %.2f ms, p99 %.2f ms, errors %d%n",
          r + 1, run.rate, p50.get(r), p99.get(r), run.errors);
      // Let the deliveries of this run drain so that runs start alike.
      awaitReceipts(TENANT_A, publishedA.get(), Duration.ofSeconds(120));
    }
    phase("REST ingest", from);
    results.figure(
        "ingest_rate", "REST ingest, durable, one subscribed endpoint", "events/s", rates);
    results.figure("ingest_p50", "REST ingest response time p50", "ms", p50);
    results.figure("ingest_p99", "REST ingest response time p99", "ms", p99);
    results.put("ingest_runs", detail);
  }

  private final AtomicLong publishedA = new AtomicLong();
  private final AtomicLong unsent = new AtomicLong();
  private final java.util.concurrent.atomic.AtomicBoolean aborted =
      new java.util.concurrent.atomic.AtomicBoolean();

  private record IngestRun(double rate, Histogram latency, long errors) {}

  private IngestRun ingestRun(String tenantKey, String label, int seconds) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(ingestConnections);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<Future<Object[]>> futures = new ArrayList<>();
    long start = System.nanoTime();
    for (int t = 0; t < ingestConnections; t++) {
      int thread = t;
      futures.add(
          pool.submit(
              () -> {
                Histogram h = new Histogram(60_000_000L, 3);
                long ok = 0;
                long errors = 0;
                try (MiniHttp http = new MiniHttp(host, port)) {
                  for (long i = 0; System.nanoTime() < end; i++) {
                    String id = stamp + "-" + label + "-" + thread + "-" + i;
                    byte[] json =
                        ("{\"type\":\"memory.created\",\"subject\":\"memory/"
                                + id
                                + "\",\"idempotency_key\":\""
                                + id
                                + "\",\"data\":{\"memory_id\":\""
                                + id
                                + "\",\"user_id\":\"u-1\",\"content_preview\":\"benchmark event"
                                + " body of a realistic size, about three hundred bytes in"
                                + " all\",\"concepts\":[\"load\",\"test\"],\"importance\":0.5}}")
                            .getBytes(StandardCharsets.UTF_8);
                    long t0 = System.nanoTime();
                    MiniHttp.Response r = http.post("/api/v1/events", tenantKey, json);
                    h.recordValue(Math.min(60_000_000L, (System.nanoTime() - t0) / 1000));
                    if (r.status() == 202) {
                      ok++;
                    } else {
                      errors++;
                    }
                  }
                }
                return new Object[] {h, ok, errors};
              }));
    }
    Histogram all = new Histogram(60_000_000L, 3);
    long ok = 0;
    long errors = 0;
    for (Future<Object[]> f : futures) {
      Object[] r = f.get();
      all.add((Histogram) r[0]);
      ok += (Long) r[1];
      errors += (Long) r[2];
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    publishedA.addAndGet(ok);
    return new IngestRun(ok / elapsed, all, errors);
  }

  // ---------------------------------------------------------------------- end to end

  private final List<Double> cpuPerDelivery = new ArrayList<>();

  private void endToEnd(String tenant) throws Exception {
    // Tenant A's backlog (ingest) must not count here, nor take the worker's time.
    awaitReceipts(TENANT_A, publishedA.get(), Duration.ofSeconds(120));
    int deliveries = e2eEvents * e2eEndpoints;
    System.out.printf(
        "[harness] end to end: %d events x %d endpoints = %d signed deliveries per run, %d runs%n",
        e2eEvents, e2eEndpoints, deliveries, runs);
    StoreConfig base = StoreConfig.fromDatabaseUrl(databaseUrl, Path.of("unused"), 4, secretsKey);
    List<Double> rates = new ArrayList<>();
    int from = receiver.currentSecond();
    try (JpaStore store = JpaStores.open(base)) {
      DefaultEventPublisher publisher =
          new DefaultEventPublisher(
              new EventValidator(new EventTypeRegistry(List.of()), 256 * 1024),
              store,
              () -> PhaseSelection.of(MigrationPhase.WEBHOOK_ONLY),
              store,
              Duration.ofHours(24),
              Clock.systemUTC());
      for (int r = 0; r < runs; r++) {
        vacuum();
        long target = receiver.verified(TENANT_B) + deliveries;
        double cpuBefore = serverCpuSeconds();
        long start = System.nanoTime();
        List<NewEvent> batch = new ArrayList<>();
        for (int i = 0; i < e2eEvents; i++) {
          String id = stamp + "-e2e-" + r + "-" + i;
          batch.add(StoreScenarios.event(tenant, id));
          if (batch.size() == 500) {
            publisher.publishAll(batch);
            batch.clear();
          }
        }
        if (!batch.isEmpty()) {
          publisher.publishAll(batch);
        }
        double published = (System.nanoTime() - start) / 1e9;
        awaitReceipts(TENANT_B, target, Duration.ofSeconds(150));
        double elapsed = (System.nanoTime() - start) / 1e9;
        long missing = Math.max(0, target - receiver.verified(TENANT_B));
        double rate = (deliveries - missing) / elapsed;
        rates.add(rate);
        // The harness publishes into the database itself: the server's CPU is the delivering.
        double perDelivery = (serverCpuSeconds() - cpuBefore) * 1e6 / (deliveries - missing);
        cpuPerDelivery.add(perDelivery);
        System.out.printf(
            "  run %d: %d deliveries in %.1f s = %.0f/s (backlog published in %.1f s), server"
                + " CPU %.0f us per delivery%s%n",
            r + 1,
            deliveries - missing,
            elapsed,
            rate,
            published,
            perDelivery,
            missing > 0 ? ", " + missing + " MISSING after 150 s" : "");
      }
    }
    phase("end to end", from);
    results.figure(
        "cpu_per_delivery",
        "server CPU per signed delivery (claim, sign, send, record)",
        "us",
        cpuPerDelivery);
    results.figure(
        "e2e_rate",
        "end-to-end signed deliveries to a loopback receiver (" + e2eEndpoints + " endpoints)",
        "deliveries/s",
        rates);
    List<Double> used = new ArrayList<>();
    List<Double> committed = new ArrayList<>();
    synchronized (heapSamples) {
      for (Map<String, Object> s : heapSamples) {
        int second = (Integer) s.get("second");
        if (second >= from) {
          used.add((Double) s.get("used_mib"));
          committed.add((Double) s.get("committed_mib"));
        }
      }
    }
    results.figure(
        "e2e_heap_used_max",
        "server heap used during end to end (max of 1 s samples)",
        "MiB",
        used.isEmpty() ? List.of() : List.of(java.util.Collections.max(used)));
    results.figure(
        "e2e_heap_committed_max",
        "server heap committed during end to end (max of 1 s samples)",
        "MiB",
        committed.isEmpty() ? List.of() : List.of(java.util.Collections.max(committed)));
  }

  /**
   * Vacuums the tables a delivery rewrites, as PostgreSQL's autovacuum would between runs: every
   * delivery leaves two dead row versions (claimed, recorded), and on a server where autovacuum is
   * off (as on this machine's) they pile up run after run, and claims and leases slow down with
   * them.
   */
  private void vacuum() throws SQLException {
    StoreConfig db = StoreConfig.fromDatabaseUrl(databaseUrl, Path.of("unused"), 1, secretsKey);
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement s = c.createStatement()) {
      s.execute("VACUUM ANALYZE deliveries, events, attempts, endpoint_slots, circuit_states");
    }
  }

  // ---------------------------------------------------------------------------- warm-up

  /**
   * Loads the server with every kind of work the scenarios measure, in slices of 10 s: single
   * publishes delivered to an endpoint (6 s), batches (2 s) and health checks (2 s). On two shared
   * cores the JIT compiles the server's paths for two minutes and more under load; the figures that
   * follow are for a warm server, and each slice's publish rate and server CPU per single publish
   * (delivery included) show how it got there.
   */
  private void warmUp(String keyA, String keyC) throws Exception {
    if (warmUpSeconds <= 0) {
      return;
    }
    System.out.printf(
        "[harness] warm-up: %d s of single publishes (delivered), batches and health checks%n",
        warmUpSeconds);
    int from = receiver.currentSecond();
    List<String> rates = new ArrayList<>();
    List<String> cpu = new ArrayList<>();
    for (int slice = 0; slice * 10 < warmUpSeconds; slice++) {
      double cpuBefore = serverCpuSeconds();
      IngestRun run = ingestRun(keyA, "warm-up" + slice, 6);
      // Deliveries may still run after the slice: the figure is a trend, not a measurement.
      cpu.add(String.format("%.0f", (serverCpuSeconds() - cpuBefore) * 1e6 / (run.rate * 6)));
      cpuLoad(keyC, BATCH, "warm-up" + slice, 2);
      cpuLoad(keyC, HEALTH, "warm-up" + slice, 2);
      rates.add(String.format("%.0f", run.rate));
    }
    awaitReceipts(TENANT_A, publishedA.get(), Duration.ofSeconds(120));
    System.out.println(
        "  single publishes per second, slice by slice: " + String.join(", ", rates));
    System.out.println(
        "  server CPU per single publish and its delivery (us), slice by slice: "
            + String.join(", ", cpu));
    phase("warm-up", from);
  }

  // --------------------------------------------------------------------- CPU per request

  /** One kind of request the CPU scenario sends, and how many events each carries. */
  private record Kind(String name, String title, String path, boolean post, int events) {}

  private static final Kind HEALTH =
      new Kind("health", "GET /health/live", "/health/live", false, 0);
  private static final Kind PUBLISH =
      new Kind("publish", "POST /api/v1/events (one event)", "/api/v1/events", true, 1);
  private static final Kind BATCH =
      new Kind(
          "batch",
          "POST /api/v1/events/batch (100 events), per event",
          "/api/v1/events/batch",
          true,
          100);

  /**
   * @param cpuMicros the server's CPU per request, per event for a batch
   * @param perSecond requests per second, events per second for a batch
   */
  private record Load(double cpuMicros, double perSecond) {}

  /**
   * The server's CPU time per request for a cheap reference ({@code GET /health/live}), a
   * single-event publish and a batch of 100, each under the same closed-loop load in the same run,
   * so that the ratios hold however busy the machine is. The tenant has no endpoint: only the
   * request path is measured.
   */
  private void cpuPerRequest(String tenantKey) throws Exception {
    System.out.printf(
        "[harness] server CPU per request: %d connections, %d s per kind x %d runs (after a"
            + " warm-up)%n",
        cpuConnections, cpuSeconds, runs);
    List<Kind> kinds = List.of(HEALTH, PUBLISH, BATCH);
    Map<String, List<Double>> perRequest = new LinkedHashMap<>();
    kinds.forEach(k -> perRequest.put(k.name(), new ArrayList<>()));
    List<Double> ratio = new ArrayList<>();
    List<Double> batchRate = new ArrayList<>();
    // After the warm-up, one round primes the connections and whatever each kind still compiles:
    // CPU spent compiling would count against the first kind measured.
    for (Kind kind : kinds) {
      cpuLoad(tenantKey, kind, "warm", cpuSeconds);
    }
    for (int r = 0; r < runs; r++) {
      StringBuilder line = new StringBuilder("  run " + (r + 1) + ":");
      for (Kind kind : kinds) {
        Load load = cpuLoad(tenantKey, kind, "r" + r, cpuSeconds);
        perRequest.get(kind.name()).add(load.cpuMicros());
        if (kind.events() > 1) {
          batchRate.add(load.perSecond());
        }
        line.append(
            String.format(
                " %s %.0f us (%.0f/s);", kind.name(), load.cpuMicros(), load.perSecond()));
      }
      double publishVsHealth = perRequest.get("publish").get(r) / perRequest.get("health").get(r);
      ratio.add(publishVsHealth);
      System.out.println(line.append(String.format(" publish / health %.2f", publishVsHealth)));
    }
    for (Kind kind : kinds) {
      results.figure(
          "cpu_" + kind.name(),
          "server CPU per " + kind.title(),
          "us",
          perRequest.get(kind.name()));
    }
    results.figure(
        "cpu_publish_vs_health",
        "server CPU of a single-event publish / GET /health/live",
        "x",
        ratio);
    results.figure(
        "batch_route_rate",
        "batch route, 100 events per request, no endpoint subscribed",
        "events/s",
        batchRate);
  }

  /**
   * Runs the load for {@code seconds}; returns the server's CPU microseconds per request (per event
   * for a batch).
   */
  private Load cpuLoad(String tenantKey, Kind kind, String label, int seconds) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(cpuConnections);
    AtomicLong requests = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    double cpuBefore = serverCpuSeconds();
    long start = System.nanoTime();
    long end = start + TimeUnit.SECONDS.toNanos(seconds);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < cpuConnections; t++) {
      int thread = t;
      futures.add(
          pool.submit(
              () -> {
                try (MiniHttp http = new MiniHttp(host, port)) {
                  for (long i = 0; System.nanoTime() < end; i++) {
                    MiniHttp.Response r =
                        kind.post()
                            ? http.post(
                                kind.path(),
                                tenantKey,
                                cpuBody(kind, label + "-" + thread + "-" + i))
                            : http.get(kind.path(), null);
                    if (r.status() / 100 == 2) {
                      requests.incrementAndGet();
                    } else {
                      failures.incrementAndGet();
                    }
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    pool.shutdown();
    double elapsed = (System.nanoTime() - start) / 1e9;
    double cpu = serverCpuSeconds() - cpuBefore;
    if (failures.get() > 0) {
      System.out.printf("  %s: %d requests failed%n", kind.name(), failures.get());
    }
    long units = requests.get() * Math.max(1, kind.events());
    return new Load(cpu * 1e6 / Math.max(1, units), units / elapsed);
  }

  private byte[] cpuBody(Kind kind, String id) {
    StringBuilder json = new StringBuilder(kind.events() > 1 ? "{\"events\":[" : "");
    for (int e = 0; e < Math.max(1, kind.events()); e++) {
      String key = stamp + "-cpu-" + id + "-" + e;
      json.append(e == 0 ? "" : ",")
          .append("{\"type\":\"memory.created\",\"subject\":\"memory/")
          .append(key)
          .append("\",\"idempotency_key\":\"")
          .append(key)
          .append("\",\"data\":{\"memory_id\":\"")
          .append(key)
          .append("\",\"user_id\":\"u-1\",\"importance\":0.5}}");
    }
    return json.append(kind.events() > 1 ? "]}" : "").toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The server JVM's CPU time so far (MicroProfile Metrics base metric). */
  private double serverCpuSeconds() throws IOException {
    try (MiniHttp http = new MiniHttp(host, port)) {
      double seconds = metric(http.get("/metrics?scope=base", null).text(), PROCESS_CPU);
      if (Double.isNaN(seconds)) {
        throw new IllegalStateException("the server publishes no " + PROCESS_CPU);
      }
      return seconds;
    }
  }

  // -------------------------------------------------------------------------- latency

  private void latency(String tenantKey) throws Exception {
    int perRun = latencyRate * latencySeconds;
    int warm = latencyRate * 5;
    System.out.printf(
        "[harness] latency at a steady %d events/s: %d s x %d runs (first 5 s of each not"
            + " counted), measured from the intended send time%n",
        latencyRate, latencySeconds, runs);
    long[] intended = new long[perRun * runs + 1];
    List<Double> p50 = new ArrayList<>();
    List<Double> p99 = new ArrayList<>();
    List<Double> publishP99 = new ArrayList<>();
    List<Map<String, Object>> detail = new ArrayList<>();
    int from = receiver.currentSecond();
    for (int r = 0; r < runs; r++) {
      Recorder receipts = new Recorder(3);
      Recorder responses = new Recorder(3);
      receiver.armLatency(intended, receipts);
      // A run starts once tenant A's earlier deliveries have all arrived: the probes would wait
      // behind them.
      awaitReceipts(TENANT_A, publishedA.get(), Duration.ofSeconds(120));
      vacuum();
      int offset = r * perRun;
      int[] errors = new int[1];
      runFixedRate(tenantKey, intended, offset, perRun, warm, receipts, responses, errors);
      long notSent = unsent.get();
      publishedA.addAndGet(perRun - notSent);
      awaitReceipts(TENANT_A, publishedA.get(), Duration.ofSeconds(60));
      receiver.disarmLatency();
      Histogram h = receipts.getIntervalHistogram();
      Histogram pub = responses.getIntervalHistogram();
      long missing = Math.max(0, publishedA.get() - receiver.verified(TENANT_A));
      // An empty histogram (nothing arrived in time) is no figure, not a latency of 0.
      p50.add(h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(50) / 1000.0);
      p99.add(h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(99) / 1000.0);
      publishP99.add(pub.getTotalCount() == 0 ? Double.NaN : pub.getValueAtPercentile(99) / 1000.0);
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("publish_to_receipt", Results.percentilesMillis(h));
      d.put("publish_response", Results.percentilesMillis(pub));
      d.put("missing", missing);
      d.put("not_sent_in_time", notSent);
      d.put("errors", errors[0]);
      detail.add(d);
      System.out.printf(
          "  run %d: receipt p50 %.2f ms p99 %.2f ms max %.1f ms; publish response p99 %.2f ms;"
              + " %d missing, %d errors, %d not sent in time%n",
          r + 1,
          p50.get(r),
          p99.get(r),
          h.getMaxValue() / 1000.0,
          publishP99.get(r),
          missing,
          errors[0],
          notSent);
    }
    phase("latency at " + latencyRate + "/s", from);
    results.figure("latency_p50", "publish-to-receipt p50 at " + latencyRate + "/s", "ms", p50);
    results.figure("latency_p99", "publish-to-receipt p99 at " + latencyRate + "/s", "ms", p99);
    results.figure(
        "latency_publish_p99",
        "REST publish response p99 at " + latencyRate + "/s",
        "ms",
        publishP99);
    results.put("latency_runs", detail);
  }

  /**
   * Sends event {@code offset + i} at {@code start + i / rate}. Senders that fall behind send late
   * but every latency is measured from the intended time, so a stall shows in the figures instead
   * of silently lowering the rate (coordinated omission).
   */
  private void runFixedRate(
      String tenantKey,
      long[] intended,
      int offset,
      int count,
      int warm,
      Recorder receipts,
      Recorder responses,
      int[] errors)
      throws Exception {
    int senders = 64;
    unsent.set(0);
    aborted.set(false);
    // When the server cannot sustain the rate the backlog of unsent events grows without end: stop
    // at twice the run's length, and count what was never sent at the latency it had by then (a
    // lower bound), rather than leave it out.
    long abortAt =
        System.nanoTime() + 2L * count * (1_000_000_000L / latencyRate) + 10_000_000_000L;
    BlockingQueue<Integer> queue = new ArrayBlockingQueue<>(count + senders);
    ExecutorService pool = Executors.newFixedThreadPool(senders);
    AtomicLong failed = new AtomicLong();
    for (int s = 0; s < senders; s++) {
      pool.submit(
          () -> {
            try (MiniHttp http = new MiniHttp(host, port)) {
              while (true) {
                int n = queue.take();
                if (n < 0) {
                  return null;
                }
                if (aborted.get() || System.nanoTime() > abortAt) {
                  aborted.set(true);
                  if (n - offset >= warm) {
                    long lowerBound = Math.max(0, (System.nanoTime() - intended[n]) / 1000);
                    responses.recordValue(lowerBound);
                    receipts.recordValue(lowerBound);
                    intended[n] = 0;
                  }
                  unsent.incrementAndGet();
                  continue;
                }
                String id = "lat-" + n;
                byte[] json =
                    ("{\"type\":\"memory.created\",\"subject\":\"memory/"
                            + stamp
                            + n
                            + "\",\"idempotency_key\":\""
                            + stamp
                            + "-"
                            + id
                            + "\",\"data\":{\"memory_id\":\""
                            + id
                            + "\",\"user_id\":\"u-1\"}}")
                        .getBytes(StandardCharsets.UTF_8);
                try {
                  MiniHttp.Response r = http.post("/api/v1/events", tenantKey, json);
                  if (r.status() != 202) {
                    failed.incrementAndGet();
                  }
                } catch (IOException e) {
                  failed.incrementAndGet();
                }
                if (n - offset >= warm) {
                  responses.recordValue(Math.max(0, (System.nanoTime() - intended[n]) / 1000));
                }
              }
            }
          });
    }
    long start = System.nanoTime() + 50_000_000L;
    long interval = 1_000_000_000L / latencyRate;
    for (int i = 0; i < count; i++) {
      long at = start + i * interval;
      long wait;
      while ((wait = at - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      int n = offset + i;
      // Warm-up events are not probed: their receipts are not recorded.
      intended[n] = i >= warm ? at : 0;
      queue.put(n);
    }
    for (int s = 0; s < senders; s++) {
      queue.put(-1);
    }
    pool.shutdown();
    pool.awaitTermination(2, TimeUnit.MINUTES);
    errors[0] = (int) failed.get();
  }
}
