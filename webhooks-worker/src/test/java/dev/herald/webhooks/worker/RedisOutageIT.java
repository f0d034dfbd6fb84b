package dev.herald.webhooks.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.webhooks.api.MigrationPhase;
import dev.herald.webhooks.core.circuit.CircuitBreakerPolicy;
import dev.herald.webhooks.core.retry.RetrySchedule;
import dev.herald.webhooks.spi.AttemptRecord;
import dev.herald.webhooks.spi.DeliveryStatus;
import dev.herald.webhooks.spi.DeliveryView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * Redis goes away while events are published; the outbox delivers every one of them once it is
 * back, without spending attempts on what the Redis guard refuses, and without dead-lettering
 * anything however long the outage lasts.
 */
class RedisOutageIT {
  private static final String STREAM = "events";

  private static Map<String, String> streamTo(PrivateRedis redis, Map<String, String> extra) {
    Map<String, String> settings = new HashMap<>(WorkerFixture.loopbackAllowed());
    settings.put("redis.url", redis.url());
    settings.put("herald.transport.redis.mode", "streams");
    settings.put("herald.transport.redis.stream-template", STREAM);
    settings.put("herald.transport.redis.timeout", "500ms");
    settings.putAll(extra);
    return settings;
  }

  /**
   * Three delivery processes (this one and two standalone workers) in {@code dual}, Redis restarted
   * while events keep coming: the backlog reaches the stream within 10 s of Redis answering, and no
   * attempt is a refusal.
   */
  @Test
  void aRestartUnderDualLetsTheBacklogFlowWithinTenSecondsWithoutAttemptsOnRefusals()
      throws Exception {
    try (PrivateRedis redis = new PrivateRedis();
        LoopbackReceiver receiver = new LoopbackReceiver()) {
      redis.start();
      // The default guard: a 5 s open period.
      try (WorkerFixture fixture = new WorkerFixture(streamTo(redis, Map.of()))) {
        fixture.phases.setGlobal(MigrationPhase.DUAL);
        fixture.endpoint(receiver.url("/hook"), "memory.*");
        Map<String, String> env =
            WorkerProcess.environment(
                fixture,
                Map.of(
                    "REDIS_URL", redis.url(),
                    "WEBHOOK_WORKERS", "8",
                    "HERALD_TRANSPORT_REDIS_MODE", "streams",
                    "HERALD_TRANSPORT_REDIS_STREAM_TEMPLATE", STREAM,
                    "HERALD_TRANSPORT_REDIS_TIMEOUT", "500ms"));
        fixture.startWorker(
            WorkerFixture.options(RetrySchedule.defaults(), CircuitBreakerPolicy.defaults()));
        try (WorkerProcess a = WorkerProcess.start("redis-a", env);
            WorkerProcess b = WorkerProcess.start("redis-b", env)) {
          List<String> before = publish(fixture, "before", 30);
          await().atMost(Duration.ofSeconds(30)).until(() -> redisSucceeded(fixture, before));

          redis.shutdown();
          Instant down = Instant.now();
          List<String> during = new ArrayList<>();
          // Under load: events keep coming for the whole outage.
          for (int round = 0; round < 10; round++) {
            during.addAll(publish(fixture, "during-" + round, 10));
            Thread.sleep(500);
          }
          redis.start(); // same port, empty: everything in the stream now came from the outbox
          Instant up = Instant.now();
          await("the backlog reaches the stream within 10 s of Redis answering")
              .atMost(Duration.ofSeconds(10))
              .pollInterval(Duration.ofMillis(100))
              .until(() -> redisSucceeded(fixture, during));
          long flowedAfter = Duration.between(up, Instant.now()).toMillis();
          assertThat(a.process.isAlive()).as(a.output()).isTrue();
          assertThat(b.process.isAlive()).as(b.output()).isTrue();

          try (RedisClient client = RedisClient.create("127.0.0.1", redis.port)) {
            List<String> inStream =
                client.xrange(STREAM, "-", "+").stream().map(e -> e.getFields().get("id")).toList();
            assertThat(new HashSet<>(inStream)).isEqualTo(new HashSet<>(during));
          }
          List<AttemptRecord> failed = failedRedisAttempts(fixture, during);
          assertThat(failed)
              .extracting(AttemptRecord::errorType)
              .as("refusals are not attempts")
              .doesNotContain("redis_circuit_open", "redis_bulkhead_full");
          // Each process: at most its concurrent sends before its guard opened, then one probe
          // per open period (5 s), and a few sends racing the probe.
          long outageSeconds = Duration.between(down, up).toSeconds() + 1;
          long bound = 3 * (8 + 2 * (outageSeconds / 5 + 2));
          System.out.printf(
              "RedisOutageIT: Redis down %d ms; backlog of %d in the stream %d ms after it"
                  + " answered; %d failed attempts (bound %d)%n",
              Duration.between(down, up).toMillis(),
              during.size(),
              flowedAfter,
              failed.size(),
              bound);
          assertThat(failed).hasSizeLessThanOrEqualTo((int) bound);
          assertThat(during)
              .allMatch(id -> httpDelivery(fixture, id).status() != DeliveryStatus.DEAD);
        }
      }
    }
  }

  @Test
  void anHourLongOutageDeadLettersNothing() throws Exception {
    try (PrivateRedis redis = new PrivateRedis()) {
      AdvancingClock clock = new AdvancingClock();
      // Redis never started: connections are refused for the whole hour.
      try (WorkerFixture fixture = redisOnly(redis, clock)) {
        fixture.startWorker(
            WorkerFixture.options(RetrySchedule.defaults(), CircuitBreakerPolicy.defaults()));
        List<String> events = publish(fixture, "outage", 20);

        int minutes = sitOutMinutes(fixture, clock, events, 65);

        List<DeliveryView> deliveries = events.stream().map(fixture::onlyDelivery).toList();
        assertThat(deliveries)
            .extracting(DeliveryView::status)
            .containsOnly(DeliveryStatus.PENDING);
        int attempts = deliveries.stream().mapToInt(DeliveryView::attempts).sum();
        System.out.printf(
            "RedisOutageIT: %d minutes without Redis, %d deliveries waiting, %d attempts%n",
            minutes, deliveries.size(), attempts);
        // Redis was tried all along (a probe at least every minute), but not once per waiting
        // delivery: the refusals in between spent nothing.
        assertThat(attempts).isGreaterThanOrEqualTo(minutes).isLessThan(8 + 5 * minutes);

        redis.start();
        await("everything reaches the stream once Redis is back")
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    events.stream()
                        .allMatch(id -> redisStatus(fixture, id) == DeliveryStatus.SUCCEEDED));
      }
    }
  }

  @Test
  void anOperatorsMaximumAgeDeadLettersWhatIsOlder() throws Exception {
    try (PrivateRedis redis = new PrivateRedis()) {
      AdvancingClock clock = new AdvancingClock();
      try (WorkerFixture fixture = redisOnly(redis, clock)) {
        WorkerOptions base =
            WorkerFixture.options(RetrySchedule.defaults(), CircuitBreakerPolicy.defaults());
        fixture.startWorker(
            new WorkerOptions(
                base.workerId(),
                base.concurrency(),
                base.claimBatchSize(),
                base.lease(),
                base.pollInterval(),
                base.maxInFlightPerEndpoint(),
                base.retrySchedule(),
                base.retryJitter(),
                base.circuitBreaker(),
                base.autoDisableAfter(),
                Duration.ofMinutes(30)));
        List<String> events = publish(fixture, "aged", 3);
        sitOutMinutes(fixture, clock, events, 1);
        clock.advance(Duration.ofMinutes(31));
        // Each is tried again (a probe) and found too old, one per open period.
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    events.stream()
                        .allMatch(id -> redisStatus(fixture, id) == DeliveryStatus.DEAD));
        assertThat(fixture.onlyDelivery(events.get(0)).deadReason())
            .startsWith("older than HERALD_REDIS_MAX_AGE (PT30M) and Redis still fails");
      }
    }
  }

  /**
   * A store on {@code clock} in {@code redis-only}, whose Redis guard probes every 200 ms of real
   * time, so that a minute of the advanced clock sees a few probes.
   */
  private static WorkerFixture redisOnly(PrivateRedis redis, AdvancingClock clock)
      throws Exception {
    WorkerFixture fixture =
        new WorkerFixture(
            streamTo(redis, Map.of("herald.transport.redis.circuit.open-duration", "200ms")),
            clock);
    fixture.phases.setGlobal(MigrationPhase.REDIS_ONLY);
    return fixture;
  }

  /**
   * Advances the clock a minute at a time, each time once the worker has looked at everything due
   * (nothing in flight, nothing due); returns the minutes passed.
   */
  private static int sitOutMinutes(
      WorkerFixture fixture, AdvancingClock clock, List<String> events, int minutes) {
    for (int minute = 0; minute < minutes; minute++) {
      await("minute " + minute + " worked through")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> events.stream().map(fixture::onlyDelivery).allMatch(d -> settled(d, clock)));
      clock.advance(Duration.ofMinutes(1));
    }
    return minutes;
  }

  private static boolean settled(DeliveryView d, AdvancingClock clock) {
    return d.status() != DeliveryStatus.IN_FLIGHT
        && (d.status() != DeliveryStatus.PENDING || d.nextAttemptAt().isAfter(clock.instant()));
  }

  private static List<String> publish(WorkerFixture fixture, String prefix, int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(fixture.publishMemoryCreated(prefix + "-" + i).eventId());
    }
    return ids;
  }

  private static List<DeliveryView> deliveries(WorkerFixture fixture, String eventId) {
    return fixture.store.deliveriesOfEvent(WorkerFixture.TENANT, eventId).orElseThrow();
  }

  private static DeliveryView redisDelivery(WorkerFixture fixture, String eventId) {
    return deliveries(fixture, eventId).stream()
        .filter(d -> !d.target().isEndpoint())
        .findFirst()
        .orElseThrow();
  }

  private static DeliveryView httpDelivery(WorkerFixture fixture, String eventId) {
    return deliveries(fixture, eventId).stream()
        .filter(d -> d.target().isEndpoint())
        .findFirst()
        .orElseThrow();
  }

  private static DeliveryStatus redisStatus(WorkerFixture fixture, String eventId) {
    return redisDelivery(fixture, eventId).status();
  }

  private static boolean redisSucceeded(WorkerFixture fixture, List<String> eventIds) {
    return eventIds.stream().allMatch(id -> redisStatus(fixture, id) == DeliveryStatus.SUCCEEDED);
  }

  private static List<AttemptRecord> failedRedisAttempts(
      WorkerFixture fixture, List<String> eventIds) {
    List<AttemptRecord> failed = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String eventId : eventIds) {
      DeliveryView d = redisDelivery(fixture, eventId);
      if (seen.add(d.id())) {
        fixture.store.attempts(WorkerFixture.TENANT, null, d.id()).orElseThrow().stream()
            .filter(a -> a.errorType() != null)
            .forEach(failed::add);
      }
    }
    return failed;
  }
}
