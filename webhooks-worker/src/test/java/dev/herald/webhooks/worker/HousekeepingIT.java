package dev.herald.webhooks.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.webhooks.api.NewEvent;
import dev.herald.webhooks.core.circuit.CircuitBreakerPolicy;
import dev.herald.webhooks.core.retry.RetrySchedule;
import dev.herald.webhooks.spi.TenantStore.Purged;
import dev.herald.webhooks.store.jpa.JpaStore;
import dev.herald.webhooks.store.jpa.JpaStores;
import dev.herald.webhooks.store.jpa.StoreConfig;
import dev.herald.webhooks.worker.metrics.HeraldMeters;
import dev.herald.webhooks.worker.metrics.PrometheusRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The retention purge on PostgreSQL, as two processes (two stores on one database) run it: old
 * finished events go with their deliveries and attempts, pending ones stay, and one process purges
 * per interval.
 */
class HousekeepingIT {
  private static final Duration RETENTION = Duration.ofDays(30);
  private static final Duration INTERVAL = Duration.ofHours(1);

  private final AdvancingClock clock = new AdvancingClock();
  private LoopbackReceiver receiver;
  private WorkerFixture fixture;
  private JpaStore otherProcess;

  @BeforeEach
  void open() throws Exception {
    receiver = new LoopbackReceiver();
    fixture = new WorkerFixture(WorkerFixture.loopbackAllowed(), clock);
    otherProcess =
        JpaStores.open(
            new StoreConfig(
                fixture.database.jdbcUrl(), null, null, 4, Optional.of(fixture.secretsKey)),
            clock);
  }

  @AfterEach
  void close() throws Exception {
    otherProcess.close();
    fixture.close();
    receiver.close();
  }

  private long count(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(fixture.database.jdbcUrl());
        ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void oldFinishedEventsArePurgedInBatchesByOneProcessWhilePendingOnesStay() throws Exception {
    fixture.endpoint(receiver.url("/hook"), "memory.*");
    receiver.respondWith(r -> LoopbackReceiver.Reply.status(200));
    fixture.startWorker(
        WorkerFixture.options(RetrySchedule.defaults(), CircuitBreakerPolicy.defaults()));
    for (int i = 0; i < 12; i++) {
      fixture.publishMemoryCreated("delivered-" + i);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> count("SELECT COUNT(*) FROM deliveries" + " WHERE status = 'succeeded'") == 12);
    fixture.stopWorker();
    List<String> pending = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      pending.add(fixture.publishMemoryCreated("pending-" + i).eventId());
    }
    clock.advance(RETENTION.plusDays(1));
    String recent = fixture.publishMemoryCreated("recent").eventId();

    PrometheusRegistry registry = new PrometheusRegistry();
    HeraldMeters meters = new HeraldMeters(registry);
    meters.register(fixture.store);
    Housekeeping a =
        new Housekeeping(fixture.store, RETENTION, INTERVAL, 5, "process-a", clock, meters);
    Housekeeping b =
        new Housekeeping(otherProcess, RETENTION, INTERVAL, 5, "process-b", clock, meters);

    List<Optional<Housekeeping.Run>> runs = runTogether(a, b);

    assertThat(runs).filteredOn(Optional::isPresent).hasSize(1);
    Housekeeping.Run run = runs.stream().flatMap(Optional::stream).findFirst().orElseThrow();
    assertThat(run.purged()).isEqualTo(new Purged(12, 12, 12));
    assertThat(count("SELECT COUNT(*) FROM events")).isEqualTo(4);
    assertThat(count("SELECT COUNT(*) FROM deliveries WHERE status = 'pending'")).isEqualTo(4);
    assertThat(count("SELECT COUNT(*) FROM attempts")).isZero();
    for (String id : pending) {
      assertThat(fixture.store.deliveriesOfEvent(WorkerFixture.TENANT, id)).isPresent();
    }
    assertThat(fixture.store.deliveriesOfEvent(WorkerFixture.TENANT, recent)).isPresent();
    assertThat(registry.scrape())
        .contains(
            "webhook_retention_purged_rows_total{table=\"events\",mp_scope=\"application\"} 12")
        .contains(
            "webhook_retention_purged_rows_total{table=\"attempts\",mp_scope=\"application\"} 12");

    // Within the interval, neither process runs it again; after it, whichever asks first does.
    assertThat(a.runOnce()).isEmpty();
    assertThat(b.runOnce()).isEmpty();
    clock.advance(INTERVAL);
    Optional<Housekeeping.Run> next = b.runOnce();
    assertThat(next).isPresent();
    assertThat(next.get().purged()).isEqualTo(Purged.NONE);
    assertThat(a.runOnce()).isEmpty();
  }

  @Test
  void aRunFinishesErasingTenantsDeletedBefore() throws Exception {
    fixture.store.createTenant("gone", "Gone");
    for (int i = 0; i < 7; i++) {
      fixture.publisher.publish(
          NewEvent.of("gone", "memory.created", Map.of("memory_id", "m" + i, "user_id", "u-1")));
    }
    assertThat(fixture.store.deleteTenant("gone")).isTrue();

    Housekeeping housekeeping =
        new Housekeeping(
            fixture.store, RETENTION, INTERVAL, 3, "process-a", clock, DeliveryObserver.NONE);
    Housekeeping.Run run = housekeeping.runOnce().orElseThrow();

    assertThat(run.erased().events()).isEqualTo(7);
    assertThat(count("SELECT COUNT(*) FROM events WHERE tenant_id = 'gone'")).isZero();
    assertThat(count("SELECT COUNT(*) FROM tenants WHERE id = 'gone'")).isZero();
    assertThat(fixture.store.deletedTenants()).isEmpty();
  }

  private static List<Optional<Housekeeping.Run>> runTogether(Housekeeping... processes)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(processes.length);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Optional<Housekeeping.Run>>> futures = new ArrayList<>();
      for (Housekeeping h : processes) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return h.runOnce();
                }));
      }
      start.countDown();
      List<Optional<Housekeeping.Run>> runs = new ArrayList<>();
      for (Future<Optional<Housekeeping.Run>> f : futures) {
        runs.add(f.get(60, TimeUnit.SECONDS));
      }
      return runs;
    } finally {
      pool.shutdownNow();
    }
  }
}
