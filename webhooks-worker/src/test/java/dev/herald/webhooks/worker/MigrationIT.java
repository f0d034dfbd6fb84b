package dev.herald.webhooks.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.webhooks.api.MigrationPhase;
import dev.herald.webhooks.api.PublishResult;
import dev.herald.webhooks.core.circuit.CircuitBreakerPolicy;
import dev.herald.webhooks.core.retry.RetrySchedule;
import dev.herald.webhooks.spi.DeliveryStatus;
import dev.herald.webhooks.spi.DeliveryTarget;
import dev.herald.webhooks.spi.DeliveryView;
import dev.herald.webhooks.spi.MigrationReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The migration phases through the whole path: publish, route, worker, real HTTP receiver, real
 * Redis (a stream per test, on the shared test server).
 */
class MigrationIT {
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private LoopbackReceiver receiver;
  private WorkerFixture fixture;
  private RedisClient redis;
  private String stream;

  @BeforeEach
  void setUp() throws Exception {
    receiver = new LoopbackReceiver();
    stream = "herald-test:" + UUID.randomUUID();
    Map<String, String> settings = new HashMap<>(WorkerFixture.loopbackAllowed());
    settings.put("redis.url", TestRedis.url());
    settings.put("herald.transport.redis.mode", "streams");
    settings.put("herald.transport.redis.stream-template", stream);
    fixture = new WorkerFixture(settings);
    redis = TestRedis.client();
  }

  @AfterEach
  void tearDown() throws Exception {
    redis.del(stream);
    redis.close();
    fixture.close();
    receiver.close();
  }

  /** Event ids in the Redis stream, in order. */
  private List<String> streamIds() {
    return redis.xrange(stream, "-", "+").stream()
        .map(StreamEntry::getFields)
        .map(fields -> fields.get("id"))
        .toList();
  }

  private Set<String> receivedIds() {
    return receiver.requests().stream()
        .map(r -> r.header("webhook-id"))
        .collect(Collectors.toSet());
  }

  private Set<DeliveryTarget> targets(String eventId) {
    return fixture.store.deliveriesOfEvent(WorkerFixture.TENANT, eventId).orElseThrow().stream()
        .map(DeliveryView::target)
        .collect(Collectors.toSet());
  }

  private boolean allFinished(String eventId) {
    return fixture.store.deliveriesOfEvent(WorkerFixture.TENANT, eventId).orElseThrow().stream()
        .allMatch(d -> d.status() == DeliveryStatus.SUCCEEDED || d.status() == DeliveryStatus.DEAD);
  }

  @Test
  void eachPhaseRoutesAsTheDesignTableSays() {
    fixture.endpoint(receiver.url("/hook"), "memory.*");
    fixture.startWorker(
        WorkerFixture.options(RetrySchedule.defaults(), CircuitBreakerPolicy.defaults()));
    Map<MigrationPhase, String> events = new HashMap<>();
    for (MigrationPhase phase : MigrationPhase.values()) {
      fixture.phases.setGlobal(phase);
      events.put(phase, fixture.publishMemoryCreated("m-" + phase.wireName()).eventId());
    }
    await().atMost(DEADLINE).until(() -> events.values().stream().allMatch(this::allFinished));

    assertThat(streamIds())
        .containsExactlyInAnyOrder(
            events.get(MigrationPhase.REDIS_ONLY), events.get(MigrationPhase.DUAL));
    assertThat(receivedIds())
        .containsExactlyInAnyOrder(
            events.get(MigrationPhase.DUAL),
            events.get(MigrationPhase.WEBHOOK_PRIMARY),
            events.get(MigrationPhase.WEBHOOK_ONLY));
  }

  @Test
  void webhookPrimarySendsAnEventToRedisOnceItsWebhookDeliveryIsDead() {
    fixture.endpoint(receiver.url("/hook"), "memory.*");
    receiver.respondWith(r -> LoopbackReceiver.Reply.status(500));
    fixture.phases.setGlobal(MigrationPhase.WEBHOOK_PRIMARY);
    fixture.startWorker(
        WorkerFixture.options(
            RetrySchedule.of(List.of(Duration.ofMillis(100), Duration.ofMillis(100))),
            new CircuitBreakerPolicy(100, Duration.ofMinutes(5))));
    PublishResult published = fixture.publishMemoryCreated("m-1");

    await().atMost(DEADLINE).until(() -> streamIds().contains(published.eventId()));
    await().atMost(DEADLINE).until(() -> allFinished(published.eventId()));
    assertThat(streamIds()).containsExactly(published.eventId());
    assertThat(receiver.requests()).hasSize(3);
    assertThat(targets(published.eventId()))
        .containsExactlyInAnyOrder(
            new DeliveryTarget(
                "http", fixture.store.list(WorkerFixture.TENANT, null, 10).items().get(0).id()),
            DeliveryTarget.redis());
  }

  @Test
  void webhookPrimarySendsToRedisWhileTheEndpointsCircuitIsOpen() {
    fixture.endpoint(receiver.url("/hook"), "memory.*");
    receiver.respondWith(r -> LoopbackReceiver.Reply.status(503));
    fixture.phases.setGlobal(MigrationPhase.WEBHOOK_PRIMARY);
    fixture.startWorker(
        WorkerFixture.options(
            RetrySchedule.of(Collections.nCopies(20, Duration.ofMillis(100))),
            new CircuitBreakerPolicy(2, Duration.ofMinutes(5))));
    PublishResult first = fixture.publishMemoryCreated("m-1");
    PublishResult second = fixture.publishMemoryCreated("m-2");

    await()
        .atMost(DEADLINE)
        .until(
            () ->
                new HashSet<>(streamIds()).containsAll(List.of(first.eventId(), second.eventId())));
    // The webhook deliveries wait for the circuit, without spending attempts, and are not dead.
    assertThat(fixture.store.deliveriesOfEvent(WorkerFixture.TENANT, first.eventId()).orElseThrow())
        .filteredOn(d -> d.target().isEndpoint())
        .extracting(DeliveryView::status)
        .containsExactly(DeliveryStatus.PENDING);
    assertThat(receiver.requests()).hasSizeLessThanOrEqualTo(2);
    assertThat(streamIds()).doesNotHaveDuplicates();
  }

  @Test
  void switchingPhasesUnderContinuousPublishingLosesNothingAndRoutesNothingTwice()
      throws Exception {
    fixture.endpoint(receiver.url("/hook"), "memory.*");
    fixture.startWorker(
        WorkerFixture.options(RetrySchedule.defaults(), CircuitBreakerPolicy.defaults()));
    Instant start = Instant.now();
    List<String> published = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean publishing = new AtomicBoolean(true);
    Thread publisher =
        new Thread(
            () -> {
              int i = 0;
              while (publishing.get()) {
                published.add(fixture.publishMemoryCreated("m-" + i++).eventId());
              }
            });
    publisher.start();
    List<MigrationPhase> sequence =
        List.of(
            MigrationPhase.DUAL,
            MigrationPhase.WEBHOOK_PRIMARY,
            MigrationPhase.WEBHOOK_ONLY,
            MigrationPhase.REDIS_ONLY,
            MigrationPhase.DUAL);
    for (MigrationPhase phase : sequence) {
      int before = published.size();
      fixture.phases.setGlobal(phase);
      await().atMost(DEADLINE).until(() -> published.size() >= before + 40);
    }
    publishing.set(false);
    publisher.join();

    await()
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> List.copyOf(published).stream().allMatch(this::allFinished));

    Set<String> toRedis = new HashSet<>();
    Set<String> toWebhook = new HashSet<>();
    for (String eventId : List.copyOf(published)) {
      List<DeliveryView> deliveries =
          fixture.store.deliveriesOfEvent(WorkerFixture.TENANT, eventId).orElseThrow();
      assertThat(deliveries).extracting(DeliveryView::target).doesNotHaveDuplicates();
      assertThat(deliveries)
          .extracting(DeliveryView::status)
          .containsOnly(DeliveryStatus.SUCCEEDED);
      deliveries.forEach(d -> (d.target().isEndpoint() ? toWebhook : toRedis).add(eventId));
      assertThat(toWebhook.contains(eventId) || toRedis.contains(eventId)).as(eventId).isTrue();
    }
    assertThat(streamIds()).doesNotHaveDuplicates();
    assertThat(new HashSet<>(streamIds())).isEqualTo(toRedis);
    Map<String, Long> webhookCounts =
        receiver.requests().stream()
            .collect(Collectors.groupingBy(r -> r.header("webhook-id"), Collectors.counting()));
    assertThat(webhookCounts.keySet()).isEqualTo(toWebhook);
    assertThat(webhookCounts.values()).containsOnly(1L);
    // Every phase of the sequence left its mark.
    assertThat(toRedis).isNotEmpty();
    assertThat(toWebhook).isNotEmpty();
    assertThat(toWebhook.stream().filter(toRedis::contains)).isNotEmpty();

    MigrationReport report =
        fixture.store.migrationReport(
            WorkerFixture.TENANT, start, Instant.now().plusSeconds(1), 10);
    assertThat(report.events()).isEqualTo(toWebhook.stream().filter(toRedis::contains).count());
    assertThat(report.bothSucceeded()).isEqualTo(report.events());
    assertThat(report.mismatches()).isEmpty();
  }
}
