package dev.herald.webhooks.worker;

import dev.herald.webhooks.core.config.ConfigurationException;
import dev.herald.webhooks.core.config.HeraldSettings;
import dev.herald.webhooks.core.migration.MigrationPhases;
import dev.herald.webhooks.core.publish.DefaultEventPublisher;
import dev.herald.webhooks.core.registry.EventTypeRegistry;
import dev.herald.webhooks.core.registry.TransportRegistry;
import dev.herald.webhooks.core.validation.EventValidator;
import dev.herald.webhooks.spi.Transport;
import dev.herald.webhooks.spi.TransportConfig;
import dev.herald.webhooks.store.jpa.JpaStore;
import dev.herald.webhooks.store.jpa.JpaStores;
import dev.herald.webhooks.store.jpa.StoreConfig;
import dev.herald.webhooks.worker.logging.JsonLogFormatter;
import dev.herald.webhooks.worker.logging.WorkerLogManager;
import dev.herald.webhooks.worker.metrics.HeraldMeters;
import dev.herald.webhooks.worker.metrics.PrometheusRegistry;
import dev.herald.webhooks.worker.tracing.TracingTransport;
import dev.herald.webhooks.worker.tracing.WorkerTracing;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The standalone worker: {@code java -jar webhooks-worker.jar}, configured by environment variables
 * ({@code DATABASE_URL}, {@code WEBHOOK_WORKERS}, ...; see docs/configuration.md). Runs until
 * SIGTERM or SIGINT, then stops gracefully. Exits 2 with a message naming the key on bad
 * configuration, 1 when the database cannot be opened.
 */
public final class WorkerMain {
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(25);
  private static final Duration STATS_EVERY = Duration.ofSeconds(30);

  private WorkerMain() {}

  /** One JSON object per line on standard error (HERALD_LOG_FORMAT=text for plain lines). */
  private static void useJsonLogs() {
    java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    for (java.util.logging.Handler handler : root.getHandlers()) {
      root.removeHandler(handler);
    }
    java.util.logging.ConsoleHandler console = new java.util.logging.ConsoleHandler();
    console.setFormatter(new JsonLogFormatter());
    root.addHandler(console);
  }

  private static void runAdmin(String[] args, HeraldSettings settings, StoreConfig storeConfig) {
    try (JpaStore store = JpaStores.open(storeConfig)) {
      new AdminCommand(store, settings.migrationPhase(), System.out, Clock.systemUTC()).run(args);
    } catch (IllegalArgumentException e) {
      System.err.println("herald: " + e.getMessage());
      System.exit(2);
    }
  }

  public static void main(String[] args) throws InterruptedException {
    if (System.getProperty("java.util.logging.manager") == null) {
      System.setProperty("java.util.logging.manager", WorkerLogManager.class.getName());
    }
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty(
          "java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %3$s: %5$s%6$s%n");
    }
    Config config = ConfigProvider.getConfig();
    if (!config.getOptionalValue("herald.log.format", String.class).orElse("json").equals("text")) {
      useJsonLogs();
    }
    WorkerLogManager.keepHandlersUntilExit();
    System.Logger log = System.getLogger(WorkerMain.class.getName());

    HeraldSettings settings;
    StoreConfig storeConfig;
    try {
      settings = HeraldSettings.load(config);
      storeConfig =
          StoreConfig.fromDatabaseUrl(
              settings.databaseUrl().orElse(null),
              settings.dataDirectory(),
              Math.max(4, settings.workers() / 4 + 4),
              settings.secretsKey());
    } catch (ConfigurationException | IllegalArgumentException e) {
      System.err.println("herald worker: " + e.getMessage());
      System.exit(2);
      return;
    }

    if (AdminCommand.handles(args)) {
      runAdmin(args, settings, storeConfig);
      return;
    }
    if (args.length > 0) {
      System.err.println(AdminCommand.USAGE);
      System.exit(args[0].equals("--help") ? 0 : 2);
      return;
    }
    if (settings.productionProblem().isPresent()) {
      System.err.println("herald worker: " + settings.productionProblem().get());
      System.exit(2);
      return;
    }

    Optional<OpenTelemetrySdk> tracing;
    try {
      tracing = WorkerTracing.start(key -> config.getOptionalValue(key, String.class));
    } catch (RuntimeException e) {
      StringBuilder why = new StringBuilder(String.valueOf(e.getMessage()));
      for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
        why.append(": ").append(cause.getMessage());
      }
      System.err.println("herald worker: invalid OpenTelemetry settings (OTEL_*): " + why);
      System.exit(2);
      return;
    }
    Map<String, UnaryOperator<Transport>> decorators = new HashMap<>();
    tracing.ifPresent(otel -> decorators.put("http", http -> new TracingTransport(http, otel)));
    TransportConfig transportConfig = key -> config.getOptionalValue(key, String.class);
    Transports transports =
        new Transports(
            TransportRegistry.load(WorkerMain.class.getClassLoader()), transportConfig, decorators);
    try {
      transports.get("http");
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("herald worker: " + e.getMessage());
      System.exit(2);
      return;
    }

    JpaStore store;
    try {
      store = JpaStores.open(storeConfig);
    } catch (RuntimeException e) {
      System.err.println("herald worker: cannot open the database " + storeConfig + ": " + e);
      System.exit(1);
      return;
    }

    MigrationPhases phases =
        new MigrationPhases(
            store, settings.migrationPhase(), settings.pollInterval(), Clock.systemUTC());
    EventTypeRegistry eventTypes = EventTypeRegistry.load(WorkerMain.class.getClassLoader());
    PrometheusRegistry registry = new PrometheusRegistry();
    HeraldMeters meters = new HeraldMeters(registry);
    meters.useEventTypes(eventTypes);
    meters.register(store);
    WorkerOptions options = WorkerOptions.from(settings);
    OperationalNotices notices =
        new OperationalNotices(
            new DefaultEventPublisher(
                new EventValidator(eventTypes, settings.maxPayloadBytes()),
                store,
                phases,
                store,
                settings.dedupWindow(),
                Clock.systemUTC()),
            store,
            Clock.systemUTC());
    DeliveryWorker worker =
        new DeliveryWorker(
            store,
            store,
            transports,
            phases,
            options,
            Clock.systemUTC(),
            null,
            DeliveryObserver.all(meters, notices));
    Housekeeping housekeeping =
        new Housekeeping(
            store,
            settings.retention(),
            settings.retentionInterval(),
            Housekeeping.BATCH_SIZE,
            options.workerId(),
            Clock.systemUTC(),
            meters);
    CountDownLatch stopped = new CountDownLatch(1);
    ScheduledExecutorService statsLog =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "herald-stats");
              t.setDaemon(true);
              return t;
            });
    worker.start();
    housekeeping.start();
    WorkerHttp http = null;
    if (settings.workerHttpPort() != 0) {
      try {
        http = WorkerHttp.start(settings.workerHttpPort(), worker, store, registry);
        log.log(
            Level.INFO,
            "health on http://*:{0}/health/live and /health/ready, metrics on /metrics",
            String.valueOf(http.port()));
      } catch (IOException e) {
        System.err.println(
            "herald worker: cannot serve health and metrics on port "
                + settings.workerHttpPort()
                + " (HERALD_WORKER_HTTP_PORT; 0 turns it off): "
                + e);
        worker.stop(SHUTDOWN_GRACE);
        store.close();
        System.exit(2);
        return;
      }
    }
    WorkerHttp served = http;
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.log(Level.INFO, "stopping worker {0}", worker.workerId());
                  statsLog.shutdownNow();
                  housekeeping.close();
                  // Stops and logs what it did: claimed, succeeded, retried, dead, given back.
                  worker.stop(SHUTDOWN_GRACE);
                  if (served != null) {
                    served.close();
                  }
                  transports.close();
                  store.close();
                  // Exports the spans still buffered.
                  tracing.ifPresent(OpenTelemetrySdk::close);
                  log.log(Level.INFO, "worker {0} shut down", worker.workerId());
                  stopped.countDown();
                },
                "herald-shutdown"));
    statsLog.scheduleAtFixedRate(
        () -> log.log(Level.INFO, "worker {0}: {1}", worker.workerId(), worker.counts()),
        STATS_EVERY.toSeconds(),
        STATS_EVERY.toSeconds(),
        TimeUnit.SECONDS);
    stopped.await();
  }
}
