package dev.herald.webhooks.web.application;

import dev.herald.webhooks.api.EventPublisher;
import dev.herald.webhooks.api.NewEvent;
import dev.herald.webhooks.api.PublishResult;
import dev.herald.webhooks.core.auth.ApiKeys;
import dev.herald.webhooks.core.auth.PortalLinks;
import dev.herald.webhooks.core.config.DefaultEndpointSettings;
import dev.herald.webhooks.core.config.HeraldSettings;
import dev.herald.webhooks.core.migration.MigrationPhases;
import dev.herald.webhooks.core.publish.DefaultEventPublisher;
import dev.herald.webhooks.core.publish.TestEvents;
import dev.herald.webhooks.core.registry.EventTypeRegistry;
import dev.herald.webhooks.core.registry.TransportRegistry;
import dev.herald.webhooks.core.ssrf.SsrfPolicy;
import dev.herald.webhooks.core.ssrf.SsrfViolationException;
import dev.herald.webhooks.core.validation.EventValidator;
import dev.herald.webhooks.spi.Endpoint;
import dev.herald.webhooks.spi.HandshakeAnswer;
import dev.herald.webhooks.spi.Transport;
import dev.herald.webhooks.spi.TransportConfig;
import dev.herald.webhooks.store.jpa.JpaStore;
import dev.herald.webhooks.store.jpa.JpaStores;
import dev.herald.webhooks.web.observability.HeraldMetrics;
import dev.herald.webhooks.web.observability.ServerLogFields;
import dev.herald.webhooks.worker.DeliveryObserver;
import dev.herald.webhooks.worker.DeliveryWorker;
import dev.herald.webhooks.worker.Housekeeping;
import dev.herald.webhooks.worker.OperationalNotices;
import dev.herald.webhooks.worker.Transports;
import dev.herald.webhooks.worker.WorkerOptions;
import dev.herald.webhooks.worker.tracing.TracingTransport;
import io.opentelemetry.api.OpenTelemetry;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/**
 * Everything Herald runs inside the server, opened once when the application starts and closed when
 * it stops: the store on the container data source {@code jdbc/herald}, the registries, the
 * transports, the migration phases, the publisher and the delivery worker, whose sends run on the
 * container's managed executor.
 */
@ApplicationScoped
public class HeraldRuntime {
  private static final System.Logger LOG = System.getLogger(HeraldRuntime.class.getName());
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(20);

  @Inject HeraldConfiguration configuration;

  @Resource(lookup = "jdbc/herald")
  DataSource dataSource;

  @Resource ManagedExecutorService executor;

  @Inject HeraldMetrics metrics;

  // Resolvable wherever MicroProfile Telemetry is; without it, attempts are not traced.
  @Inject Instance<OpenTelemetry> openTelemetry;

  private final Clock clock = Clock.systemUTC();
  private EventTypeRegistry eventTypes;
  private JpaStore store;
  private ApiKeys apiKeys;
  private PortalLinks portalLinks;
  private Transports transports;
  private MigrationPhases phases;
  private EventPublisher publisher;
  private TestEvents testEvents;
  private DeliveryWorker worker;
  private Housekeeping housekeeping;
  private OperationalNotices notices;
  private boolean workerDisabled;
  private volatile String startFailure;
  private volatile String defaultEndpointProblem;

  /** Opens the store and starts the worker; a failure is kept for the health checks. */
  synchronized void start() {
    // The catalog needs no configuration: the event-types resource answers even when it is invalid.
    eventTypes = EventTypeRegistry.load(classLoader());
    metrics.useEventTypes(eventTypes);
    ServerLogFields.register();
    Optional<HeraldSettings> loaded = configuration.settings();
    if (loaded.isEmpty()) {
      return;
    }
    HeraldSettings settings = loaded.get();
    try {
      requireTheConfiguredDatabase(settings);
      store = JpaStores.open(dataSource, settings.secretsKey());
      // A revoked key stops working on every instance within one poll interval.
      apiKeys = new ApiKeys(store, clock, settings.pollInterval());
      portalLinks = new PortalLinks(store, clock, settings.pollInterval());
      TransportConfig transportConfig =
          key -> configuration.config().getOptionalValue(key, String.class);
      Map<String, UnaryOperator<Transport>> decorators = new HashMap<>();
      if (openTelemetry.isResolvable()) {
        OpenTelemetry otel = openTelemetry.get();
        decorators.put("http", http -> new TracingTransport(http, otel));
      }
      transports =
          new Transports(TransportRegistry.load(classLoader()), transportConfig, decorators);
      // Fail at start-up, not at the first delivery, when the HTTP transport is misconfigured.
      transports.get("http");
      settings.defaultEndpoint().ifPresent(wanted -> provisionDefaultEndpoint(settings, wanted));
      phases =
          new MigrationPhases(store, settings.migrationPhase(), settings.pollInterval(), clock);
      DefaultEventPublisher defaultPublisher =
          new DefaultEventPublisher(
              new EventValidator(eventTypes, settings.maxPayloadBytes()),
              store,
              phases,
              store,
              settings.dedupWindow(),
              clock);
      publisher = defaultPublisher;
      notices = new OperationalNotices(defaultPublisher, store, clock);
      testEvents = new TestEvents(store, clock);
      WorkerOptions workerOptions = WorkerOptions.from(settings);
      metrics.register(store);
      workerDisabled = !settings.workerEnabled();
      if (settings.workerEnabled()) {
        worker =
            new DeliveryWorker(
                store,
                store,
                transports,
                phases,
                workerOptions,
                clock,
                executor,
                DeliveryObserver.all(metrics, notices));
        worker.start();
      }
      housekeeping =
          new Housekeeping(
              store,
              settings.retention(),
              settings.retentionInterval(),
              Housekeeping.BATCH_SIZE,
              workerOptions.workerId(),
              clock,
              metrics);
      housekeeping.start();
      LOG.log(
          Level.INFO,
          "Herald started on {0}, migration phase {1}, {2}",
          store.isPostgres() ? "PostgreSQL" : "H2",
          settings.migrationPhase().wireName(),
          worker == null
              ? "delivery worker disabled (HERALD_WORKER_ENABLED=false): this server never sends"
              : "worker " + worker.workerId());
    } catch (RuntimeException e) {
      startFailure = e.getClass().getSimpleName() + ": " + e.getMessage();
      LOG.log(Level.ERROR, "Herald could not start: " + startFailure, e);
      stop();
    }
  }

  @PreDestroy
  synchronized void destroy() {
    stop();
    ServerLogFields.unregister();
  }

  private void stop() {
    if (housekeeping != null) {
      housekeeping.close();
      housekeeping = null;
    }
    if (worker != null) {
      worker.stop(SHUTDOWN_GRACE);
      worker = null;
    }
    if (transports != null) {
      transports.close();
      transports = null;
    }
    if (store != null) {
      store.close();
      store = null;
      apiKeys = null;
      portalLinks = null;
    }
    publisher = null;
    notices = null;
    testEvents = null;
    workerDisabled = false;
  }

  /**
   * {@code DATABASE_URL} reaches the container's data source through {@code herald-env.sh}, which
   * {@code bin/server} sources. A server started otherwise (Liberty's own {@code server start})
   * with {@code DATABASE_URL} set would run on the embedded database; it does not start at all
   * instead.
   */
  private void requireTheConfiguredDatabase(HeraldSettings settings) {
    Optional<String> url = settings.databaseUrl();
    if (url.isEmpty() || url.get().startsWith("jdbc:h2:")) {
      return;
    }
    if (!JpaStores.isPostgres(dataSource)) {
      throw new IllegalStateException(
          "DATABASE_URL is set but the server's data source is the embedded H2 database: the server was started without herald-env.sh. Start it with"
              + " bin/server, or run `. wlp/usr/servers/herald/herald-env.sh` before"
              + " `server start herald`");
    }
  }

  /** A bad default endpoint must not stop Herald: it is reported by readiness instead. */
  private void provisionDefaultEndpoint(HeraldSettings settings, DefaultEndpointSettings wanted) {
    try {
      Endpoint endpoint =
          DefaultEndpoint.provision(
              store,
              wanted,
              new SsrfPolicy(settings.ssrf()),
              settings.maxInFlightPerEndpoint(),
              clock.instant().plus(settings.secretRotationGrace()));
      defaultEndpointProblem = null;
      LOG.log(
          Level.INFO,
          "Default endpoint {0} of tenant {1} delivers to {2}",
          endpoint.id(),
          endpoint.tenantId(),
          endpoint.url());
    } catch (SsrfViolationException e) {
      defaultEndpointProblem = "WEBHOOK_URL is refused: " + e.getMessage();
      LOG.log(Level.ERROR, defaultEndpointProblem);
    }
  }

  private static ClassLoader classLoader() {
    return HeraldRuntime.class.getClassLoader();
  }

  /** The event-type catalog. */
  public synchronized EventTypeRegistry eventTypes() {
    if (eventTypes == null) {
      eventTypes = EventTypeRegistry.load(classLoader());
    }
    return eventTypes;
  }

  /** The store, or empty when the configuration is invalid or the store could not be opened. */
  public synchronized Optional<JpaStore> store() {
    return Optional.ofNullable(store);
  }

  /** Tenants' API keys, or empty when the store is not open. */
  public synchronized Optional<ApiKeys> apiKeys() {
    return Optional.ofNullable(apiKeys);
  }

  /** Tenants' portal links, or empty when the store is not open. */
  public synchronized Optional<PortalLinks> portalLinks() {
    return Optional.ofNullable(portalLinks);
  }

  /** The migration phases in force, or empty when Herald is not running. */
  public synchronized Optional<MigrationPhases> phases() {
    return Optional.ofNullable(phases);
  }

  /** The worker, or empty when Herald is not running or its worker is disabled. */
  public synchronized Optional<DeliveryWorker> worker() {
    return Optional.ofNullable(worker);
  }

  /** Whether Herald runs as an API-only server ({@code HERALD_WORKER_ENABLED=false}). */
  public synchronized boolean workerDisabled() {
    return workerDisabled;
  }

  /** Herald's operational events (herald.endpoint.*), or empty when Herald is not running. */
  public synchronized Optional<OperationalNotices> notices() {
    return Optional.ofNullable(notices);
  }

  /** The retention purge and tenant erasure, or empty when Herald is not running. */
  public synchronized Optional<Housekeeping> housekeeping() {
    return Optional.ofNullable(housekeeping);
  }

  /** Why start-up failed after a valid configuration (the database, a transport), if it did. */
  public Optional<String> startFailure() {
    return Optional.ofNullable(startFailure);
  }

  /** Publishes in-process; fails with the reason when Herald is not running. */
  public PublishResult publish(NewEvent event) {
    PublishResult result = runningPublisher().publish(event);
    if (!result.duplicate()) {
      metrics.published(event.type());
    }
    return result;
  }

  /** Publishes a list in one transaction ({@link EventPublisher#publishAll}). */
  public List<PublishResult> publishAll(List<NewEvent> events) {
    List<PublishResult> results = runningPublisher().publishAll(events);
    for (int i = 0; i < results.size(); i++) {
      if (!results.get(i).duplicate()) {
        metrics.published(events.get(i).type());
      }
    }
    return results;
  }

  private EventPublisher runningPublisher() {
    EventPublisher current;
    synchronized (this) {
      current = publisher;
    }
    if (current == null) {
      throw new IllegalStateException(notRunningReason());
    }
    return current;
  }

  /** Sends a test event to {@code endpoint}; fails with the reason when Herald is not running. */
  public PublishResult sendTestEvent(Endpoint endpoint) {
    TestEvents current;
    synchronized (this) {
      current = testEvents;
    }
    if (current == null) {
      throw new IllegalStateException(notRunningReason());
    }
    return current.send(endpoint);
  }

  /** The transports endpoints may choose here ({@code http} and installed providers). */
  public List<String> endpointTransports() {
    Transports current;
    synchronized (this) {
      current = transports;
    }
    if (current == null) {
      throw new IllegalStateException(notRunningReason());
    }
    return current.endpointTransports();
  }

  /**
   * Checks a destination with the provider of a transport other than {@code http}.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public void checkEndpointDestination(String transport, String destination) {
    Transports current;
    synchronized (this) {
      current = transports;
    }
    if (current == null) {
      throw new IllegalStateException(notRunningReason());
    }
    current.checkEndpointDestination(transport, destination);
  }

  /**
   * Sends the CloudEvents validation request to an HTTP endpoint's URL through the http transport
   * (SSRF policy and timeouts of a delivery).
   */
  public HandshakeAnswer validateEndpoint(String url, Map<String, String> headers) {
    Transports current;
    synchronized (this) {
      current = transports;
    }
    if (current == null) {
      return HandshakeAnswer.failed(notRunningReason());
    }
    return current
        .get("http")
        .validate(url, headers)
        .orElseGet(() -> HandshakeAnswer.failed("the http transport has no validation request"));
  }

  /** Why the default endpoint of {@code WEBHOOK_URL} could not be set up, if it could not. */
  public Optional<String> defaultEndpointProblem() {
    return Optional.ofNullable(defaultEndpointProblem);
  }

  /** Why Herald is not running, for exceptions and health data. */
  public String notRunningReason() {
    if (!configuration.problems().isEmpty()) {
      return "Herald is not running: invalid configuration: "
          + String.join("; ", configuration.problems());
    }
    return "Herald is not running: " + Optional.ofNullable(startFailure).orElse("not started");
  }
}
