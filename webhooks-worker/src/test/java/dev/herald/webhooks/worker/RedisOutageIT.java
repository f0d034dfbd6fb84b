package dev.herald.webhooks.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.webhooks.api.MigrationPhase;
import dev.herald.webhooks.core.circuit.CircuitBreakerPolicy;
import dev.herald.webhooks.core.retry.RetrySchedule;
import dev.herald.webhooks.spi.DeliveryStatus;
import dev.herald.webhooks.spi.DeliveryView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** Redis goes away while events are published; the outbox delivers them when it comes back. */
class RedisOutageIT {

  @Test
  void everyEventReachesRedisAfterItReturns() throws Exception {
    try (PrivateRedis redis = new PrivateRedis()) {
      redis.start();
      Map<String, String> settings =
          Map.of(
              "redis.url", redis.url(),
              "herald.transport.redis.mode", "streams",
              "herald.transport.redis.stream-template", "events",
              "herald.transport.redis.timeout", "500ms",
              // The transport's own circuit would otherwise hold traffic for 30 s after Redis
              // returns.
              "herald.transport.redis.circuit.open-duration", "2s");
      try (WorkerFixture fixture = new WorkerFixture(settings)) {
        fixture.phases.setGlobal(MigrationPhase.REDIS_ONLY);
        // Retries every 200 ms for long enough to outlive the outage.
        fixture.startWorker(
            WorkerFixture.options(
                RetrySchedule.of(Collections.nCopies(200, Duration.ofMillis(200))),
                CircuitBreakerPolicy.defaults()));
        List<String> before = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          before.add(fixture.publishMemoryCreated("before-" + i).eventId());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> succeeded(fixture, before));

        redis.shutdown();
        List<String> during = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          during.add(fixture.publishMemoryCreated("during-" + i).eventId());
        }
        // They are tried and fail while Redis is away: none is lost, none succeeds.
        await().atMost(Duration.ofSeconds(30)).until(() -> attempted(fixture, during.get(0)));
        assertThat(during).noneMatch(id -> status(fixture, id) == DeliveryStatus.SUCCEEDED);

        redis.start(); // same port, empty: everything in the stream now came from the outbox
        await().atMost(Duration.ofSeconds(60)).until(() -> succeeded(fixture, during));
        try (RedisClient client = RedisClient.create("127.0.0.1", redis.port)) {
          List<String> inStream =
              client.xrange("events", "-", "+").stream().map(e -> e.getFields().get("id")).toList();
          assertThat(new HashSet<>(inStream)).isEqualTo(new HashSet<>(during));
          assertThat(inStream).doesNotHaveDuplicates();
        }
      }
    }
  }

  private static DeliveryStatus status(WorkerFixture fixture, String eventId) {
    return fixture.onlyDelivery(eventId).status();
  }

  private static boolean attempted(WorkerFixture fixture, String eventId) {
    DeliveryView view = fixture.onlyDelivery(eventId);
    return view.attempts() > 0 && view.lastError() != null;
  }

  private static boolean succeeded(WorkerFixture fixture, List<String> eventIds) {
    Set<String> ids = new HashSet<>(eventIds);
    return ids.stream().allMatch(id -> status(fixture, id) == DeliveryStatus.SUCCEEDED);
  }
}
