package dev.herald.webhooks.store.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.webhooks.api.Event;
import dev.herald.webhooks.api.Priority;
import dev.herald.webhooks.api.PublishResult;
import dev.herald.webhooks.api.SignatureProfile;
import dev.herald.webhooks.core.auth.ApiKeys;
import dev.herald.webhooks.core.auth.PortalLinks;
import dev.herald.webhooks.core.ids.Ids;
import dev.herald.webhooks.spi.AttemptRecord;
import dev.herald.webhooks.spi.CircuitState;
import dev.herald.webhooks.spi.ClaimRules;
import dev.herald.webhooks.spi.ClaimedDelivery;
import dev.herald.webhooks.spi.DeliveryOperations;
import dev.herald.webhooks.spi.DeliveryResult;
import dev.herald.webhooks.spi.DeliveryStatus;
import dev.herald.webhooks.spi.DeliveryTarget;
import dev.herald.webhooks.spi.DeliveryView;
import dev.herald.webhooks.spi.Endpoint;
import dev.herald.webhooks.spi.EndpointFormat;
import dev.herald.webhooks.spi.EndpointStore;
import dev.herald.webhooks.spi.EnvelopeEncoder;
import dev.herald.webhooks.spi.HealthRules;
import dev.herald.webhooks.spi.MigrationReport;
import dev.herald.webhooks.spi.NewEndpoint;
import dev.herald.webhooks.spi.Ordering;
import dev.herald.webhooks.spi.Page;
import dev.herald.webhooks.spi.PreparedEvent;
import dev.herald.webhooks.spi.Recorded;
import dev.herald.webhooks.spi.TenantStore;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The store contract, run against each database by a subclass that says where the database is. Each
 * test starts from empty outbox tables, since claims see every tenant's deliveries.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StoreContractTest {
  static final Duration LEASE = Duration.ofSeconds(30);
  static final Duration WINDOW = Duration.ofHours(24);
  static final EnvelopeEncoder ENCODER =
      e -> (e.id() + "#" + e.sequence()).getBytes(StandardCharsets.UTF_8);

  final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
  final Ids ids = Ids.system();
  JpaStore store;
  StoreConfig config;

  /** Prepares an empty database and says how to reach it. */
  abstract StoreConfig createDatabase() throws Exception;

  abstract void dropDatabase() throws Exception;

  @BeforeAll
  void openStore() throws Exception {
    config = createDatabase();
    store = JpaStores.open(config, clock);
  }

  @AfterAll
  void closeStore() throws Exception {
    if (store != null) {
      store.close();
    }
    dropDatabase();
  }

  @BeforeEach
  void emptyTables() throws SQLException {
    try (Connection c = jdbc();
        Statement s = c.createStatement()) {
      for (String table :
          List.of(
              "attempts",
              "deliveries",
              "events",
              "subject_sequences",
              "circuit_states",
              "endpoints",
              "tenants",
              "api_keys",
              "settings",
              "endpoint_slots",
              "job_leases")) {
        s.executeUpdate("DELETE FROM " + table);
      }
    }
  }

  Connection jdbc() throws SQLException {
    return DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password());
  }

  // ------------------------------------------------------------------------------ fixtures

  Event event(String tenant, String subject, String key) {
    return new Event(
        ids.next(Ids.EVENT),
        "memory.created",
        clock.instant(),
        tenant,
        key,
        1,
        subject,
        0,
        Map.of("memory_id", "m1"),
        Map.of());
  }

  PublishResult publish(String tenant, Priority priority, int deliveries) {
    List<DeliveryTarget> targets = new ArrayList<>();
    for (int i = 0; i < deliveries; i++) {
      targets.add(new DeliveryTarget("http", "wh_" + i));
    }
    return store.publish(
        new PreparedEvent(event(tenant, null, "k-" + ids.next("")), priority, targets, WINDOW),
        ENCODER);
  }

  PublishResult publishTo(String tenant, String endpointId) {
    return store.publish(
        new PreparedEvent(
            event(tenant, null, "k-" + ids.next("")),
            Priority.NORMAL,
            List.of(new DeliveryTarget("http", endpointId)),
            WINDOW),
        ENCODER);
  }

  AttemptRecord attempt(Integer status, String error) {
    return new AttemptRecord(
        0,
        clock.instant(),
        Duration.ofMillis(12),
        status,
        "body",
        error == null ? null : "http",
        error);
  }

  long count(String sql) throws SQLException {
    try (Connection c = jdbc();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  DeliveryView onlyDelivery(String tenant, String eventId) {
    return store.deliveriesOfEvent(tenant, eventId).orElseThrow().get(0);
  }

  static List<String> reversed(List<String> list) {
    List<String> out = new ArrayList<>(list);
    java.util.Collections.reverse(out);
    return out;
  }

  static <T> List<T> runConcurrently(int threads, Callable<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return task.call();
                }));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get(120, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  // ------------------------------------------------------------------------------ publish

  @Test
  void publishStoresEventWithDeliveriesAndIncreasingSequencePerSubject() throws SQLException {
    List<Long> sequences = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Event e = event("acme", "memory/1", "key-" + i);
      store.publish(
          new PreparedEvent(
              e,
              Priority.NORMAL,
              List.of(new DeliveryTarget("http", "wh_a"), DeliveryTarget.redis()),
              WINDOW),
          ENCODER);
      List<DeliveryView> deliveries = store.deliveriesOfEvent("acme", e.id()).orElseThrow();
      assertThat(deliveries).hasSize(2).allMatch(d -> d.status() == DeliveryStatus.PENDING);
      try (Connection c = jdbc();
          PreparedStatement ps =
              c.prepareStatement("SELECT sequence, body FROM events WHERE id = ?")) {
        ps.setString(1, e.id());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          sequences.add(rs.getLong(1));
          assertThat(new String(rs.getBytes(2), StandardCharsets.UTF_8))
              .isEqualTo(e.id() + "#" + rs.getLong(1));
        }
      }
    }
    Event other = event("acme", "memory/2", "key-other");
    store.publish(new PreparedEvent(other, Priority.NORMAL, List.of(), WINDOW), ENCODER);
    assertThat(sequences).containsExactly(1L, 2L, 3L);
    assertThat(count("SELECT sequence FROM events WHERE id = '" + other.id() + "'")).isEqualTo(1);
  }

  @Test
  void duplicateKeyWithinWindowReturnsOriginalAndStoresNothing() throws SQLException {
    Event first = event("acme", null, "same");
    PublishResult original =
        store.publish(
            new PreparedEvent(first, Priority.NORMAL, List.of(DeliveryTarget.redis()), WINDOW),
            ENCODER);
    clock.advance(Duration.ofHours(23));
    PublishResult repeat =
        store.publish(
            new PreparedEvent(
                event("acme", null, "same"),
                Priority.NORMAL,
                List.of(DeliveryTarget.redis()),
                WINDOW),
            ENCODER);
    assertThat(original.duplicate()).isFalse();
    assertThat(repeat).isEqualTo(new PublishResult(first.id(), true));
    assertThat(count("SELECT COUNT(*) FROM events")).isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM deliveries")).isEqualTo(1);

    // Another tenant's key is its own.
    assertThat(
            store
                .publish(
                    new PreparedEvent(
                        event("other", null, "same"), Priority.NORMAL, List.of(), WINDOW),
                    ENCODER)
                .duplicate())
        .isFalse();
    // After the window the key is new again.
    clock.advance(Duration.ofHours(2));
    Event later = event("acme", null, "same");
    assertThat(store.publish(new PreparedEvent(later, Priority.NORMAL, List.of(), WINDOW), ENCODER))
        .isEqualTo(new PublishResult(later.id(), false));
  }

  @Test
  void concurrentDuplicatePublishesStoreOneEvent() throws Exception {
    for (int round = 0; round < 10; round++) {
      String key = "race-" + round;
      List<PublishResult> results =
          runConcurrently(
              4,
              () ->
                  store.publish(
                      new PreparedEvent(
                          event("acme", "s", key),
                          Priority.NORMAL,
                          List.of(DeliveryTarget.redis()),
                          WINDOW),
                      ENCODER));
      assertThat(results.stream().map(PublishResult::eventId).distinct()).hasSize(1);
      assertThat(results.stream().filter(r -> !r.duplicate())).hasSize(1);
    }
    assertThat(count("SELECT COUNT(*) FROM events")).isEqualTo(10);
    assertThat(count("SELECT COUNT(*) FROM deliveries")).isEqualTo(10);
    assertThat(count("SELECT MAX(sequence) FROM events")).isEqualTo(10);
  }

  long sequenceOf(String eventId) throws SQLException {
    return count("SELECT sequence FROM events WHERE id = '" + eventId + "'");
  }

  PreparedEvent prepared(Event event, DeliveryTarget... targets) {
    return new PreparedEvent(event, Priority.NORMAL, List.of(targets), WINDOW);
  }

  @Test
  void publishAllStoresEveryEventWithDeliveriesAndSequencesInTheGivenOrder() throws SQLException {
    Event before = event("acme", "memory/1", "b-0");
    store.publish(prepared(before), ENCODER);
    List<Event> batch =
        List.of(
            event("acme", "memory/1", "b-1"),
            event("acme", "memory/2", "b-2"),
            event("acme", "memory/1", "b-3"),
            event("other", "memory/1", "b-4"),
            event("acme", null, "b-5"));
    List<PublishResult> results =
        store.publishAll(
            batch.stream()
                .map(e -> prepared(e, new DeliveryTarget("http", "wh_a"), DeliveryTarget.redis()))
                .toList(),
            ENCODER);

    assertThat(results)
        .containsExactlyElementsOf(
            batch.stream().map(e -> new PublishResult(e.id(), false)).toList());
    assertThat(sequenceOf(batch.get(0).id())).isEqualTo(2);
    assertThat(sequenceOf(batch.get(1).id())).isEqualTo(1);
    assertThat(sequenceOf(batch.get(2).id())).isEqualTo(3);
    assertThat(sequenceOf(batch.get(3).id())).isEqualTo(1);
    assertThat(sequenceOf(batch.get(4).id())).isEqualTo(1);
    for (Event e : batch) {
      assertThat(store.deliveriesOfEvent(e.tenantId(), e.id()).orElseThrow())
          .hasSize(2)
          .allMatch(d -> d.status() == DeliveryStatus.PENDING);
      try (Connection c = jdbc();
          PreparedStatement ps = c.prepareStatement("SELECT body FROM events WHERE id = ?")) {
        ps.setString(1, e.id());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          assertThat(new String(rs.getBytes(1), StandardCharsets.UTF_8))
              .isEqualTo(e.id() + "#" + sequenceOf(e.id()));
        }
      }
    }
    assertThat(store.publishAll(List.of(), ENCODER)).isEmpty();
  }

  @Test
  void publishAllTreatsRepeatedKeysInTheBatchAndStoredKeysAsDuplicates() throws SQLException {
    Event stored = event("acme", null, "old");
    store.publish(prepared(stored, DeliveryTarget.redis()), ENCODER);
    Event first = event("acme", null, "new");
    Event other = event("other", null, "new");
    List<PublishResult> results =
        store.publishAll(
            List.of(
                prepared(event("acme", null, "old"), DeliveryTarget.redis()),
                prepared(first, DeliveryTarget.redis()),
                prepared(event("acme", null, "new"), DeliveryTarget.redis()),
                prepared(other, DeliveryTarget.redis())),
            ENCODER);

    assertThat(results)
        .containsExactly(
            new PublishResult(stored.id(), true),
            new PublishResult(first.id(), false),
            new PublishResult(first.id(), true),
            new PublishResult(other.id(), false));
    assertThat(count("SELECT COUNT(*) FROM events")).isEqualTo(3);
    assertThat(count("SELECT COUNT(*) FROM deliveries")).isEqualTo(3);

    // After the window the stored key is new again, once.
    clock.advance(Duration.ofHours(25));
    Event later = event("acme", null, "old");
    assertThat(
            store.publishAll(
                List.of(prepared(later), prepared(event("acme", null, "old"))), ENCODER))
        .containsExactly(new PublishResult(later.id(), false), new PublishResult(later.id(), true));
    assertThat(count("SELECT COUNT(*) FROM events")).isEqualTo(4);
  }

  @Test
  void aRepeatedKeyTakesNoSequenceNumber() throws SQLException {
    // A publish first reserves as if every event were new; a stored key must undo that.
    store.publish(prepared(event("acme", "memory/9", "k-1")), ENCODER);
    Event next = event("acme", "memory/9", "k-2");
    assertThat(
            store.publishAll(
                List.of(prepared(event("acme", "memory/9", "k-1")), prepared(next)), ENCODER))
        .extracting(PublishResult::duplicate)
        .containsExactly(true, false);
    Event last = event("acme", "memory/9", "k-3");
    store.publish(prepared(last), ENCODER);

    assertThat(sequenceOf(next.id())).isEqualTo(2);
    assertThat(sequenceOf(last.id())).isEqualTo(3);
  }

  @Test
  void concurrentBatchesWithOverlappingKeysInOppositeOrderStoreEachKeyOnce() throws Exception {
    AtomicInteger round = new AtomicInteger();
    List<List<PublishResult>> results =
        runConcurrently(
            4,
            () -> {
              List<PreparedEvent> batch = new ArrayList<>();
              for (int i = 0; i < 50; i++) {
                int k = round.get() % 2 == 0 ? i : 49 - i;
                batch.add(prepared(event("acme", "s" + (k % 3), "k" + k), DeliveryTarget.redis()));
              }
              round.incrementAndGet();
              return store.publishAll(batch, ENCODER);
            });
    Set<String> ids = new HashSet<>();
    results.forEach(r -> r.forEach(p -> ids.add(p.eventId())));
    assertThat(ids).hasSize(50);
    assertThat(results.stream().flatMap(List::stream).filter(r -> !r.duplicate())).hasSize(50);
    assertThat(count("SELECT COUNT(*) FROM events")).isEqualTo(50);
    assertThat(count("SELECT COUNT(*) FROM deliveries")).isEqualTo(50);
    assertThat(count("SELECT COUNT(DISTINCT sequence) FROM events WHERE subject = 's0'"))
        .isEqualTo(17);
    assertThat(count("SELECT MAX(sequence) FROM events WHERE subject = 's0'")).isEqualTo(17);
  }

  @Test
  void concurrentSinglePublishesAreEachStoredOnceAndABadOneFailsAlone() throws Exception {
    AtomicInteger next = new AtomicInteger();
    List<Object> outcomes =
        runConcurrently(
                16,
                () -> {
                  List<Object> mine = new ArrayList<>();
                  for (int i = 0; i < 20; i++) {
                    int n = next.getAndIncrement();
                    // Every fifth key repeats the previous one; one subject is too long to store.
                    String key = "g-" + (n % 5 == 4 ? n - 1 : n);
                    String subject = n == 77 ? "s".repeat(600) : "memory/" + n;
                    try {
                      mine.add(
                          store.publish(
                              prepared(event("acme", subject, key), DeliveryTarget.redis()),
                              ENCODER));
                    } catch (StoreException e) {
                      mine.add(n);
                    }
                  }
                  return mine;
                })
            .stream()
            .flatMap(List::stream)
            .toList();
    assertThat(outcomes).hasSize(320).contains(77);
    List<PublishResult> results =
        outcomes.stream()
            .filter(o -> o instanceof PublishResult)
            .map(o -> (PublishResult) o)
            .toList();
    assertThat(results).hasSize(319);
    long stored = count("SELECT COUNT(*) FROM events");
    assertThat(results.stream().filter(r -> !r.duplicate())).hasSize((int) stored);
    assertThat(results.stream().map(PublishResult::eventId).distinct()).hasSize((int) stored);
    assertThat(count("SELECT COUNT(*) FROM deliveries")).isEqualTo(stored);
    // 320 keys with every fifth a repeat: 256 distinct, less the one that failed (if it was not
    // a repeat that an earlier event already stored).
    assertThat(stored).isBetween(255L, 256L);
  }

  // -------------------------------------------------------------------------------- claim

  @Test
  void concurrentClaimersGetEveryDeliveryExactlyOnce() throws Exception {
    for (int i = 0; i < 400; i++) {
      publish("acme", Priority.NORMAL, 5);
    }
    Map<String, String> claimedBy = new ConcurrentHashMap<>();
    AtomicInteger duplicates = new AtomicInteger();
    AtomicInteger worker = new AtomicInteger();
    runConcurrently(
        4,
        () -> {
          String owner = "worker-" + worker.incrementAndGet();
          while (true) {
            List<ClaimedDelivery> batch = store.claim(owner, 50, LEASE);
            if (batch.isEmpty()) {
              return null;
            }
            for (ClaimedDelivery d : batch) {
              if (claimedBy.putIfAbsent(d.deliveryId(), owner) != null) {
                duplicates.incrementAndGet();
              }
            }
          }
        });
    assertThat(duplicates).hasValue(0);
    assertThat(claimedBy).hasSize(2000);
    assertThat(count("SELECT COUNT(*) FROM deliveries WHERE status = 'in_flight'")).isEqualTo(2000);
  }

  @Test
  void expiredLeaseIsClaimedByAnotherOwnerAndTheOldResultIgnored() {
    publish("acme", Priority.NORMAL, 1);
    ClaimedDelivery first = store.claim("a", 10, LEASE).get(0);
    assertThat(first.attempt()).isEqualTo(1);
    assertThat(store.claim("b", 10, LEASE)).isEmpty();

    clock.advance(LEASE.plusSeconds(1));
    List<ClaimedDelivery> taken = store.claim("b", 10, LEASE);
    assertThat(taken).extracting(ClaimedDelivery::deliveryId).containsExactly(first.deliveryId());
    assertThat(taken.get(0).attempt()).isEqualTo(1);

    store.record(
        "a",
        List.of(
            new DeliveryResult(
                first.deliveryId(), attempt(200, null), new DeliveryResult.Succeeded())));
    DeliveryView view = onlyDelivery("acme", first.eventId());
    assertThat(view.status()).isEqualTo(DeliveryStatus.IN_FLIGHT);
    assertThat(view.attempts()).isZero();
  }

  @Test
  void deliveriesNotYetDueAreNotClaimed() {
    publish("acme", Priority.NORMAL, 1);
    ClaimedDelivery d = store.claim("a", 10, LEASE).get(0);
    store.record(
        "a",
        List.of(
            new DeliveryResult(
                d.deliveryId(),
                attempt(503, "HTTP 503"),
                new DeliveryResult.RetryAt(clock.instant().plusSeconds(60)))));
    assertThat(store.claim("a", 10, LEASE)).isEmpty();
    clock.advance(Duration.ofSeconds(60));
    List<ClaimedDelivery> again = store.claim("a", 10, LEASE);
    assertThat(again).hasSize(1);
    assertThat(again.get(0).attempt()).isEqualTo(2);
  }

  @Test
  void claimsHighBeforeNormalBeforeLow() {
    publish("acme", Priority.LOW, 1);
    clock.advance(Duration.ofMillis(1));
    publish("acme", Priority.NORMAL, 1);
    clock.advance(Duration.ofMillis(1));
    publish("acme", Priority.HIGH, 1);
    List<ClaimedDelivery> all = store.claim("a", 3, LEASE);
    List<ClaimedDelivery> high = store.claim("a", 1, LEASE);
    assertThat(high).isEmpty();
    List<String> order = new ArrayList<>();
    for (ClaimedDelivery d : all) {
      order.add(d.eventId());
    }
    publish("acme", Priority.LOW, 1);
    clock.advance(Duration.ofMillis(1));
    publish("acme", Priority.HIGH, 1);
    ClaimedDelivery first = store.claim("b", 1, LEASE).get(0);
    assertThat(store.deliveriesOfEvent("acme", first.eventId()).orElseThrow()).hasSize(1);
    assertThat(order).hasSize(3);
    // The last published event was HIGH: it comes first in both claims.
    assertThat(all.get(0).eventCreatedAt()).isAfter(all.get(2).eventCreatedAt());
    assertThat(first.eventCreatedAt()).isEqualTo(clock.instant());
  }

  @Test
  void firstAttemptsAreNotStarvedByABacklogOfDueRetries() {
    for (int i = 0; i < 20; i++) {
      publish("acme", Priority.NORMAL, 1);
    }
    List<DeliveryResult> retries = new ArrayList<>();
    for (ClaimedDelivery d : store.claim("a", 20, LEASE)) {
      retries.add(
          new DeliveryResult(
              d.deliveryId(),
              attempt(500, "HTTP 500"),
              new DeliveryResult.RetryAt(clock.instant())));
    }
    store.record("a", retries);
    clock.advance(Duration.ofSeconds(1));
    for (int i = 0; i < 20; i++) {
      publish("acme", Priority.NORMAL, 1);
    }
    List<ClaimedDelivery> batch = store.claim("b", 10, LEASE);
    assertThat(batch).hasSize(10);
    assertThat(batch.stream().filter(d -> d.attempt() == 1)).hasSize(5);
    assertThat(batch.stream().filter(d -> d.attempt() == 2)).hasSize(5);

    // With few retries due, first attempts fill the rest of the batch.
    List<ClaimedDelivery> rest = store.claim("c", 100, LEASE);
    assertThat(rest).hasSize(30);
    store.record(
        "c",
        rest.subList(0, 2).stream()
            .map(
                d ->
                    new DeliveryResult(
                        d.deliveryId(),
                        attempt(500, "HTTP 500"),
                        new DeliveryResult.RetryAt(clock.instant())))
            .toList());
    for (int i = 0; i < 10; i++) {
      publish("acme", Priority.NORMAL, 1);
    }
    List<ClaimedDelivery> mixed = store.claim("d", 10, LEASE);
    assertThat(mixed).hasSize(10);
    assertThat(mixed.stream().filter(d -> d.attempt() == 1)).hasSize(8);
  }

  // ------------------------------------------------------------------------------- record

  @Test
  void recordMovesStatesAndPostponedCountsNoAttempt() {
    Endpoint endpoint =
        store.create(NewEndpoint.http("acme", "https://x.example/h", List.of("*"), "whsec_a"));
    List<String> events = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      events.add(publishTo("acme", endpoint.id()).eventId());
    }
    Map<String, ClaimedDelivery> byEvent = new ConcurrentHashMap<>();
    store.claim("w", 10, LEASE).forEach(d -> byEvent.put(d.eventId(), d));
    Instant later = clock.instant().plusSeconds(30);
    store.record(
        "w",
        List.of(
            new DeliveryResult(
                byEvent.get(events.get(0)).deliveryId(),
                attempt(200, null),
                new DeliveryResult.Succeeded()),
            new DeliveryResult(
                byEvent.get(events.get(1)).deliveryId(),
                attempt(503, "HTTP 503"),
                new DeliveryResult.RetryAt(later)),
            new DeliveryResult(
                byEvent.get(events.get(2)).deliveryId(), null, new DeliveryResult.Postponed(later)),
            new DeliveryResult(
                byEvent.get(events.get(3)).deliveryId(),
                attempt(404, "HTTP 404"),
                new DeliveryResult.Dead("HTTP 404"))));

    DeliveryView ok = onlyDelivery("acme", events.get(0));
    assertThat(ok.status()).isEqualTo(DeliveryStatus.SUCCEEDED);
    assertThat(ok.attempts()).isEqualTo(1);
    assertThat(ok.lastStatusCode()).isEqualTo(200);
    assertThat(ok.nextAttemptAt()).isNull();

    DeliveryView retry = onlyDelivery("acme", events.get(1));
    assertThat(retry.status()).isEqualTo(DeliveryStatus.PENDING);
    assertThat(retry.attempts()).isEqualTo(1);
    assertThat(retry.nextAttemptAt()).isEqualTo(later);
    assertThat(retry.lastError()).isEqualTo("http: HTTP 503");

    DeliveryView postponed = onlyDelivery("acme", events.get(2));
    assertThat(postponed.status()).isEqualTo(DeliveryStatus.PENDING);
    assertThat(postponed.attempts()).isZero();
    assertThat(store.attempts("acme", null, postponed.id())).contains(List.of());

    DeliveryView dead = onlyDelivery("acme", events.get(3));
    assertThat(dead.status()).isEqualTo(DeliveryStatus.DEAD);
    assertThat(dead.lastStatusCode()).isEqualTo(404);
    List<AttemptRecord> attempts = store.attempts("acme", null, dead.id()).orElseThrow();
    assertThat(attempts).hasSize(1);
    assertThat(attempts.get(0).number()).isEqualTo(1);
    assertThat(attempts.get(0).statusCode()).isEqualTo(404);
    assertThat(attempts.get(0).duration()).isEqualTo(Duration.ofMillis(12));
    assertThat(attempts.get(0).startedAt()).isEqualTo(clock.instant());
    assertThat(store.attempts("other", null, dead.id())).isEmpty();
    assertThat(store.attempts("acme", dead.target().endpointId(), dead.id())).isPresent();
    assertThat(store.attempts("acme", "wh_another", dead.id())).isEmpty();

    clock.advance(Duration.ofSeconds(30));
    assertThat(store.claim("w", 10, LEASE))
        .extracting(ClaimedDelivery::attempt)
        .containsExactlyInAnyOrder(2, 1);
  }

  @Test
  void recordKeepsEndpointHealth() {
    Endpoint endpoint =
        store.create(NewEndpoint.http("acme", "https://x.example/h", List.of("*"), "whsec_a"));
    publishTo("acme", endpoint.id());
    ClaimedDelivery d = store.claim("w", 1, LEASE).get(0);
    Instant failedAt = clock.instant();
    store.record(
        "w",
        List.of(
            new DeliveryResult(
                d.deliveryId(), attempt(500, "HTTP 500"), new DeliveryResult.RetryAt(failedAt))));
    assertThat(store.find("acme", endpoint.id()).orElseThrow().failingSince()).isEqualTo(failedAt);

    clock.advance(Duration.ofSeconds(5));
    d = store.claim("w", 1, LEASE).get(0);
    store.record(
        "w",
        List.of(
            new DeliveryResult(
                d.deliveryId(),
                attempt(502, "HTTP 502"),
                new DeliveryResult.RetryAt(clock.instant()))));
    assertThat(store.find("acme", endpoint.id()).orElseThrow().failingSince()).isEqualTo(failedAt);

    d = store.claim("w", 1, LEASE).get(0);
    store.record(
        "w",
        List.of(
            new DeliveryResult(
                d.deliveryId(), attempt(200, null), new DeliveryResult.Succeeded())));
    assertThat(store.find("acme", endpoint.id()).orElseThrow().failingSince()).isNull();
  }

  @Test
  void recordingFailuresOpensTheCircuitAtTheThresholdInTheSameTransaction() {
    Endpoint endpoint = limitedEndpoint(10, null);
    for (int i = 0; i < 3; i++) {
      publishTo("acme", endpoint.id());
    }
    HealthRules rules = new HealthRules(3, Duration.ofMinutes(1), Duration.ofDays(5));
    List<ClaimedDelivery> claimed = store.claim("w", 10, LEASE);
    assertThat(claimed).hasSize(3);
    Recorded two =
        store.record("w", List.of(failed(claimed.get(0)), failed(claimed.get(1))), rules);
    assertThat(two.changes()).isEmpty();
    assertThat(store.load(endpoint.id()))
        .isEqualTo(new CircuitState(CircuitState.Status.CLOSED, 2, null));

    Recorded third = store.record("w", List.of(failed(claimed.get(2))), rules);
    assertThat(third.changes())
        .containsExactly(new Recorded.HealthChange("acme", endpoint.id(), true, 3, null, false));
    assertThat(store.load(endpoint.id()))
        .isEqualTo(new CircuitState(CircuitState.Status.OPEN, 3, clock.instant()));
    assertThat(store.find("acme", endpoint.id()).orElseThrow().failingSince())
        .isEqualTo(clock.instant());
  }

  @Test
  void recordingA410DisablesTheEndpointAndAResultWhoseLeaseWasLostChangesNothing() {
    Endpoint endpoint = limitedEndpoint(10, null);
    publishTo("acme", endpoint.id());
    publishTo("acme", endpoint.id());
    assertThat(store.activeEndpoints("acme")).extracting(Endpoint::id).contains(endpoint.id());
    List<ClaimedDelivery> claimed = store.claim("w", 10, LEASE);
    DeliveryResult gone =
        new DeliveryResult(
            claimed.get(0).deliveryId(),
            attempt(410, "HTTP 410"),
            new DeliveryResult.Dead("HTTP 410"),
            true);
    DeliveryResult goneButNotOurs =
        new DeliveryResult(
            claimed.get(1).deliveryId(),
            attempt(410, "HTTP 410"),
            new DeliveryResult.Dead("HTTP 410"),
            true);

    Recorded ignored = store.record("someone-else", List.of(goneButNotOurs), HealthRules.DEFAULTS);
    assertThat(ignored.ignored()).isEqualTo(1);
    assertThat(ignored.changes()).isEmpty();
    assertThat(store.find("acme", endpoint.id()).orElseThrow().active()).isTrue();

    Recorded recorded = store.record("w", List.of(gone), HealthRules.DEFAULTS);
    assertThat(recorded.changes())
        .containsExactly(
            new Recorded.HealthChange(
                "acme", endpoint.id(), false, 1, "the receiver answered 410 Gone", false));
    Endpoint disabled = store.find("acme", endpoint.id()).orElseThrow();
    assertThat(disabled.active()).isFalse();
    assertThat(disabled.disabledReason()).isEqualTo("the receiver answered 410 Gone");
    assertThat(store.activeEndpoints("acme"))
        .as("no longer routed to, at once")
        .extracting(Endpoint::id)
        .doesNotContain(endpoint.id());
  }

  private DeliveryResult failed(ClaimedDelivery d) {
    return new DeliveryResult(
        d.deliveryId(), attempt(500, "HTTP 500"), new DeliveryResult.RetryAt(clock.instant()));
  }

  @Test
  void renewExtendsOnlyOwnLeases() {
    publish("acme", Priority.NORMAL, 1);
    ClaimedDelivery d = store.claim("a", 1, Duration.ofSeconds(10)).get(0);
    assertThat(store.renewLeases("b", List.of(d.deliveryId()), Duration.ofSeconds(60))).isZero();
    assertThat(store.renewLeases("a", List.of(d.deliveryId()), Duration.ofSeconds(60)))
        .isEqualTo(1);
    clock.advance(Duration.ofSeconds(30));
    assertThat(store.claim("b", 1, LEASE)).isEmpty();
    clock.advance(Duration.ofSeconds(31));
    assertThat(store.claim("b", 1, LEASE)).hasSize(1);
  }

  @Test
  void releaseReturnsDeliveriesWithoutAnAttempt() {
    publish("acme", Priority.NORMAL, 2);
    List<ClaimedDelivery> held = store.claim("a", 2, LEASE);
    store.release("b", List.of(held.get(0).deliveryId()));
    assertThat(store.claim("b", 2, LEASE)).isEmpty();
    store.release("a", held.stream().map(ClaimedDelivery::deliveryId).toList());
    List<ClaimedDelivery> again = store.claim("b", 2, LEASE);
    assertThat(again).hasSize(2).allMatch(d -> d.attempt() == 1);
  }

  @Test
  void newWorkListenerHearsLocalPublishes() throws Exception {
    CountDownLatch heard = new CountDownLatch(1);
    try (AutoCloseable subscription = store.onNewWork(heard::countDown)) {
      publish("acme", Priority.NORMAL, 1);
      assertThat(heard.await(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  // ---------------------------------------------------------------------------- endpoints

  @Test
  void endpointCrudIsScopedByTenant() {
    NewEndpoint spec =
        new NewEndpoint(
            "acme",
            "https://hooks.example/a",
            "http",
            List.of("memory.*", "quota.exceeded"),
            dev.herald.webhooks.api.SignatureProfile.LEGACY_HEX,
            "Continuum",
            "legacy-secret",
            "primary",
            Map.of("X-Env", "prod", "X-Team", "core"),
            List.of(Duration.ofSeconds(2), Duration.ofSeconds(4)),
            3,
            null,
            null,
            Ordering.NONE,
            null,
            EndpointFormat.HERALD,
            false);
    Endpoint created = store.create(spec);
    assertThat(created.id()).startsWith("wh_");
    Endpoint found = store.find("acme", created.id()).orElseThrow();
    assertThat(found).isEqualTo(created);
    assertThat(found.eventTypes()).containsExactly("memory.*", "quota.exceeded");
    assertThat(found.customHeaders()).containsEntry("X-Env", "prod").hasSize(2);
    assertThat(found.retryDelays()).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4));
    assertThat(found.headerPrefix()).isEqualTo("Continuum");
    assertThat(found.maxInFlight()).isEqualTo(3);
    assertThat(found.secrets()).extracting(s -> s.value()).containsExactly("legacy-secret");

    assertThat(store.find("other", created.id())).isEmpty();
    assertThat(store.list("other", null, 10).items()).isEmpty();
    assertThat(store.activeEndpoints("other")).isEmpty();
    assertThat(store.enable("other", created.id())).isFalse();
    assertThat(store.delete("other", created.id())).isFalse();
    store.disable("other", created.id(), "nope");
    assertThat(store.rotateSecret("other", created.id(), "x", clock.instant())).isEmpty();
    assertThat(store.activeEndpoints("acme"))
        .extracting(Endpoint::id)
        .containsExactly(created.id());

    store.disable("acme", created.id(), "410 Gone");
    Endpoint disabled = store.find("acme", created.id()).orElseThrow();
    assertThat(disabled.active()).isFalse();
    assertThat(disabled.disabledReason()).isEqualTo("410 Gone");
    assertThat(store.activeEndpoints("acme")).isEmpty();
    assertThat(store.enable("acme", created.id())).isTrue();
    assertThat(store.find("acme", created.id()).orElseThrow().disabledReason()).isNull();

    publishTo("acme", created.id());
    assertThat(store.delete("acme", created.id())).isTrue();
    assertThat(store.find("acme", created.id())).isEmpty();
    Page<DeliveryView> history = store.deliveriesOfEndpoint("acme", created.id(), null, null, 10);
    assertThat(history.items())
        .singleElement()
        .satisfies(d -> assertThat(d.status()).isEqualTo(DeliveryStatus.DEAD));
    assertThat(store.claim("w", 10, LEASE)).isEmpty();
  }

  @Test
  void listPagesNewestFirst() {
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      created.add(
          store.create(NewEndpoint.http("acme", "https://h.example/" + i, List.of("*"), "s")).id());
      clock.advance(Duration.ofMillis(1));
    }
    Page<Endpoint> first = store.list("acme", null, 2);
    Page<Endpoint> second = store.list("acme", first.nextCursor(), 2);
    Page<Endpoint> third = store.list("acme", second.nextCursor(), 2);
    List<String> seen = new ArrayList<>();
    for (Page<Endpoint> p : List.of(first, second, third)) {
      p.items().forEach(e -> seen.add(e.id()));
    }
    assertThat(third.nextCursor()).isNull();
    assertThat(seen).containsExactlyElementsOf(reversed(created));
  }

  @Test
  void secretsAreEncryptedAtRestAndDecryptedBack() throws SQLException {
    String secret = "whsec_TmV2ZXJMb2dNZVBsZWFzZTEyMzQ1Njc4";
    Endpoint e = store.create(NewEndpoint.http("acme", "https://h.example/", List.of("*"), secret));
    try (Connection c = jdbc();
        PreparedStatement ps = c.prepareStatement("SELECT secrets FROM endpoints WHERE id = ?")) {
      ps.setString(1, e.id());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        byte[] raw = rs.getBytes(1);
        assertThat(new String(raw, StandardCharsets.ISO_8859_1))
            .doesNotContain(secret)
            .doesNotContain("TmV2ZXJMb2dNZVBsZWFz");
      }
    }
    assertThat(store.find("acme", e.id()).orElseThrow().secrets().get(0).value()).isEqualTo(secret);
  }

  @Test
  void rotationKeepsThePreviousSecretUntilItExpires() {
    Endpoint e = store.create(NewEndpoint.http("acme", "https://h.example/", List.of("*"), "old"));
    Instant expiry = clock.instant().plus(Duration.ofHours(24));
    Endpoint rotated = store.rotateSecret("acme", e.id(), "new", expiry).orElseThrow();
    assertThat(rotated.secrets()).extracting(s -> s.value()).containsExactly("new", "old");
    assertThat(rotated.secrets().get(1).expiresAt()).isEqualTo(expiry);

    clock.advance(Duration.ofHours(25));
    assertThat(store.find("acme", e.id()).orElseThrow().secrets())
        .extracting(s -> s.value())
        .containsExactly("new");
    Endpoint again =
        store.rotateSecret("acme", e.id(), "newer", clock.instant().plusSeconds(60)).orElseThrow();
    assertThat(again.secrets()).extracting(s -> s.value()).containsExactly("newer", "new");
  }

  // --------------------------------------------------------------- circuit, settings, history

  @Test
  void circuitUpdatesFromManyThreadsLoseNothing() throws Exception {
    assertThat(store.load("wh_c")).isEqualTo(CircuitState.INITIAL);
    runConcurrently(
        8,
        () -> {
          for (int i = 0; i < 50; i++) {
            store.update(
                "wh_c",
                s -> new CircuitState(s.status(), s.consecutiveFailures() + 1, s.openedAt()));
          }
          return null;
        });
    assertThat(store.load("wh_c").consecutiveFailures()).isEqualTo(400);
    Instant opened = clock.instant();
    store.update("wh_c", s -> new CircuitState(CircuitState.Status.OPEN, 5, opened));
    assertThat(store.load("wh_c")).isEqualTo(new CircuitState(CircuitState.Status.OPEN, 5, opened));
  }

  @Test
  void settingsPutGetRemove() {
    assertThat(store.get("herald.migration.phase")).isEmpty();
    store.put("herald.migration.phase", "dual");
    store.put("herald.migration.phase", "webhook-primary");
    assertThat(store.get("herald.migration.phase")).contains("webhook-primary");
    store.remove("herald.migration.phase");
    assertThat(store.get("herald.migration.phase")).isEmpty();
  }

  @Test
  void endpointHistoryPagesNewestFirstWithStatusFilter() {
    List<String> events = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      events.add(publishTo("acme", "wh_h").eventId());
      clock.advance(Duration.ofMillis(1));
    }
    Set<String> seen = new HashSet<>();
    List<String> eventOrder = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Page<DeliveryView> page = store.deliveriesOfEndpoint("acme", "wh_h", null, cursor, 10);
      page.items()
          .forEach(
              d -> {
                seen.add(d.id());
                eventOrder.add(d.eventId());
              });
      cursor = page.nextCursor();
      pages++;
    } while (cursor != null);
    assertThat(pages).isEqualTo(3);
    assertThat(seen).hasSize(25);
    assertThat(eventOrder).containsExactlyElementsOf(reversed(events));
    assertThat(store.deliveriesOfEndpoint("acme", "wh_h", DeliveryStatus.DEAD, null, 10).items())
        .isEmpty();
    assertThat(
            store.deliveriesOfEndpoint("acme", "wh_h", DeliveryStatus.PENDING, null, 100).items())
        .hasSize(25);
    assertThat(store.deliveriesOfEndpoint("other", "wh_h", null, null, 100).items()).isEmpty();
    assertThat(store.deliveriesOfEvent("other", events.get(0))).isEmpty();
  }

  // --------------------------------------------------------------------------- lifecycle

  @Test
  void purgeDeletesOnlyOldFinishedEventsInBatches() throws SQLException {
    String old = publish("acme", Priority.NORMAL, 1).eventId();
    String oldPending = publish("acme", Priority.NORMAL, 1).eventId();
    String oldDead = publish("acme", Priority.NORMAL, 1).eventId();
    for (ClaimedDelivery d : store.claim("w", 10, LEASE)) {
      DeliveryResult.Next next =
          d.eventId().equals(old)
              ? new DeliveryResult.Succeeded()
              : new DeliveryResult.Dead("gone");
      if (d.eventId().equals(oldPending)) {
        store.release("w", List.of(d.deliveryId()));
      } else {
        store.record("w", List.of(new DeliveryResult(d.deliveryId(), attempt(200, null), next)));
      }
    }
    for (int i = 0; i < 5; i++) {
      publish("acme", Priority.NORMAL, 0);
    }
    clock.advance(Duration.ofDays(31));
    String recent = publish("acme", Priority.NORMAL, 0).eventId();

    TenantStore.Purged purged =
        store.purgeEventsOlderThan(clock.instant().minus(Duration.ofDays(30)), 2);

    assertThat(purged).isEqualTo(new TenantStore.Purged(7, 2, 2));
    assertThat(store.deliveriesOfEvent("acme", old)).isEmpty();
    assertThat(store.deliveriesOfEvent("acme", oldDead)).isEmpty();
    assertThat(store.deliveriesOfEvent("acme", oldPending)).isPresent();
    assertThat(store.deliveriesOfEvent("acme", recent)).isPresent();
    assertThat(count("SELECT COUNT(*) FROM attempts")).isZero();
    assertThat(store.purgeEventsOlderThan(clock.instant().minus(Duration.ofDays(30)), 2))
        .isEqualTo(TenantStore.Purged.NONE);
  }

  @Test
  void aDeletedTenantIsGoneAtOnceAndErasedInBatches() throws SQLException {
    store.createTenant("acme", "Acme Inc.");
    store.createTenant("other", "Other");
    assertThat(store.findTenant("acme").map(TenantStore.Tenant::name)).contains("Acme Inc.");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.createTenant("acme", "again"))
        .isInstanceOf(IllegalStateException.class);
    store.saveKey("acme", "k", "sha256:acme");
    store.saveKey("other", "k", "sha256:other");
    Endpoint e = store.create(NewEndpoint.http("acme", "https://h.example/", List.of("*"), "s"));
    store.update(e.id(), s -> new CircuitState(CircuitState.Status.CLOSED, 1, null));
    for (int i = 0; i < 5; i++) {
      publishTo("acme", e.id());
    }
    ClaimedDelivery d = store.claim("w", 1, LEASE).get(0);
    store.record(
        "w",
        List.of(
            new DeliveryResult(
                d.deliveryId(), attempt(200, null), new DeliveryResult.Succeeded())));
    store.put(dev.herald.webhooks.core.migration.MigrationPhases.TENANT_PREFIX + "acme", "dual");
    String kept = publish("other", Priority.NORMAL, 1).eventId();

    assertThat(store.deleteTenant("acme")).isTrue();

    assertThat(store.findTenant("acme")).isEmpty();
    assertThat(store.findKeyByHash("sha256:acme")).isEmpty();
    assertThat(store.tenants()).extracting(t -> t.id()).containsExactly("other");
    assertThat(store.find("acme", e.id()).map(Endpoint::active)).contains(false);
    assertThat(store.deleteTenant("acme")).isFalse();
    assertThat(store.deletedTenants()).containsExactly("acme");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.createTenant("acme", "again"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("being erased");

    assertThat(store.eraseDeletedTenant("acme", 2)).isEqualTo(new TenantStore.Purged(5, 5, 1));

    for (String table :
        List.of("events", "deliveries", "endpoints", "api_keys", "subject_sequences", "tenants")) {
      String column = table.equals("tenants") ? "id" : "tenant_id";
      assertThat(count("SELECT COUNT(*) FROM " + table + " WHERE " + column + " = 'acme'"))
          .as(table)
          .isZero();
    }
    assertThat(count("SELECT COUNT(*) FROM attempts")).isZero();
    assertThat(count("SELECT COUNT(*) FROM circuit_states")).isZero();
    assertThat(count("SELECT COUNT(*) FROM endpoint_slots")).isZero();
    assertThat(count("SELECT COUNT(*) FROM settings WHERE name LIKE '%acme'")).isZero();
    assertThat(store.deletedTenants()).isEmpty();
    assertThat(store.deliveriesOfEvent("other", kept)).isPresent();
    assertThat(store.findKeyByHash("sha256:other")).isPresent();
    assertThat(store.eraseDeletedTenant("other", 2)).isEqualTo(TenantStore.Purged.NONE);
    assertThat(store.findTenant("other")).isPresent();
    store.createTenant("acme", "Acme again");
  }

  @Test
  void anExportListsEveryRowOfTheTenantOnly() {
    store.createTenant("acme", "Acme Inc.");
    Endpoint e = store.create(NewEndpoint.http("acme", "https://h.example/", List.of("*"), "s"));
    List<String> events = new ArrayList<>();
    for (int i = 0; i < 450; i++) {
      events.add(publishTo("acme", e.id()).eventId());
    }
    publish("other", Priority.NORMAL, 1);
    ClaimedDelivery d = store.claim("w", 1, LEASE).get(0);
    store.record(
        "w",
        List.of(
            new DeliveryResult(
                d.deliveryId(),
                attempt(500, "boom"),
                new DeliveryResult.RetryAt(clock.instant()))));
    List<String> lines = new ArrayList<>();
    boolean found =
        store.exportTenant(
            "acme",
            new TenantStore.ExportSink() {
              @Override
              public void tenant(TenantStore.Tenant tenant) {
                lines.add("tenant " + tenant.id());
              }

              @Override
              public void endpoint(Endpoint endpoint) {
                lines.add("endpoint " + endpoint.id());
              }

              @Override
              public void event(TenantStore.ExportedEvent event) {
                lines.add("event " + event.id());
              }

              @Override
              public void delivery(DeliveryView delivery) {
                lines.add("delivery " + delivery.eventId());
              }

              @Override
              public void attempt(String deliveryId, AttemptRecord attempt) {
                lines.add("attempt " + deliveryId + " " + attempt.statusCode());
              }
            });

    assertThat(found).isTrue();
    assertThat(lines.subList(0, 2)).containsExactly("tenant acme", "endpoint " + e.id());
    assertThat(lines.stream().filter(l -> l.startsWith("event ")).map(l -> l.substring(6)))
        .containsExactlyInAnyOrderElementsOf(events);
    assertThat(lines.stream().filter(l -> l.startsWith("delivery "))).hasSize(450);
    assertThat(lines).contains("attempt " + d.deliveryId() + " 500");
    int eventLine = lines.indexOf("event " + d.eventId());
    assertThat(lines.get(eventLine + 1)).isEqualTo("delivery " + d.eventId());
    assertThat(lines.get(eventLine + 2)).isEqualTo("attempt " + d.deliveryId() + " 500");
    assertThat(store.exportTenant("nobody", null)).isFalse();
  }

  @Test
  void anEndpointsPayloadFilterIsKeptChangedAndRemoved() {
    NewEndpoint spec = NewEndpoint.http("acme", "https://h.example/", List.of("*"), "s");
    Endpoint e =
        store.create(
            new NewEndpoint(
                spec.tenantId(),
                spec.url(),
                spec.transport(),
                spec.eventTypes(),
                spec.signatureProfile(),
                null,
                spec.secret(),
                null,
                Map.of(),
                null,
                10,
                null,
                "data.importance >= 0.8",
                Ordering.NONE,
                null,
                EndpointFormat.HERALD,
                false));
    assertThat(store.find("acme", e.id()).orElseThrow().filter())
        .isEqualTo("data.importance >= 0.8");
    assertThat(store.activeEndpoints("acme"))
        .extracting(Endpoint::filter)
        .containsExactly("data.importance >= 0.8");
    store.update(
        "acme",
        e.id(),
        new EndpointStore.EndpointChanges(
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            Optional.of("type == \"a.b\""),
            null,
            null,
            null));
    assertThat(store.find("acme", e.id()).orElseThrow().filter()).isEqualTo("type == \"a.b\"");
    store.update(
        "acme",
        e.id(),
        new EndpointStore.EndpointChanges(
            null, null, null, null, "kept", null, null, null, null, null, null, null, null));
    assertThat(store.find("acme", e.id()).orElseThrow().filter()).isEqualTo("type == \"a.b\"");
    store.update(
        "acme",
        e.id(),
        new EndpointStore.EndpointChanges(
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            Optional.empty(),
            null,
            null,
            null));
    assertThat(store.find("acme", e.id()).orElseThrow().filter()).isNull();
  }

  @Test
  void aJobLeaseHasOneHolderUntilItRunsOut() throws Exception {
    List<Boolean> taken =
        runConcurrently(
            4,
            () ->
                store.tryLease(
                    "purge", "p-" + Thread.currentThread().getId(), Duration.ofMinutes(10)));
    assertThat(taken).containsOnlyOnce(true);
    assertThat(store.tryLease("purge", "someone-else", Duration.ofMinutes(10))).isFalse();
    assertThat(store.tryLease("other-job", "someone-else", Duration.ofMinutes(10))).isTrue();
    clock.advance(Duration.ofMinutes(10));
    assertThat(store.tryLease("purge", "someone-else", Duration.ofMinutes(10))).isTrue();
    assertThat(store.tryLease("purge", "someone-else", Duration.ofMinutes(10)))
        .as("not even the holder runs the job twice in one lease")
        .isFalse();
    clock.advance(Duration.ofMinutes(9));
    assertThat(store.tryLease("purge", "a-third", Duration.ofMinutes(10))).isFalse();
  }

  @Test
  void timestampColumnsAreRealTimestamps() throws SQLException {
    try (Connection c = jdbc();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT table_name, column_name, data_type FROM information_schema.columns"
                    + " WHERE LOWER(column_name) IN ('created_at', 'next_attempt_at', 'lease_until',"
                    + " 'started_at', 'opened_at', 'failing_since', 'updated_at')"
                    + " AND LOWER(table_schema) = LOWER(CURRENT_SCHEMA)")) {
      int columns = 0;
      while (rs.next()) {
        columns++;
        assertThat(rs.getString(3).toLowerCase())
            .as(rs.getString(1) + "." + rs.getString(2))
            .isEqualTo("timestamp with time zone");
      }
      assertThat(columns).isGreaterThanOrEqualTo(10);
    }
  }

  // ------------------------------------------------------------------------------ migration

  @Test
  void fallbackDeliveryIsAddedOnceHoweverManyWorkersAskAtOnce() throws Exception {
    PublishResult published = publish("acme", Priority.HIGH, 1);
    List<Boolean> added =
        runConcurrently(
            6, () -> store.addDelivery("acme", published.eventId(), DeliveryTarget.redis()));
    assertThat(added).containsOnlyOnce(true);
    List<DeliveryView> deliveries =
        store.deliveriesOfEvent("acme", published.eventId()).orElseThrow();
    assertThat(deliveries)
        .extracting(DeliveryView::target)
        .containsExactlyInAnyOrder(new DeliveryTarget("http", "wh_0"), DeliveryTarget.redis());
    DeliveryView redis =
        deliveries.stream().filter(d -> !d.target().isEndpoint()).findFirst().orElseThrow();
    assertThat(redis.status()).isEqualTo(DeliveryStatus.PENDING);
    // The added delivery is due at once and keeps the event's priority.
    assertThat(store.claim("w", 10, LEASE))
        .extracting(ClaimedDelivery::deliveryId)
        .contains(redis.id());
  }

  @Test
  void fallbackDeliveryIsScopedByTenant() {
    PublishResult published = publish("acme", Priority.NORMAL, 1);
    assertThat(store.addDelivery("other", published.eventId(), DeliveryTarget.redis())).isFalse();
    assertThat(store.deliveriesOfEvent("acme", published.eventId()).orElseThrow()).hasSize(1);
  }

  @Test
  void settingsByPrefixTreatsWildcardCharactersLiterally() {
    store.put("herald.migration.phase.tenant.acme", "dual");
    store.put("herald.migration.phase.tenant.b_2", "redis-only");
    store.put("herald.migration.phaseXtenant.x", "no");
    store.put("herald.other", "no");
    assertThat(store.byPrefix("herald.migration.phase.tenant."))
        .containsExactly(
            Map.entry("herald.migration.phase.tenant.acme", "dual"),
            Map.entry("herald.migration.phase.tenant.b_2", "redis-only"));
    assertThat(store.byPrefix("herald.migration.phase_")).isEmpty();
  }

  @Test
  void migrationReportCountsEachSideOfDualRoutedEvents() {
    Instant from = clock.instant();
    String both = dualEvent("acme");
    String webhookOnly = dualEvent("acme");
    String redisOnly = dualEvent("acme");
    String neither = dualEvent("other");
    PublishResult webhookSideOnlyEvent = publish("acme", Priority.NORMAL, 1); // not dual: ignored
    List<ClaimedDelivery> claimed = store.claim("w", 100, LEASE);
    List<DeliveryResult> results = new ArrayList<>();
    for (ClaimedDelivery d : claimed) {
      boolean succeed =
          d.eventId().equals(both)
              || (d.eventId().equals(webhookOnly) && d.target().isEndpoint())
              || (d.eventId().equals(redisOnly) && !d.target().isEndpoint());
      results.add(
          new DeliveryResult(
              d.deliveryId(),
              attempt(succeed ? 200 : 503, succeed ? null : "x"),
              succeed
                  ? new DeliveryResult.Succeeded()
                  : d.eventId().equals(neither)
                      ? new DeliveryResult.Dead("gave up")
                      : new DeliveryResult.RetryAt(clock.instant().plusSeconds(60))));
    }
    store.record("w", results);
    clock.advance(Duration.ofSeconds(1));

    MigrationReport report = store.migrationReport(null, from, clock.instant(), 10);
    assertThat(report.events()).isEqualTo(4);
    assertThat(report.bothSucceeded()).isEqualTo(1);
    assertThat(report.webhookOnly()).isEqualTo(1);
    assertThat(report.redisOnly()).isEqualTo(1);
    assertThat(report.neither()).isEqualTo(1);
    assertThat(report.mismatches())
        .extracting(MigrationReport.EventParity::eventId)
        .containsExactlyInAnyOrder(webhookOnly, redisOnly, neither)
        .doesNotContain(both, webhookSideOnlyEvent.eventId());
    MigrationReport.EventParity dead =
        report.mismatches().stream()
            .filter(p -> p.eventId().equals(neither))
            .findFirst()
            .orElseThrow();
    assertThat(dead.redisStatus()).isEqualTo(DeliveryStatus.DEAD);
    assertThat(dead.tenantId()).isEqualTo("other");

    MigrationReport acmeOnly = store.migrationReport("acme", from, clock.instant(), 1);
    assertThat(acmeOnly.events()).isEqualTo(3);
    assertThat(acmeOnly.mismatches()).hasSize(1);
    assertThat(
            store
                .migrationReport(null, clock.instant(), clock.instant().plusSeconds(5), 10)
                .events())
        .isZero();
  }

  private String dualEvent(String tenant) {
    return store
        .publish(
            new PreparedEvent(
                event(tenant, null, "k-" + ids.next("")),
                Priority.NORMAL,
                List.of(new DeliveryTarget("http", "wh_1"), DeliveryTarget.redis()),
                WINDOW),
            ENCODER)
        .eventId();
  }

  // ------------------------------------------------------------------------------ API keys

  @Test
  void apiKeysAreFoundByHashListedPerTenantAndRevokedAtOnce() throws SQLException {
    ApiKeys keys = new ApiKeys(store, clock);
    ApiKeys.Issued first = keys.issue("acme", "ci pipeline");
    clock.advance(Duration.ofSeconds(1));
    ApiKeys.Issued second = keys.issue("acme", null);
    keys.issue("other", "theirs");

    assertThat(keys.authenticate(first.key())).map(k -> k.tenantId()).contains("acme");
    assertThat(keys.authenticate(first.key() + "x")).isEmpty();
    assertThat(keys.authenticate("not-a-key")).isEmpty();
    assertThat(store.keysOf("acme"))
        .extracting(k -> k.id())
        .containsExactly(first.info().id(), second.info().id());
    assertThat(
            count(
                "SELECT COUNT(*) FROM api_keys WHERE key_hash LIKE '%"
                    + first.key().substring(4, 20)
                    + "%'"))
        .isZero();

    assertThat(store.revokeKey("other", first.info().id())).isFalse();
    assertThat(keys.authenticate(first.key())).isPresent();
    assertThat(store.revokeKey("acme", first.info().id())).isTrue();
    assertThat(keys.authenticate(first.key())).isEmpty();
    assertThat(keys.authenticate(second.key())).isPresent();
  }

  @Test
  void aTrustedKeyAnswerHoldsForItsPeriodAndARevocationHereEndsItAtOnce() {
    Duration trust = Duration.ofMillis(500);
    ApiKeys here = new ApiKeys(store, clock, trust);
    ApiKeys elsewhere = new ApiKeys(store, clock, trust);
    ApiKeys.Issued a = here.issue("acme", null);
    ApiKeys.Issued b = here.issue("acme", null);
    assertThat(here.authenticate(a.key())).isPresent();
    assertThat(elsewhere.authenticate(a.key())).isPresent();
    assertThat(here.authenticate(b.key())).isPresent();

    assertThat(here.revoke("acme", a.info().id())).isTrue();
    assertThat(here.authenticate(a.key())).as("revoked here: at once").isEmpty();
    assertThat(here.authenticate(b.key())).as("the other key is untouched").isPresent();
    assertThat(elsewhere.authenticate(a.key()))
        .as("another instance trusts its answer for the period")
        .isPresent();
    clock.advance(trust);
    assertThat(elsewhere.authenticate(a.key())).as("and no longer").isEmpty();
    assertThat(here.revoke("acme", "key_missing")).isFalse();
  }

  @Test
  void apiKeyUseIsRecordedAtMostOnceAMinute() {
    ApiKeys keys = new ApiKeys(store, clock);
    ApiKeys.Issued issued = keys.issue("acme", null);
    assertThat(keys.authenticate(issued.key()).orElseThrow().lastUsedAt()).isNull();
    Instant firstUse = store.keysOf("acme").get(0).lastUsedAt();
    assertThat(firstUse).isEqualTo(clock.instant());
    clock.advance(Duration.ofSeconds(30));
    keys.authenticate(issued.key());
    assertThat(store.keysOf("acme").get(0).lastUsedAt()).isEqualTo(firstUse);
    clock.advance(Duration.ofSeconds(31));
    keys.authenticate(issued.key());
    assertThat(store.keysOf("acme").get(0).lastUsedAt()).isEqualTo(clock.instant());
  }

  // ------------------------------------------------------------------------------ portal links

  @Test
  void aPortalLinkWorksUntilItExpiresOrIsRevokedAndOnlyForItsTenant() throws SQLException {
    PortalLinks links = new PortalLinks(store, clock, Duration.ZERO);
    PortalLinks.Issued first = links.issue("acme", Duration.ofMinutes(15));
    clock.advance(Duration.ofSeconds(1));
    PortalLinks.Issued second = links.issue("acme", Duration.ofMinutes(1));
    PortalLinks.Issued theirs = links.issue("other", Duration.ofMinutes(15));

    assertThat(first.token()).matches("hpl_[A-Za-z0-9_-]{43}");
    assertThat(links.authenticate(first.token()))
        .map(l -> l.tenantId() + " " + l.id())
        .contains("acme " + first.info().id());
    assertThat(links.authenticate(first.token() + "x")).isEmpty();
    assertThat(links.authenticate(ApiKeys.PREFIX + first.token().substring(4))).isEmpty();
    assertThat(
            count(
                "SELECT COUNT(*) FROM portal_links WHERE token_hash LIKE '%"
                    + first.token().substring(4, 20)
                    + "%'"))
        .isZero();
    assertThat(links.linksOf("acme"))
        .extracting(l -> l.id())
        .containsExactly(first.info().id(), second.info().id());

    clock.advance(Duration.ofMinutes(1));
    assertThat(links.authenticate(second.token())).as("expired").isEmpty();
    assertThat(links.linksOf("acme")).extracting(l -> l.id()).containsExactly(first.info().id());
    assertThat(links.revoke("other", first.info().id())).as("another tenant's link").isFalse();
    assertThat(links.authenticate(first.token())).isPresent();
    assertThat(links.revoke("acme", first.info().id())).isTrue();
    assertThat(links.authenticate(first.token())).as("revoked").isEmpty();
    assertThat(links.authenticate(theirs.token())).isPresent();

    links.issue("other", Duration.ofMinutes(1));
    assertThat(count("SELECT COUNT(*) FROM portal_links WHERE tenant_id = 'acme'"))
        .as("the expired link's row went when the next link was issued")
        .isZero();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> links.issue("acme", Duration.ofSeconds(9)))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> links.issue("acme", Duration.ofHours(25)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aTrustedPortalLinkAnswerNeverOutlivesTheLinksExpiry() {
    Duration trust = Duration.ofMinutes(5);
    PortalLinks here = new PortalLinks(store, clock, trust);
    PortalLinks elsewhere = new PortalLinks(store, clock, trust);
    PortalLinks.Issued link = here.issue("acme", Duration.ofMinutes(2));
    assertThat(elsewhere.authenticate(link.token())).isPresent();

    assertThat(here.revoke("acme", link.info().id())).isTrue();
    assertThat(here.authenticate(link.token())).as("revoked here: at once").isEmpty();
    assertThat(elsewhere.authenticate(link.token()))
        .as("another instance trusts its answer for a while")
        .isPresent();
    clock.advance(Duration.ofMinutes(2));
    assertThat(elsewhere.authenticate(link.token()))
        .as("but not past the expiry, though trusted for 5 minutes")
        .isEmpty();
  }

  @Test
  void aTenantHoldsAtMostAThousandLivePortalLinksAndDeletingItRemovesThem() {
    PortalLinks links = new PortalLinks(store, clock, Duration.ofMinutes(5));
    for (int i = 0; i < PortalLinks.MAX_ACTIVE_PER_TENANT; i++) {
      links.issue("acme", Duration.ofMinutes(10));
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> links.issue("acme", Duration.ofMinutes(10)))
        .isInstanceOf(PortalLinks.TooManyLinksException.class);
    assertThat(links.issue("other", Duration.ofMinutes(10))).isNotNull();
    clock.advance(Duration.ofMinutes(10));
    assertThat(links.issue("acme", Duration.ofMinutes(10))).as("once they expired").isNotNull();

    PortalLinks.Issued live = links.issue("acme", Duration.ofMinutes(10));
    assertThat(links.authenticate(live.token())).isPresent();
    store.createTenant("acme", "Acme");
    assertThat(store.deleteTenant("acme")).isTrue();
    links.forgetTenant("acme");
    assertThat(links.authenticate(live.token())).isEmpty();
    assertThat(store.portalLinksOf("acme", clock.instant())).isEmpty();
  }

  // ------------------------------------------------------------------------------ operations

  /** Claims everything due and records {@code next} for the deliveries {@code which} selects. */
  private void finish(
      java.util.function.Predicate<ClaimedDelivery> which, DeliveryResult.Next next) {
    List<DeliveryResult> results = new ArrayList<>();
    for (ClaimedDelivery d : store.claim("ops", 1000, LEASE)) {
      if (which.test(d)) {
        results.add(new DeliveryResult(d.deliveryId(), attempt(503, "x"), next));
      }
    }
    store.record("ops", results);
    store.release(
        "ops", store.claim("ops", 1000, LEASE).stream().map(ClaimedDelivery::deliveryId).toList());
  }

  @Test
  void eventEnvelopeIsTheStoredBodyAndOnlyItsTenantSeesIt() {
    PublishResult published = publishTo("acme", "wh_a");
    assertThat(store.eventEnvelope("acme", published.eventId()))
        .hasValueSatisfying(
            body ->
                assertThat(new String(body, StandardCharsets.UTF_8))
                    .startsWith(published.eventId() + "#"));
    assertThat(store.eventEnvelope("other", published.eventId())).isEmpty();
    assertThat(store.eventEnvelope("acme", "evt_missing")).isEmpty();
  }

  @Test
  void retryNowMakesADeadDeliveryDueButNotASucceededOneNorAnotherTenants() {
    PublishResult dead = publishTo("acme", "wh_a");
    PublishResult done = publishTo("acme", "wh_a");
    List<ClaimedDelivery> claimed = store.claim("w", 10, LEASE);
    store.record(
        "w",
        claimed.stream()
            .map(
                d ->
                    new DeliveryResult(
                        d.deliveryId(),
                        attempt(d.eventId().equals(dead.eventId()) ? 404 : 200, null),
                        d.eventId().equals(dead.eventId())
                            ? new DeliveryResult.Dead("404")
                            : new DeliveryResult.Succeeded()))
            .toList());
    String deadId = onlyDelivery("acme", dead.eventId()).id();
    String doneId = onlyDelivery("acme", done.eventId()).id();

    assertThat(store.retryNow("other", deadId)).isFalse();
    assertThat(store.retryNow("acme", doneId)).isFalse();
    assertThat(store.retryNow("acme", deadId)).isTrue();
    DeliveryView view = onlyDelivery("acme", dead.eventId());
    assertThat(view.status()).isEqualTo(DeliveryStatus.PENDING);
    assertThat(view.deadReason()).isNull();
    assertThat(view.attempts()).isEqualTo(1);
    assertThat(store.claim("w", 10, LEASE))
        .extracting(ClaimedDelivery::deliveryId)
        .containsExactly(deadId);
  }

  @Test
  void redriveMatchesEndpointTypeAndTimeRange() {
    Instant start = clock.instant();
    PublishResult a1 = publishTo("acme", "wh_a");
    clock.advance(Duration.ofMinutes(10));
    PublishResult a2 = publishTo("acme", "wh_a");
    PublishResult b = publishTo("acme", "wh_b");
    PublishResult other = publishTo("other", "wh_a");
    finish(d -> true, new DeliveryResult.Dead("gave up"));

    assertThat(
            store.redrive(
                "acme",
                new DeliveryOperations.RedriveFilter(
                    "wh_a", null, start.plus(Duration.ofMinutes(5)), null)))
        .isEqualTo(1);
    assertThat(onlyDelivery("acme", a2.eventId()).status()).isEqualTo(DeliveryStatus.PENDING);
    assertThat(onlyDelivery("acme", a1.eventId()).status()).isEqualTo(DeliveryStatus.DEAD);
    assertThat(
            store.redrive(
                "acme", new DeliveryOperations.RedriveFilter(null, "user.created", null, null)))
        .isZero();
    assertThat(
            store.redrive(
                "acme", new DeliveryOperations.RedriveFilter(null, "memory.created", null, null)))
        .isEqualTo(2);
    assertThat(onlyDelivery("acme", b.eventId()).status()).isEqualTo(DeliveryStatus.PENDING);
    assertThat(onlyDelivery("other", other.eventId()).status()).isEqualTo(DeliveryStatus.DEAD);
  }

  @Test
  void deadLettersAreListedAcrossEndpointsNewestFirstByCursor() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(publishTo("acme", "wh_" + (i % 2)).eventId());
      clock.advance(Duration.ofSeconds(1));
    }
    publishTo("other", "wh_0");
    finish(d -> true, new DeliveryResult.Dead("gave up"));
    Page<DeliveryView> first = store.deadLetters("acme", null, 3);
    Page<DeliveryView> second = store.deadLetters("acme", first.nextCursor(), 3);
    assertThat(first.items())
        .extracting(DeliveryView::eventId)
        .containsExactly(ids.get(4), ids.get(3), ids.get(2));
    assertThat(second.items())
        .extracting(DeliveryView::eventId)
        .containsExactly(ids.get(1), ids.get(0));
    assertThat(second.nextCursor()).isNull();
  }

  @Test
  void replaySendsMatchingEventsSinceATimeToTheEndpointAgain() {
    Endpoint endpoint =
        store.create(
            NewEndpoint.http("acme", "https://example.com/r", List.of("memory.*"), "whsec_x"));
    PublishResult old = publishTo("acme", "wh_x");
    clock.advance(Duration.ofMinutes(1));
    Instant since = clock.instant();
    List<String> recent = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      recent.add(publishTo("acme", "wh_x").eventId());
      clock.advance(Duration.ofMillis(10));
    }
    store.publish(
        new PreparedEvent(
            new Event(
                ids.next(Ids.EVENT),
                "user.created",
                clock.instant(),
                "acme",
                "k-user",
                1,
                null,
                0,
                Map.of("user_id", "u"),
                Map.of()),
            Priority.NORMAL,
            List.of(),
            WINDOW),
        ENCODER);
    publishTo("other", "wh_x");

    assertThat(store.replay("other", endpoint.id(), since, 100)).isZero();
    assertThat(store.replay("acme", endpoint.id(), since, 2)).isEqualTo(2);
    assertThat(store.replay("acme", endpoint.id(), since, 100)).isEqualTo(3);
    assertThat(store.deliveriesOfEvent("acme", recent.get(0)).orElseThrow())
        .filteredOn(d -> endpoint.id().equals(d.target().endpointId()))
        .hasSize(2);
    assertThat(store.deliveriesOfEvent("acme", old.eventId()).orElseThrow())
        .noneMatch(d -> endpoint.id().equals(d.target().endpointId()));
  }

  @Test
  void statsCountDeliveriesAndAttemptPercentilesOfTheWindow() {
    Endpoint endpoint =
        store.create(NewEndpoint.http("acme", "https://example.com/s", List.of("*"), "whsec_x"));
    Instant from = clock.instant();
    for (int i = 0; i < 4; i++) {
      publishTo("acme", endpoint.id());
    }
    List<ClaimedDelivery> claimed = store.claim("w", 10, LEASE);
    List<DeliveryResult> results = new ArrayList<>();
    for (int i = 0; i < claimed.size(); i++) {
      boolean ok = i < 3;
      results.add(
          new DeliveryResult(
              claimed.get(i).deliveryId(),
              new AttemptRecord(
                  1,
                  clock.instant(),
                  Duration.ofMillis(10 * (i + 1)),
                  ok ? 200 : 500,
                  "",
                  ok ? null : "http_500",
                  ok ? null : "HTTP 500"),
              ok
                  ? new DeliveryResult.Succeeded()
                  : new DeliveryResult.RetryAt(clock.instant().plusSeconds(60))));
    }
    store.record("w", results);
    clock.advance(Duration.ofSeconds(1));

    DeliveryOperations.EndpointStats stats =
        store.stats("acme", endpoint.id(), from, clock.instant());
    assertThat(stats.deliveriesByStatus())
        .containsEntry(DeliveryStatus.SUCCEEDED, 3L)
        .containsEntry(DeliveryStatus.PENDING, 1L)
        .containsEntry(DeliveryStatus.DEAD, 0L);
    assertThat(stats.attempts()).isEqualTo(4);
    assertThat(stats.successRate()).isEqualTo(0.75);
    assertThat(stats.p50Millis()).isEqualTo(20);
    assertThat(stats.p99Millis()).isEqualTo(40);
    assertThat(store.stats("other", endpoint.id(), from, clock.instant()).attempts()).isZero();
    assertThat(store.queueDepthByPriority()).containsExactly(0L, 1L, 0L);
  }

  @Test
  void circuitsByStatusCountsEveryStoredStateWithZeros() {
    assertThat(store.circuitsByStatus())
        .containsOnlyKeys(CircuitState.Status.values())
        .allSatisfy((status, count) -> assertThat(count).isNotNegative());
    Map<CircuitState.Status, Long> before = store.circuitsByStatus();
    Instant now = clock.instant();
    store.update("wh_circuit_a", s -> new CircuitState(CircuitState.Status.OPEN, 5, now));
    store.update("wh_circuit_b", s -> new CircuitState(CircuitState.Status.OPEN, 7, now));
    store.update("wh_circuit_c", s -> new CircuitState(CircuitState.Status.CLOSED, 1, null));

    Map<CircuitState.Status, Long> after = store.circuitsByStatus();
    assertThat(after.get(CircuitState.Status.OPEN) - before.get(CircuitState.Status.OPEN))
        .isEqualTo(2);
    assertThat(after.get(CircuitState.Status.CLOSED) - before.get(CircuitState.Status.CLOSED))
        .isEqualTo(1);
    assertThat(after.get(CircuitState.Status.HALF_OPEN))
        .isEqualTo(before.get(CircuitState.Status.HALF_OPEN));
  }

  @Test
  void endpointUpdateChangesOnlyGivenFieldsOfTheTenantsEndpoint() {
    Endpoint created =
        store.create(
            new NewEndpoint(
                "acme",
                "https://example.com/u",
                "http",
                List.of("memory.*"),
                SignatureProfile.STANDARD,
                null,
                "whsec_x",
                "first",
                Map.of("X-A", "1"),
                null,
                10,
                null,
                null,
                Ordering.NONE,
                null,
                EndpointFormat.HERALD,
                false));
    assertThat(created.description()).isEqualTo("first");
    assertThat(created.createdAt()).isEqualTo(clock.instant());
    assertThat(
            store.update(
                "other",
                created.id(),
                new EndpointStore.EndpointChanges(
                    "https://evil.example",
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null)))
        .isEmpty();
    Endpoint updated =
        store
            .update(
                "acme",
                created.id(),
                new EndpointStore.EndpointChanges(
                    null,
                    List.of("quota.*"),
                    null,
                    null,
                    "second",
                    null,
                    java.util.Optional.of(List.of(Duration.ofSeconds(3))),
                    4,
                    null,
                    null,
                    null,
                    null,
                    null))
            .orElseThrow();
    assertThat(updated.url()).isEqualTo("https://example.com/u");
    assertThat(updated.eventTypes()).containsExactly("quota.*");
    assertThat(updated.description()).isEqualTo("second");
    assertThat(updated.customHeaders()).containsEntry("X-A", "1");
    assertThat(updated.retryDelays()).containsExactly(Duration.ofSeconds(3));
    assertThat(updated.maxInFlight()).isEqualTo(4);
    Endpoint backToGlobal =
        store
            .update(
                "acme",
                created.id(),
                new EndpointStore.EndpointChanges(
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    java.util.Optional.empty(),
                    null,
                    null,
                    null,
                    null,
                    null,
                    null))
            .orElseThrow();
    assertThat(backToGlobal.retryDelays()).isNull();
    assertThat(backToGlobal.maxInFlight()).isEqualTo(4);
    assertThat(store.find("acme", created.id()).orElseThrow()).isEqualTo(backToGlobal);
  }

  // ------------------------------------------------------------- ordered delivery per subject

  private Endpoint orderedEndpoint() {
    return store.create(
        NewEndpoint.http("acme", "https://ordered.example/h", List.of("*"), "whsec_ordered")
            .withMaxInFlight(100)
            .withOrdering(Ordering.SUBJECT));
  }

  /** Publishes one event per subject given, in that order; returns "subject#sequence" per id. */
  private Map<String, String> publishSubjects(Endpoint endpoint, String... subjects) {
    Map<String, String> bySubjectSequence = new java.util.HashMap<>();
    for (String subject : subjects) {
      Event e = event("acme", subject, "k-" + ids.next(""));
      store.publish(
          new PreparedEvent(e, Priority.NORMAL, List.of(DeliveryTarget.endpoint(endpoint)), WINDOW),
          ENCODER);
      bySubjectSequence.put(e.id(), subject);
    }
    return bySubjectSequence;
  }

  /** "subject#sequence" of each claimed delivery, sorted. */
  private static List<String> claimedChains(
      List<ClaimedDelivery> claimed, Map<String, String> subjects) {
    return claimed.stream()
        .map(
            d ->
                subjects.get(d.eventId())
                    + "#"
                    + new String(d.body(), StandardCharsets.UTF_8).split("#")[1])
        .sorted()
        .toList();
  }

  private void finishAs(String owner, ClaimedDelivery d, DeliveryResult.Next next) {
    store.record(owner, List.of(new DeliveryResult(d.deliveryId(), attempt(500, "x"), next)));
  }

  @Test
  void anOrderedEndpointGetsOneDeliveryPerSubjectAtATimeInSequenceOrder() {
    Endpoint endpoint = orderedEndpoint();
    Map<String, String> subjects = publishSubjects(endpoint, "a", "b", "a", "a", "b", null);
    List<ClaimedDelivery> heads = store.claim("w1", 50, LEASE);
    assertThat(claimedChains(heads, subjects))
        .as("the head of each subject; an event without a subject is not held back")
        .containsExactly("a#1", "b#1", "null#1");
    assertThat(store.claim("w2", 50, LEASE)).as("the rest wait for their heads").isEmpty();

    ClaimedDelivery a1 =
        heads.stream().filter(d -> "a".equals(subjects.get(d.eventId()))).findFirst().orElseThrow();
    ClaimedDelivery b1 =
        heads.stream().filter(d -> "b".equals(subjects.get(d.eventId()))).findFirst().orElseThrow();
    finishAs("w1", a1, new DeliveryResult.RetryAt(clock.instant().plusSeconds(60)));
    finishAs("w1", b1, new DeliveryResult.Succeeded());
    heads.stream()
        .filter(d -> subjects.get(d.eventId()) == null)
        .forEach(d -> finishAs("w1", d, new DeliveryResult.Succeeded()));
    List<ClaimedDelivery> b2 = store.claim("w2", 50, LEASE);
    assertThat(claimedChains(b2, subjects))
        .as("a retrying head holds back only its own subject")
        .containsExactly("b#2");
    succeed("w2", b2);

    clock.advance(Duration.ofSeconds(61));
    List<ClaimedDelivery> retried = store.claim("w3", 50, LEASE);
    assertThat(claimedChains(retried, subjects)).containsExactly("a#1");
    finishAs("w3", retried.get(0), new DeliveryResult.Dead("gave up"));
    List<ClaimedDelivery> next = store.claim("w3", 50, LEASE);
    assertThat(claimedChains(next, subjects))
        .as("a dead head releases the next")
        .containsExactly("a#2");

    DeliveryView deadHead = onlyDelivery("acme", a1.eventId());
    assertThat(deadHead.status()).isEqualTo(DeliveryStatus.DEAD);
    assertThat(store.redrive("acme", new DeliveryOperations.RedriveFilter(null, null, null, null)))
        .isEqualTo(1);
    assertThat(store.claim("w4", 50, LEASE))
        .as("the redriven head waits while a#2 is in flight")
        .isEmpty();
    finishAs("w3", next.get(0), new DeliveryResult.Succeeded());
    assertThat(claimedChains(store.claim("w4", 50, LEASE), subjects))
        .as("then goes before a#3, the lowest sequence first")
        .containsExactly("a#1");
  }

  @Test
  void aPublishWhileTheHeadFinishesIsNeverLeftWaiting() throws Exception {
    Endpoint endpoint = orderedEndpoint();
    Map<String, String> subjects = new ConcurrentHashMap<>();
    subjects.putAll(publishSubjects(endpoint, "s"));
    AtomicInteger received = new AtomicInteger();
    int events = 60;
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<?> publisher =
          pool.submit(
              () -> {
                for (int i = 1; i < events; i++) {
                  subjects.putAll(publishSubjects(endpoint, "s"));
                }
              });
      List<String> order = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (order.size() < events && System.nanoTime() < deadline) {
        List<ClaimedDelivery> claimed = store.claim("w", 50, LEASE);
        assertThat(claimed).hasSizeLessThanOrEqualTo(1);
        for (ClaimedDelivery d : claimed) {
          order.add(claimedChains(List.of(d), subjects).get(0));
          finishAs("w", d, new DeliveryResult.Succeeded());
          received.incrementAndGet();
        }
      }
      publisher.get(10, TimeUnit.SECONDS);
      List<String> expected = new ArrayList<>();
      for (int i = 1; i <= events; i++) {
        expected.add("s#" + i);
      }
      assertThat(order).as("every event, in sequence order, none stuck").isEqualTo(expected);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void turningOrderingOffReleasesTheWaitingDeliveries() {
    Endpoint endpoint = orderedEndpoint();
    publishSubjects(endpoint, "a", "a", "a");
    assertThat(store.claim("w1", 50, LEASE)).hasSize(1);
    Endpoint unordered =
        store
            .update(
                "acme",
                endpoint.id(),
                new EndpointStore.EndpointChanges(
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    Ordering.NONE,
                    null,
                    null))
            .orElseThrow();
    assertThat(unordered.ordering()).isEqualTo(Ordering.NONE);
    assertThat(store.claim("w2", 50, LEASE)).as("both waiting ones, at once").hasSize(2);
  }

  @Test
  void aReplayToAnOrderedEndpointKeepsItsSubjectsInOrder() {
    Endpoint endpoint = orderedEndpoint();
    Map<String, String> subjects = publishSubjects(endpoint, "a", "a", "b");
    List<ClaimedDelivery> first = store.claim("w1", 50, LEASE);
    succeed("w1", first);
    succeed("w1", store.claim("w1", 50, LEASE));
    assertThat(store.claim("w1", 50, LEASE)).isEmpty();
    assertThat(store.replay("acme", endpoint.id(), clock.instant().minusSeconds(1), 100))
        .isEqualTo(3);
    assertThat(claimedChains(store.claim("w1", 50, LEASE), subjects)).containsExactly("a#1", "b#1");
  }

  // ------------------------------------------------------------------------ batched delivery

  private Endpoint batchedEndpoint(int maxEvents, Duration maxWait) {
    return store.create(
        NewEndpoint.http("acme", "https://batched.example/h", List.of("*"), "whsec_batched")
            .withBatch(new dev.herald.webhooks.spi.BatchPolicy(maxEvents, maxWait)));
  }

  @Test
  void aBatchedEndpointsDeliveriesWaitUntilFullOrUntilTheirWaitEnds() {
    Endpoint endpoint = batchedEndpoint(3, Duration.ofSeconds(10));
    publishTo("acme", endpoint.id());
    publishTo("acme", endpoint.id());
    assertThat(store.claim("w1", 50, LEASE)).as("two of three wait").isEmpty();
    publishTo("acme", endpoint.id());
    assertThat(store.claim("w1", 50, LEASE)).as("full: all three at once").hasSize(3);

    publishTo("acme", endpoint.id());
    clock.advance(Duration.ofSeconds(5));
    publishTo("acme", endpoint.id());
    clock.advance(Duration.ofSeconds(4));
    assertThat(store.claim("w1", 50, LEASE)).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(store.claim("w1", 50, LEASE))
        .as("the first one's wait is over, and the one that joined its window goes with it")
        .hasSize(2);
  }

  @Test
  void aFailedBatchIsClaimedWholeThroughItsLeaderAndARedriveSendsItsMembersAlone() {
    Endpoint endpoint = batchedEndpoint(3, Duration.ZERO);
    for (int i = 0; i < 3; i++) {
      publishTo("acme", endpoint.id());
    }
    List<ClaimedDelivery> sent = store.claim("w1", 50, LEASE);
    assertThat(sent).hasSize(3).allMatch(d -> d.batchId() == null);
    String batchId = sent.stream().map(ClaimedDelivery::deliveryId).sorted().findFirst().get();
    Instant retryAt = clock.instant().plusSeconds(5);
    store.record(
        "w1",
        sent.stream()
            .map(
                d ->
                    new DeliveryResult(
                        d.deliveryId(),
                        attempt(503, "HTTP 503"),
                        new DeliveryResult.RetryAt(retryAt),
                        false,
                        batchId))
            .toList());
    assertThat(store.load(endpoint.id()).consecutiveFailures())
        .as("one request, one failure")
        .isEqualTo(1);
    clock.advance(Duration.ofSeconds(5));
    List<ClaimedDelivery> again = store.claim("w2", 1, LEASE);
    assertThat(again)
        .as("a claim of one takes the leader, which brings its members")
        .hasSize(3)
        .allMatch(d -> batchId.equals(d.batchId()) && d.attempt() == 2);
    store.record(
        "w2",
        again.stream()
            .map(
                d ->
                    new DeliveryResult(
                        d.deliveryId(),
                        attempt(503, "HTTP 503"),
                        new DeliveryResult.Dead("gave up"),
                        false,
                        batchId))
            .toList());
    assertThat(store.redrive("acme", new DeliveryOperations.RedriveFilter(null, null, null, null)))
        .isEqualTo(3);
    assertThat(store.claim("w3", 50, LEASE))
        .as("redriven members go as new deliveries, batched again by the worker")
        .hasSize(3)
        .allMatch(d -> d.batchId() == null);
  }

  // ------------------------------------------------------------- admission across processes

  private Endpoint limitedEndpoint(int maxInFlight, Double ratePerSecond) {
    return store.create(
        new NewEndpoint(
            "acme",
            "https://limited.example/h",
            "http",
            List.of("*"),
            dev.herald.webhooks.api.SignatureProfile.STANDARD,
            null,
            "whsec_limited",
            null,
            Map.of(),
            null,
            maxInFlight,
            ratePerSecond,
            null,
            Ordering.NONE,
            null,
            EndpointFormat.HERALD,
            false));
  }

  private void succeed(String owner, List<ClaimedDelivery> claimed) {
    store.record(
        owner,
        claimed.stream()
            .map(
                d ->
                    new DeliveryResult(
                        d.deliveryId(), attempt(200, null), new DeliveryResult.Succeeded()))
            .toList());
  }

  @Test
  void aClaimerHoldsTheEndpointsFreeSlotsAndOthersWaitUntilItGivesThemBack() {
    Endpoint endpoint = limitedEndpoint(3, null);
    for (int i = 0; i < 40; i++) {
      publishTo("acme", endpoint.id());
    }
    List<ClaimedDelivery> first = store.claim("w1", 50, LEASE);
    assertThat(first).hasSize(30).extracting(ClaimedDelivery::endpointSlots).containsOnly(3);
    assertThat(store.claim("w2", 50, LEASE)).as("w1 holds every slot").isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(store.claim("w2", 50, LEASE)).as("still").isEmpty();

    succeed("w1", first);
    store.releaseSlots("w1", List.of(endpoint.id()));
    List<ClaimedDelivery> next = store.claim("w2", 50, LEASE);
    assertThat(next).hasSize(10).extracting(ClaimedDelivery::endpointSlots).containsOnly(3);
  }

  @Test
  void slotsEndWithTheLeaseUnlessRenewed() {
    Endpoint endpoint = limitedEndpoint(2, null);
    for (int i = 0; i < 30; i++) {
      publishTo("acme", endpoint.id());
    }
    List<ClaimedDelivery> held = store.claim("keeps", 5, LEASE);
    assertThat(held).hasSize(5);
    clock.advance(LEASE.minusSeconds(5));
    store.renewLeases("keeps", held.stream().map(ClaimedDelivery::deliveryId).toList(), LEASE);
    clock.advance(Duration.ofSeconds(10));
    assertThat(store.claim("other", 5, LEASE)).as("renewed with the leases").isEmpty();
    clock.advance(LEASE);
    // The worker is gone: its slots and leases ran out, another takes its deliveries over.
    assertThat(store.claim("other", 50, LEASE))
        .hasSize(20)
        .extracting(ClaimedDelivery::endpointSlots)
        .containsOnly(2);
  }

  @Test
  void anOpenCircuitAdmitsNothingThenExactlyOneProbeAcrossClaimers() {
    Endpoint endpoint = limitedEndpoint(10, null);
    for (int i = 0; i < 5; i++) {
      publishTo("acme", endpoint.id());
    }
    Instant opened = clock.instant();
    store.update(endpoint.id(), s -> new CircuitState(CircuitState.Status.OPEN, 5, opened));
    ClaimRules rules = new ClaimRules(Duration.ofSeconds(60), tenant -> false, Set.of());
    assertThat(store.claim("w1", 10, LEASE, rules)).isEmpty();
    assertThat(store.attempts("acme", null, onlyDeliveryOf(endpoint).id())).contains(List.of());

    clock.advance(Duration.ofSeconds(61));
    List<ClaimedDelivery> probe = store.claim("w1", 10, LEASE, rules);
    assertThat(probe).hasSize(1);
    assertThat(store.claim("w2", 10, LEASE, rules)).isEmpty();
    assertThat(store.load(endpoint.id()).status()).isEqualTo(CircuitState.Status.HALF_OPEN);
    assertThat(store.circuitsByStatus().get(CircuitState.Status.HALF_OPEN)).isEqualTo(1L);

    // The probe succeeds: recording it closes the circuit for every claimer, and the rest flows
    // (after the short wait behind it).
    succeed("w1", probe);
    assertThat(store.load(endpoint.id())).isEqualTo(CircuitState.INITIAL);
    clock.advance(Duration.ofSeconds(2));
    assertThat(store.claim("w2", 10, LEASE, rules)).hasSize(4);
  }

  @Test
  void aLostProbeIsReplacedWhenItsLeaseEnds() {
    Endpoint endpoint = limitedEndpoint(10, null);
    publishTo("acme", endpoint.id());
    publishTo("acme", endpoint.id());
    store.update(
        endpoint.id(), s -> new CircuitState(CircuitState.Status.OPEN, 5, clock.instant()));
    ClaimRules rules = new ClaimRules(Duration.ofSeconds(10), tenant -> false, Set.of());
    clock.advance(Duration.ofSeconds(11));
    assertThat(store.claim("dies", 10, LEASE, rules)).hasSize(1);
    clock.advance(LEASE.plusSeconds(1));
    assertThat(store.claim("w", 10, LEASE, rules)).as("one new probe").hasSize(1);
  }

  @Test
  void aRateLimitAdmitsHalfASecondsWorthThenTheRate() {
    Endpoint endpoint = limitedEndpoint(1000, 4.0);
    for (int i = 0; i < 20; i++) {
      publishTo("acme", endpoint.id());
    }
    List<ClaimedDelivery> burst = store.claim("w1", 100, LEASE);
    assertThat(burst).hasSize(2);
    assertThat(store.claim("w2", 100, LEASE)).isEmpty();
    clock.advance(Duration.ofMillis(500));
    assertThat(store.claim("w2", 100, LEASE)).hasSize(2);
    clock.advance(Duration.ofSeconds(10));
    assertThat(store.claim("w1", 100, LEASE)).as("never more than a burst").hasSize(2);
  }

  @Test
  void aTenantFallingBackToRedisGetsARedisDeliveryForEachEventHeldByAnOpenCircuit() {
    Endpoint endpoint = limitedEndpoint(10, null);
    String event = publishTo("acme", endpoint.id()).eventId();
    store.update(
        endpoint.id(), s -> new CircuitState(CircuitState.Status.OPEN, 5, clock.instant()));
    ClaimRules fallBack = new ClaimRules(Duration.ofMinutes(5), "acme"::equals, Set.of());
    assertThat(store.claim("w", 10, LEASE, fallBack)).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    List<ClaimedDelivery> redis = store.claim("w", 10, LEASE, fallBack);
    assertThat(redis).hasSize(1);
    assertThat(redis.get(0).target()).isEqualTo(DeliveryTarget.redis());
    assertThat(redis.get(0).eventId()).isEqualTo(event);
    assertThat(store.deliveriesOfEvent("acme", event).orElseThrow()).hasSize(2);
  }

  private DeliveryView onlyDeliveryOf(Endpoint endpoint) {
    return store.deliveriesOfEndpoint("acme", endpoint.id(), null, null, 100).items().get(0);
  }
}
