package dev.herald.webhooks.worker;

import dev.herald.webhooks.api.MigrationPhase;
import dev.herald.webhooks.api.NewEvent;
import dev.herald.webhooks.api.PublishResult;
import dev.herald.webhooks.core.circuit.CircuitBreakerPolicy;
import dev.herald.webhooks.core.migration.MigrationPhases;
import dev.herald.webhooks.core.publish.DefaultEventPublisher;
import dev.herald.webhooks.core.registry.EventTypeRegistry;
import dev.herald.webhooks.core.registry.TransportRegistry;
import dev.herald.webhooks.core.retry.RetrySchedule;
import dev.herald.webhooks.core.signing.WebhookSecrets;
import dev.herald.webhooks.core.validation.EventValidator;
import dev.herald.webhooks.spi.DeliveryView;
import dev.herald.webhooks.spi.Endpoint;
import dev.herald.webhooks.spi.NewEndpoint;
import dev.herald.webhooks.store.jpa.JpaStore;
import dev.herald.webhooks.store.jpa.JpaStores;
import dev.herald.webhooks.store.jpa.StoreConfig;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/** A store on a fresh PostgreSQL schema, a tenant, a publisher and an embedded worker. */
final class WorkerFixture implements AutoCloseable {
  static final String TENANT = "acme";

  final TestDatabase database;
  final byte[] secretsKey = new byte[32];
  final JpaStore store;
  final Transports transports;
  final DefaultEventPublisher publisher;
  final MigrationPhases phases;
  final Clock clock;
  private DeliveryWorker worker;

  WorkerFixture(Map<String, String> transportSettings) throws Exception {
    this(transportSettings, Clock.systemUTC());
  }

  /**
   * @param clock the time of the store, the publisher and the workers (not of the transports)
   */
  WorkerFixture(Map<String, String> transportSettings, Clock clock) throws Exception {
    this.clock = clock;
    database = new TestDatabase();
    new SecureRandom().nextBytes(secretsKey);
    store =
        JpaStores.open(
            new StoreConfig(database.jdbcUrl(), null, null, 8, Optional.of(secretsKey)), clock);
    store.createTenant(TENANT, "Acme");
    transports =
        new Transports(
            TransportRegistry.load(getClass().getClassLoader()),
            k -> Optional.ofNullable(transportSettings.get(k)));
    phases = new MigrationPhases(store, MigrationPhase.WEBHOOK_ONLY, Duration.ofMillis(100), clock);
    publisher =
        new DefaultEventPublisher(
            new EventValidator(new EventTypeRegistry(List.of()), 256 * 1024),
            store,
            phases,
            store,
            Duration.ofHours(24),
            clock);
  }

  /** Loopback receivers are allowed; everything else of the SSRF policy stays. */
  static Map<String, String> loopbackAllowed() {
    return Map.of(
        "herald.ssrf.allowed-networks", "127.0.0.0/8",
        "herald.ssrf.allowed-ports", "*",
        "webhook.timeout", "5");
  }

  static WorkerOptions options(RetrySchedule schedule, CircuitBreakerPolicy circuit) {
    return new WorkerOptions(
        "test-worker",
        8,
        50,
        Duration.ofSeconds(5),
        Duration.ofMillis(100),
        10,
        schedule,
        0.0,
        circuit,
        Duration.ofDays(5),
        null);
  }

  /** A second worker on the same store, e.g. to take over or to compete for leases. */
  DeliveryWorker newWorker(WorkerOptions options) {
    return newWorker(options, DeliveryObserver.NONE);
  }

  DeliveryWorker newWorker(WorkerOptions options, DeliveryObserver observer) {
    return new DeliveryWorker(store, store, transports, phases, options, clock, null, observer);
  }

  Endpoint endpoint(String url, String... filters) {
    return store.create(NewEndpoint.http(TENANT, url, List.of(filters), WebhookSecrets.generate()));
  }

  DeliveryWorker startWorker(WorkerOptions options) {
    return startWorker(options, DeliveryObserver.NONE);
  }

  DeliveryWorker startWorker(WorkerOptions options, DeliveryObserver observer) {
    worker = newWorker(options, observer);
    worker.start();
    return worker;
  }

  /** A worker whose sends run on {@code sends}, as the server's run on its managed executor. */
  DeliveryWorker startWorker(WorkerOptions options, ExecutorService sends) {
    worker =
        new DeliveryWorker(
            store, store, transports, phases, options, clock, sends, DeliveryObserver.NONE);
    worker.start();
    return worker;
  }

  PublishResult publish(String type, Map<String, ?> data) {
    return publisher.publish(NewEvent.of(TENANT, type, data));
  }

  PublishResult publishMemoryCreated(String memoryId) {
    return publish("memory.created", Map.of("memory_id", memoryId, "user_id", "u-1"));
  }

  DeliveryView onlyDelivery(String eventId) {
    List<DeliveryView> deliveries = store.deliveriesOfEvent(TENANT, eventId).orElseThrow();
    if (deliveries.size() != 1) {
      throw new AssertionError("expected one delivery, got " + deliveries);
    }
    return deliveries.get(0);
  }

  void stopWorker() {
    if (worker != null) {
      worker.stop(Duration.ofSeconds(5));
    }
  }

  @Override
  public void close() throws Exception {
    stopWorker();
    transports.close();
    store.close();
    database.close();
  }
}
