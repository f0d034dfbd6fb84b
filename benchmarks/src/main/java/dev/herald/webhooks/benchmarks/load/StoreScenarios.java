package dev.herald.webhooks.benchmarks.load;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.herald.webhooks.api.CatalogEventTypes;
import dev.herald.webhooks.api.Event;
import dev.herald.webhooks.api.MigrationPhase;
import dev.herald.webhooks.api.NewEvent;
import dev.herald.webhooks.api.Priority;
import dev.herald.webhooks.api.SignatureProfile;
import dev.herald.webhooks.core.circuit.CircuitBreakerPolicy;
import dev.herald.webhooks.core.ids.Ids;
import dev.herald.webhooks.core.publish.DefaultEventPublisher;
import dev.herald.webhooks.core.registry.EventTypeRegistry;
import dev.herald.webhooks.core.registry.TransportRegistry;
import dev.herald.webhooks.core.retry.RetrySchedule;
import dev.herald.webhooks.core.routing.PhaseSelection;
import dev.herald.webhooks.core.signing.WebhookSecrets;
import dev.herald.webhooks.core.validation.EventValidator;
import dev.herald.webhooks.spi.AttemptRecord;
import dev.herald.webhooks.spi.BatchPolicy;
import dev.herald.webhooks.spi.ClaimedDelivery;
import dev.herald.webhooks.spi.DeliveryResult;
import dev.herald.webhooks.spi.DeliveryTarget;
import dev.herald.webhooks.spi.Endpoint;
import dev.herald.webhooks.spi.EndpointFormat;
import dev.herald.webhooks.spi.NewEndpoint;
import dev.herald.webhooks.spi.Ordering;
import dev.herald.webhooks.spi.PreparedEvent;
import dev.herald.webhooks.store.jpa.JpaStore;
import dev.herald.webhooks.store.jpa.JpaStores;
import dev.herald.webhooks.store.jpa.StoreConfig;
import dev.herald.webhooks.worker.DeliveryWorker;
import dev.herald.webhooks.worker.Transports;
import dev.herald.webhooks.worker.WorkerOptions;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Figures of the store alone, each in its own PostgreSQL schema of the benchmark database: batch
 * publishing in process, the queue's claim-and-complete beside db-scheduler, and claim latency with
 * a million pending deliveries.
 */
final class StoreScenarios {
  private static final Duration LEASE = Duration.ofSeconds(30);

  private final StoreConfig base;
  private final int runs;
  private final Path out;
  private final Args args;

  StoreScenarios(Args a) {
    base =
        StoreConfig.fromDatabaseUrl(
            a.required("database-url"), Path.of("unused"), 8, Optional.empty());
    runs = a.getInt("runs", 3);
    out = Path.of(a.get("out", "benchmarks/target/results"));
    args = a;
  }

  private StoreConfig freshSchema(String schema, int pool) throws SQLException {
    try (Connection c = DriverManager.getConnection(base.jdbcUrl(), base.user(), base.password());
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      s.execute("CREATE SCHEMA " + schema);
    }
    return new StoreConfig(
        withSchema(schema), base.user(), base.password(), pool, Optional.empty());
  }

  private String withSchema(String schema) {
    return base.jdbcUrl() + (base.jdbcUrl().contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  private Connection jdbc(String schema) throws SQLException {
    return DriverManager.getConnection(withSchema(schema), base.user(), base.password());
  }

  private static void exec(Connection c, String... sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      for (String q : sql) {
        s.execute(q);
      }
    }
  }

  /** A {@code memory.created} of about 300 bytes, the event every scenario publishes. */
  static NewEvent event(String tenant, String id) {
    return new NewEvent(
        tenant,
        CatalogEventTypes.MEMORY_CREATED,
        "memory/" + id,
        id,
        Map.of(
            "memory_id",
            id,
            "user_id",
            "u-1",
            "content_preview",
            "benchmark event body of a realistic size, about three hundred bytes",
            "concepts",
            List.of("load", "test"),
            "importance",
            0.5),
        Map.of());
  }

  // ----------------------------------------------------------------- in-process publish

  void inProcess() throws Exception {
    Results results = new Results("inproc");
    int threads = args.getInt("publish-threads", 2);
    int batchSize = args.getInt("batch-size", 500);
    int seconds = args.getInt("publish-seconds", 10);
    System.out.printf(
        "[harness] in-process publish: publishAll batches of %d from %d threads, %d s x %d runs;"
            + " single publish from 8 threads, 5 s x %d runs%n",
        batchSize, threads, seconds, runs, runs);
    StoreConfig config = freshSchema("bench_inproc", 10);
    try (JpaStore store = JpaStores.open(config)) {
      store.create(
          NewEndpoint.http(
              "acme",
              "https://hooks.example.com/in",
              List.of("memory.*"),
              WebhookSecrets.generate()));
      DefaultEventPublisher publisher =
          new DefaultEventPublisher(
              new EventValidator(new EventTypeRegistry(List.of()), 256 * 1024),
              store,
              () -> PhaseSelection.of(MigrationPhase.WEBHOOK_ONLY),
              store,
              Duration.ofHours(24),
              Clock.systemUTC());
      publishFor(publisher, "warm", threads, batchSize, 3);
      List<Double> batchRates = new ArrayList<>();
      for (int r = 0; r < runs; r++) {
        double rate = publishFor(publisher, "b" + r, threads, batchSize, seconds);
        batchRates.add(rate);
        System.out.printf("  batch run %d: %.0f events/s%n", r + 1, rate);
      }
      results.figure(
          "inproc_batch_rate",
          "in-process batch publish (publishAll of " + batchSize + ", " + threads + " threads)",
          "events/s",
          batchRates);
      List<Double> singleRates = new ArrayList<>();
      for (int r = 0; r < runs; r++) {
        double rate = publishFor(publisher, "s" + r, 8, 1, 5);
        singleRates.add(rate);
        System.out.printf("  single run %d: %.0f events/s%n", r + 1, rate);
      }
      results.figure(
          "inproc_single_rate",
          "in-process single publish (8 threads), for comparison",
          "events/s",
          singleRates);
    }
    results.write(out);
  }

  private static double publishFor(
      DefaultEventPublisher publisher, String label, int threads, int batchSize, int seconds)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    long start = System.nanoTime();
    List<Future<Long>> futures = new ArrayList<>();
    String stamp = Long.toString(System.nanoTime(), 36);
    for (int t = 0; t < threads; t++) {
      int thread = t;
      futures.add(
          pool.submit(
              () -> {
                long n = 0;
                while (System.nanoTime() < end) {
                  if (batchSize == 1) {
                    publisher.publish(event("acme", stamp + label + thread + "-" + n));
                    n++;
                    continue;
                  }
                  List<NewEvent> batch = new ArrayList<>(batchSize);
                  for (int i = 0; i < batchSize; i++) {
                    batch.add(event("acme", stamp + label + thread + "-" + (n + i)));
                  }
                  publisher.publishAll(batch);
                  n += batchSize;
                }
                return n;
              }));
    }
    long total = 0;
    for (Future<Long> f : futures) {
      total += f.get();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    return total / elapsed;
  }

  // ------------------------------------------------------------- queue vs db-scheduler

  void queue() throws Exception {
    Results results = new Results("queue");
    int jobs = args.getInt("queue-jobs", 50_000);
    int heraldThreads = args.getInt("queue-herald-threads", 4);
    int schedulerThreads = args.getInt("queue-dbscheduler-threads", 16);
    System.out.printf(
        "[harness] queue: %d due jobs; Herald claim(100)+record from %d threads vs db-scheduler"
            + " (%d threads, lock-and-fetch) running no-op tasks; %d runs each%n",
        jobs, heraldThreads, schedulerThreads, runs);
    StoreConfig config = freshSchema("bench_queue", heraldThreads + 2);
    List<Double> herald = new ArrayList<>();
    try (JpaStore store = JpaStores.open(config)) {
      for (int r = 0; r <= runs; r++) {
        try (Connection c = jdbc("bench_queue")) {
          exec(c, "DELETE FROM attempts", "DELETE FROM deliveries", "DELETE FROM events");
        }
        preload(store, jobs);
        try (Connection c = jdbc("bench_queue")) {
          exec(c, "VACUUM ANALYZE deliveries", "VACUUM ANALYZE events");
        }
        double rate = drain(store, heraldThreads, jobs);
        if (r == 0) {
          System.out.printf("  Herald warm-up: %.0f jobs/s%n", rate);
          continue;
        }
        herald.add(rate);
        System.out.printf("  Herald run %d: %.0f jobs/s%n", r, rate);
      }
    }
    results.figure(
        "queue_herald",
        "Herald queue claim+complete (batches of 100, " + heraldThreads + " threads)",
        "jobs/s",
        herald);

    List<Double> peer = new ArrayList<>();
    HikariConfig hikari = new HikariConfig();
    hikari.setJdbcUrl(withSchema("bench_queue"));
    hikari.setUsername(base.user());
    hikari.setPassword(base.password());
    hikari.setMaximumPoolSize(schedulerThreads + 4);
    try (HikariDataSource ds = new HikariDataSource(hikari)) {
      try (Connection c = ds.getConnection()) {
        exec(
            c,
            "DROP TABLE IF EXISTS scheduled_tasks",
            // db-scheduler's PostgreSQL table definition (postgresql_tables.sql).
            "CREATE TABLE scheduled_tasks (task_name TEXT NOT NULL, task_instance TEXT NOT NULL,"
                + " task_data BYTEA, execution_time TIMESTAMP WITH TIME ZONE NOT NULL,"
                + " picked BOOLEAN NOT NULL, picked_by TEXT,"
                + " last_success TIMESTAMP WITH TIME ZONE, last_failure TIMESTAMP WITH TIME ZONE,"
                + " consecutive_failures INT, last_heartbeat TIMESTAMP WITH TIME ZONE,"
                + " version BIGINT NOT NULL, priority SMALLINT,"
                + " PRIMARY KEY (task_name, task_instance))",
            "CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time)",
            "CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat)",
            "CREATE INDEX priority_execution_time_idx ON scheduled_tasks"
                + " (priority DESC, execution_time ASC)");
      }
      for (int r = 0; r <= runs; r++) {
        double rate = dbScheduler(ds, jobs, schedulerThreads, r);
        if (r == 0) {
          System.out.printf("  db-scheduler warm-up: %.0f jobs/s%n", rate);
          continue;
        }
        peer.add(rate);
        System.out.printf("  db-scheduler run %d: %.0f jobs/s%n", r, rate);
      }
    }
    results.figure(
        "queue_dbscheduler",
        "db-scheduler 16.12.0 no-op one-time tasks (" + schedulerThreads + " threads)",
        "jobs/s",
        peer);
    List<Double> ratio = new ArrayList<>();
    for (int i = 0; i < Math.min(herald.size(), peer.size()); i++) {
      ratio.add(herald.get(i) / peer.get(i));
    }
    results.figure("queue_ratio", "Herald / db-scheduler (pairwise by run)", "x", ratio);
    results.write(out);
  }

  // ---------------------------------------------------------------- latency of batching

  /**
   * Publish-to-receipt latency at a steady rate through an in-process worker to a loopback
   * receiver, for one endpoint without batching and with each batch setting of {@code
   * --batching-waits} (milliseconds, {@code max_events} 100): the latency batching adds.
   */
  void batching() throws Exception {
    Results results = new Results("batching");
    int rate = args.getInt("batching-rate", 1000);
    int seconds = args.getInt("batching-seconds", 10);
    Duration poll = Duration.ofMillis(args.getInt("batching-poll-ms", 500));
    List<Integer> waits = new ArrayList<>();
    waits.add(-1);
    for (String w : args.get("batching-waits", "0,100,1000").split(",")) {
      waits.add(Integer.parseInt(w.trim()));
    }
    System.out.printf(
        "[harness] batching: %d events/s for %d s per setting (first 2 s not counted), one"
            + " in-process worker (poll %d ms), loopback receiver; %d runs%n",
        rate, seconds, poll.toMillis(), runs);
    StoreConfig config = freshSchema("bench_batching", 12);
    Map<String, String> transportSettings =
        Map.of(
            "herald.ssrf.allowed-networks", "127.0.0.0/8",
            "herald.ssrf.allowed-ports", "*");
    try (JpaStore store = JpaStores.open(config);
        Receiver receiver = new Receiver(0, 16);
        Transports transports =
            new Transports(
                TransportRegistry.load(getClass().getClassLoader()),
                k -> Optional.ofNullable(transportSettings.get(k)))) {
      DefaultEventPublisher publisher =
          new DefaultEventPublisher(
              new EventValidator(new EventTypeRegistry(List.of()), 256 * 1024),
              store,
              () -> PhaseSelection.of(MigrationPhase.WEBHOOK_ONLY),
              store,
              Duration.ofHours(24),
              Clock.systemUTC());
      WorkerOptions options =
          new WorkerOptions(
              "bench-batching",
              16,
              100,
              Duration.ofSeconds(30),
              poll,
              10,
              RetrySchedule.defaults(),
              0.0,
              CircuitBreakerPolicy.defaults(),
              Duration.ofDays(5),
              Duration.ofHours(1));
      DeliveryWorker worker =
          new DeliveryWorker(
              store,
              store,
              transports,
              () -> PhaseSelection.of(MigrationPhase.WEBHOOK_ONLY),
              options,
              Clock.systemUTC(),
              null);
      worker.start();
      try {
        long[] intended = new long[rate * seconds * (runs + 1) * waits.size() + 1];
        int next = 0;
        Map<Integer, List<Double>> p50 = new LinkedHashMap<>();
        Map<Integer, List<Double>> p99 = new LinkedHashMap<>();
        for (int r = 0; r <= runs; r++) {
          for (int wait : waits) {
            String tenant = "batching-" + r + "-" + (wait < 0 ? "none" : wait);
            Endpoint endpoint =
                store.create(
                    new NewEndpoint(
                        tenant,
                        "http://127.0.0.1:" + receiver.port() + "/hook/" + tenant,
                        "http",
                        List.of("memory.*"),
                        SignatureProfile.STANDARD,
                        null,
                        WebhookSecrets.generate(),
                        null,
                        Map.of(),
                        null,
                        10,
                        null,
                        null,
                        Ordering.NONE,
                        wait < 0 ? null : new BatchPolicy(100, Duration.ofMillis(wait)),
                        EndpointFormat.HERALD,
                        false));
            receiver.register(tenant, endpoint.secrets().get(0).value());
            Recorder receipts = new Recorder(3);
            int first = next;
            int count = rate * seconds;
            long start = System.nanoTime() + 50_000_000L;
            receiver.armLatency(intended, receipts, start + 2_000_000_000L);
            for (int i = 0; i < count; i++) {
              intended[first + i] = start + (long) i * 1_000_000_000L / rate;
            }
            publishAtRate(publisher, tenant, intended, first, count);
            next += count;
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (receiver.probes() < count && System.nanoTime() < deadline) {
              Thread.sleep(50);
            }
            receiver.disarmLatency();
            // The first 2 s of each setting warm it up; the percentiles come from the rest.
            Histogram counted = receipts.getIntervalHistogram();
            String name = wait < 0 ? "none" : "batch 100 / " + wait + " ms";
            if (r == 0) {
              System.out.printf(
                  "  %s warm-up: p50 %.1f ms, p99 %.1f ms%n",
                  name,
                  counted.getValueAtPercentile(50) / 1000.0,
                  counted.getValueAtPercentile(99) / 1000.0);
              continue;
            }
            p50.computeIfAbsent(wait, w -> new ArrayList<>())
                .add(counted.getValueAtPercentile(50) / 1000.0);
            p99.computeIfAbsent(wait, w -> new ArrayList<>())
                .add(counted.getValueAtPercentile(99) / 1000.0);
            System.out.printf(
                "  %s run %d: p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d requests for %d events%n",
                name,
                r,
                counted.getValueAtPercentile(50) / 1000.0,
                counted.getValueAtPercentile(99) / 1000.0,
                counted.getMaxValue() / 1000.0,
                receiver.verified(tenant),
                count);
          }
        }
        for (int wait : waits) {
          String key = wait < 0 ? "none" : "wait_" + wait;
          String title = wait < 0 ? "no batching" : "batch max_events 100, max_wait_ms " + wait;
          results.figure(
              "batching_p50_" + key, title + ": p50 at " + rate + "/s", "ms", p50.get(wait));
          results.figure(
              "batching_p99_" + key, title + ": p99 at " + rate + "/s", "ms", p99.get(wait));
        }
      } finally {
        worker.stop(Duration.ofSeconds(10));
      }
    }
    results.write(out);
  }

  /** Publishes event {@code first + i} at {@code intended[first + i]} from 8 threads. */
  private static void publishAtRate(
      DefaultEventPublisher publisher, String tenant, long[] intended, int first, int count)
      throws Exception {
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int offset = t;
        futures.add(
            pool.submit(
                () -> {
                  for (int i = offset; i < count; i += threads) {
                    long wait = intended[first + i] - System.nanoTime();
                    if (wait > 0) {
                      java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                    publisher.publish(
                        NewEvent.of(
                            tenant,
                            "memory.created",
                            Map.of("memory_id", "lat-" + (first + i), "user_id", "u")));
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  // ----------------------------------------------------------- claims with ordered delivery

  /**
   * Claim-and-record throughput of three claimers on a backlog of {@code subjects} x {@code
   * per-subject} events to one endpoint, with ordering off and then on: with it, each claim finds
   * only the subjects' heads and each record releases the next of every subject it finishes.
   */
  void ordered() throws Exception {
    Results results = new Results("ordered");
    int subjects = args.getInt("ordered-subjects", 1000);
    int perSubject = args.getInt("ordered-per-subject", 50);
    int threads = args.getInt("ordered-threads", 3);
    System.out.printf(
        "[harness] ordered: %d subjects x %d events to one endpoint, %d claimers of 100;"
            + " ordering none vs subject; %d runs each%n",
        subjects, perSubject, threads, runs);
    StoreConfig config = freshSchema("bench_ordered", threads + 2);
    Map<Ordering, List<Double>> rates = new java.util.EnumMap<>(Ordering.class);
    try (JpaStore store = JpaStores.open(config)) {
      for (int r = 0; r <= runs; r++) {
        for (Ordering ordering : Ordering.values()) {
          try (Connection c = jdbc("bench_ordered")) {
            exec(
                c,
                "DELETE FROM attempts",
                "DELETE FROM deliveries",
                "DELETE FROM events",
                "DELETE FROM subject_sequences",
                "DELETE FROM endpoint_slots",
                "DELETE FROM circuit_states",
                "DELETE FROM endpoints");
          }
          Endpoint endpoint =
              store.create(
                  NewEndpoint.http("acme", "https://ordered.example/h", List.of("*"), "whsec_bench")
                      .withMaxInFlight(1000)
                      .withOrdering(ordering));
          preloadSubjects(store, endpoint, subjects, perSubject);
          try (Connection c = jdbc("bench_ordered")) {
            exec(c, "VACUUM ANALYZE deliveries", "VACUUM ANALYZE events");
          }
          double rate = drain(store, threads, subjects * perSubject);
          String name = ordering.wireName();
          if (r == 0) {
            System.out.printf("  %s warm-up: %.0f deliveries/s%n", name, rate);
            continue;
          }
          rates.computeIfAbsent(ordering, o -> new ArrayList<>()).add(rate);
          System.out.printf("  %s run %d: %.0f deliveries/s%n", name, r, rate);
        }
      }
    }
    results.figure(
        "ordered_none",
        "claim+record, ordering none (" + threads + " claimers)",
        "deliveries/s",
        rates.get(Ordering.NONE));
    results.figure(
        "ordered_subject",
        "claim+record, ordering subject, " + subjects + " subjects x " + perSubject,
        "deliveries/s",
        rates.get(Ordering.SUBJECT));
    List<Double> ratio = new ArrayList<>();
    for (int i = 0; i < rates.get(Ordering.NONE).size(); i++) {
      ratio.add(rates.get(Ordering.SUBJECT).get(i) / rates.get(Ordering.NONE).get(i));
    }
    results.figure("ordered_ratio", "ordering subject / none (pairwise by run)", "x", ratio);
    results.write(out);
  }

  /** The subjects' events interleaved, as many producers would publish them. */
  private static void preloadSubjects(
      JpaStore store, Endpoint endpoint, int subjects, int perSubject) {
    Ids ids = Ids.system();
    List<DeliveryTarget> targets = List.of(DeliveryTarget.endpoint(endpoint));
    List<PreparedEvent> batch = new ArrayList<>();
    for (int i = 0; i < perSubject; i++) {
      for (int s = 0; s < subjects; s++) {
        String id = ids.next(Ids.EVENT);
        batch.add(
            new PreparedEvent(
                new Event(
                    id,
                    CatalogEventTypes.MEMORY_UPDATED,
                    Instant.now(),
                    "acme",
                    id,
                    1,
                    "memory/" + s,
                    0,
                    Map.of("memory_id", "m-" + s, "user_id", "u"),
                    Map.of()),
                Priority.NORMAL,
                targets,
                Duration.ofHours(24)));
        if (batch.size() == 500) {
          store.publishAll(
              batch, e -> ("{\"id\":\"" + e.id() + "\"}").getBytes(StandardCharsets.UTF_8));
          batch.clear();
        }
      }
    }
    if (!batch.isEmpty()) {
      store.publishAll(
          batch, e -> ("{\"id\":\"" + e.id() + "\"}").getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void preload(JpaStore store, int jobs) {
    Ids ids = Ids.system();
    List<DeliveryTarget> targets = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      targets.add(new DeliveryTarget("http", "wh_" + i));
    }
    List<PreparedEvent> batch = new ArrayList<>();
    for (int i = 0; i < jobs / 10; i++) {
      String id = ids.next(Ids.EVENT);
      batch.add(
          new PreparedEvent(
              new Event(
                  id,
                  CatalogEventTypes.MEMORY_CREATED,
                  Instant.now(),
                  "acme",
                  id,
                  1,
                  null,
                  0,
                  Map.of("memory_id", id, "user_id", "u"),
                  Map.of()),
              Priority.NORMAL,
              targets,
              Duration.ofHours(24)));
      if (batch.size() == 500) {
        store.publishAll(
            batch, e -> ("{\"id\":\"" + e.id() + "\"}").getBytes(StandardCharsets.UTF_8));
        batch.clear();
      }
    }
    if (!batch.isEmpty()) {
      store.publishAll(
          batch, e -> ("{\"id\":\"" + e.id() + "\"}").getBytes(StandardCharsets.UTF_8));
    }
  }

  private static double drain(JpaStore store, int threads, int jobs) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    AtomicLong done = new AtomicLong();
    long start = System.nanoTime();
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String owner = "bench-" + t;
      futures.add(
          pool.submit(
              () -> {
                while (true) {
                  List<ClaimedDelivery> claimed = store.claim(owner, 100, LEASE);
                  if (claimed.isEmpty()) {
                    return null;
                  }
                  List<DeliveryResult> outcomes = new ArrayList<>(claimed.size());
                  for (ClaimedDelivery d : claimed) {
                    outcomes.add(
                        new DeliveryResult(
                            d.deliveryId(),
                            new AttemptRecord(
                                d.attempt(), Instant.now(), Duration.ZERO, 204, "", null, null),
                            new DeliveryResult.Succeeded()));
                  }
                  store.record(owner, outcomes);
                  done.addAndGet(claimed.size());
                }
              }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    if (done.get() != jobs) {
      throw new IllegalStateException("drained " + done.get() + " of " + jobs);
    }
    return jobs / elapsed;
  }

  private static double dbScheduler(HikariDataSource ds, int jobs, int threads, int run)
      throws Exception {
    AtomicLong executed = new AtomicLong();
    long[] lastAt = new long[1];
    OneTimeTask<Void> task =
        Tasks.oneTime("noop-" + run)
            .execute(
                (instance, context) -> {
                  if (executed.incrementAndGet() == jobs) {
                    lastAt[0] = System.nanoTime();
                  }
                });
    Scheduler scheduler =
        Scheduler.create(ds, task)
            .threads(threads)
            .pollUsingLockAndFetch(0.5, 3.0)
            .pollingInterval(Duration.ofMillis(50))
            .build();
    List<TaskInstance<?>> batch = new ArrayList<>();
    Instant due = Instant.now().minusSeconds(1);
    for (int i = 0; i < jobs; i++) {
      batch.add(task.instance("j" + i));
      if (batch.size() == 1000) {
        scheduler.scheduleBatch(batch, due);
        batch.clear();
      }
    }
    if (!batch.isEmpty()) {
      scheduler.scheduleBatch(batch, due);
    }
    try (Connection c = ds.getConnection()) {
      exec(c, "VACUUM ANALYZE scheduled_tasks");
    }
    long start = System.nanoTime();
    scheduler.start();
    long deadline = start + TimeUnit.MINUTES.toNanos(5);
    while (executed.get() < jobs && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    scheduler.stop();
    if (executed.get() < jobs) {
      throw new IllegalStateException("db-scheduler executed " + executed.get() + " of " + jobs);
    }
    // Completing a one-time task deletes its row; wait for the last completions to be written.
    return jobs / ((lastAt[0] - start) / 1e9);
  }

  // --------------------------------------------------------------------- claim latency

  void claimLatency() throws Exception {
    Results results = new Results("claim");
    int big = args.getInt("claim-pending", 1_000_000);
    int claims = args.getInt("claim-samples", 300);
    System.out.printf(
        "[harness] claim latency: %d claims of 100 (each recorded as delivered) with %d pending"
            + " vs a queue holding only what the claims take; %d runs%n",
        claims, big, runs);
    StoreConfig config = freshSchema("bench_claim", 4);
    List<Double> smallP50 = new ArrayList<>();
    List<Double> smallP99 = new ArrayList<>();
    List<Double> bigP50 = new ArrayList<>();
    List<Double> bigP99 = new ArrayList<>();
    List<Double> emptyP50 = new ArrayList<>();
    try (JpaStore store = JpaStores.open(config)) {
      long fillStart = System.nanoTime();
      fill(big);
      System.out.printf(
          "  filled %d pending deliveries in %.1f s%n", big, (System.nanoTime() - fillStart) / 1e9);
      for (int r = 0; r < runs; r++) {
        Histogram h = sampleClaims(store, claims);
        bigP50.add(h.getValueAtPercentile(50) / 1000.0);
        bigP99.add(h.getValueAtPercentile(99) / 1000.0);
        System.out.printf(
            "  %d pending, run %d: p50 %.2f ms p99 %.2f ms%n",
            big, r + 1, bigP50.get(r), bigP99.get(r));
      }
      fill(claims * 100 * runs);
      for (int r = 0; r < runs; r++) {
        Histogram h = sampleClaims(store, claims);
        smallP50.add(h.getValueAtPercentile(50) / 1000.0);
        smallP99.add(h.getValueAtPercentile(99) / 1000.0);
        System.out.printf(
            "  %d pending, run %d: p50 %.2f ms p99 %.2f ms%n",
            claims * 100 * (runs - r), r + 1, smallP50.get(r), smallP99.get(r));
      }
      for (int r = 0; r < runs; r++) {
        Histogram h = sampleClaims(store, claims);
        emptyP50.add(h.getValueAtPercentile(50) / 1000.0);
      }
    }
    results.figure("claim_big_p50", "claim(100) p50 with " + big + " pending", "ms", bigP50);
    results.figure("claim_big_p99", "claim(100) p99 with " + big + " pending", "ms", bigP99);
    results.figure(
        "claim_small_p50", "claim(100) p50 with only what the claims take pending", "ms", smallP50);
    results.figure(
        "claim_small_p99", "claim(100) p99 with only what the claims take pending", "ms", smallP99);
    results.figure("claim_empty_p50", "claim(100) p50 on an empty queue", "ms", emptyP50);
    List<Double> ratio = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      ratio.add(bigP50.get(i) / smallP50.get(i));
    }
    results.figure("claim_ratio_p50", "claim p50 ratio, 1M pending / small queue", "x", ratio);
    Map<String, Object> setup = new LinkedHashMap<>();
    setup.put("pending", big);
    setup.put("claims_per_run", claims);
    results.put("setup", setup);
    results.write(out);
  }

  /** Empties the outbox and writes {@code pending} due first attempts with SQL, 100 per event. */
  private void fill(int pending) throws SQLException {
    try (Connection c = jdbc("bench_claim")) {
      exec(
          c,
          "DELETE FROM attempts",
          "DELETE FROM deliveries",
          "DELETE FROM events",
          "INSERT INTO events (id, tenant_id, type, idempotency_key, dedup_key, subject, sequence,"
              + " priority, created_at, body) SELECT 'evt_fill_' || g, 'fill', 'memory.created',"
              + " 'k' || g, 'k' || g, NULL, g, 1, now(), convert_to(repeat('x', 600), 'UTF8')"
              + " FROM generate_series(1, "
              + Math.max(1, pending / 100)
              + ") g",
          "INSERT INTO deliveries (id, event_id, tenant_id, endpoint_id, transport, status,"
              + " priority, attempts, next_attempt_at, created_at, updated_at)"
              + " SELECT 'dlv_fill_' || lpad(g::text, 9, '0'), 'evt_fill_' || (g / 100 + 1),"
              + " 'fill', 'wh_1', 'http', 'pending', "
              + Priority.NORMAL.rank()
              + ", 0, now() - interval '1 millisecond' * (g % 100000), now(), now()"
              + " FROM generate_series(0, "
              + (pending - 1)
              + ") g",
          "VACUUM ANALYZE events",
          "VACUUM ANALYZE deliveries");
    }
  }

  private static Histogram sampleClaims(JpaStore store, int claims) {
    Histogram h = new Histogram(60_000_000L, 3);
    for (int i = 0; i < claims; i++) {
      long t0 = System.nanoTime();
      List<ClaimedDelivery> claimed = store.claim("bench", 100, LEASE);
      h.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
      if (claimed.isEmpty()) {
        continue;
      }
      List<DeliveryResult> outcomes = new ArrayList<>(claimed.size());
      for (ClaimedDelivery d : claimed) {
        outcomes.add(
            new DeliveryResult(
                d.deliveryId(),
                new AttemptRecord(d.attempt(), Instant.now(), Duration.ZERO, 204, "", null, null),
                new DeliveryResult.Succeeded()));
      }
      store.record("bench", outcomes);
    }
    return h;
  }
}
