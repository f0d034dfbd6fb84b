package dev.herald.webhooks.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.webhooks.api.PublishResult;
import dev.herald.webhooks.core.circuit.CircuitBreakerPolicy;
import dev.herald.webhooks.core.retry.RetrySchedule;
import dev.herald.webhooks.spi.AttemptRecord;
import dev.herald.webhooks.spi.ClaimedDelivery;
import dev.herald.webhooks.spi.DeliveryResult;
import dev.herald.webhooks.spi.Endpoint;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The worker tells its observer about every attempt and every circuit it opens. */
class DeliveryObserverIT extends WorkerWithReceiverTest {
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  record Seen(ClaimedDelivery delivery, AttemptRecord attempt, DeliveryResult.Next next) {}

  private final List<Seen> attempts = new CopyOnWriteArrayList<>();
  private final List<String> opened = new CopyOnWriteArrayList<>();

  private final DeliveryObserver observer =
      new DeliveryObserver() {
        @Override
        public void attempted(
            ClaimedDelivery delivery, AttemptRecord attempt, DeliveryResult.Next next) {
          attempts.add(new Seen(delivery, attempt, next));
        }

        @Override
        public void circuitOpened(String endpointId) {
          opened.add(endpointId);
        }
      };

  @Test
  void seesEachAttemptWithItsOutcomeAndTheCircuitOpeningOnce() {
    Endpoint endpoint = fixture.endpoint(receiver.url("/hook"), "*");
    AtomicInteger calls = new AtomicInteger();
    receiver.respondWith(
        r -> LoopbackReceiver.Reply.status(calls.incrementAndGet() <= 2 ? 503 : 200));
    fixture.startWorker(
        WorkerFixture.options(
            RetrySchedule.of(Collections.nCopies(5, Duration.ofMillis(100))),
            new CircuitBreakerPolicy(2, Duration.ofMillis(500))),
        observer);

    PublishResult published = fixture.publishMemoryCreated("m-1");

    await()
        .atMost(DEADLINE)
        .until(() -> attempts.stream().anyMatch(s -> s.next() instanceof DeliveryResult.Succeeded));
    assertThat(attempts).hasSize(3);
    assertThat(attempts)
        .allSatisfy(s -> assertThat(s.delivery().eventId()).isEqualTo(published.eventId()));
    assertThat(attempts.get(0).attempt().statusCode()).isEqualTo(503);
    assertThat(attempts.get(0).attempt().errorType()).isEqualTo("http_503");
    assertThat(attempts.get(0).next()).isInstanceOf(DeliveryResult.RetryAt.class);
    assertThat(attempts.get(2).attempt().statusCode()).isEqualTo(200);
    assertThat(attempts.get(2).attempt().duration()).isPositive();
    assertThat(opened).containsExactly(endpoint.id());
  }
}
