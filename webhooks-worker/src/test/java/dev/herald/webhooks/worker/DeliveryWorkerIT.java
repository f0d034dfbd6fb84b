package dev.herald.webhooks.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.webhooks.api.PublishResult;
import dev.herald.webhooks.core.circuit.CircuitBreakerPolicy;
import dev.herald.webhooks.core.retry.RetrySchedule;
import dev.herald.webhooks.spi.AttemptRecord;
import dev.herald.webhooks.spi.CircuitState;
import dev.herald.webhooks.spi.DeliveryStatus;
import dev.herald.webhooks.spi.Endpoint;
import dev.herald.webhooks.verifier.VerifiedWebhook;
import dev.herald.webhooks.verifier.WebhookVerifier;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The embedded worker against real PostgreSQL and a real HTTP receiver on loopback. */
class DeliveryWorkerIT extends WorkerWithReceiverTest {
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final RetrySchedule FAST =
      RetrySchedule.of(
          List.of(Duration.ofMillis(1100), Duration.ofMillis(1100), Duration.ofMillis(1100)));

  private List<AttemptRecord> attempts(String deliveryId) {
    return fixture.store.attempts(WorkerFixture.TENANT, null, deliveryId).orElseThrow();
  }

  @Test
  void deliversASignedRequestTheVerifierJarAccepts() throws Exception {
    Endpoint endpoint = fixture.endpoint(receiver.url("/hook"), "memory.*");
    fixture.startWorker(WorkerFixture.options(FAST, CircuitBreakerPolicy.defaults()));
    PublishResult published = fixture.publishMemoryCreated("m-1");

    await().atMost(DEADLINE).until(() -> receiver.requests().size() == 1);
    LoopbackReceiver.Request request = receiver.requests().get(0);
    VerifiedWebhook verified =
        WebhookVerifier.builder()
            .secret(endpoint.secrets().get(0).value())
            .build()
            .verify(request.headers(), request.body());
    assertThat(verified.id()).isEqualTo(published.eventId());
    assertThat(request.bodyText())
        .contains("\"memory_id\":\"m-1\"")
        .startsWith("{\"id\":\"" + published.eventId());
    assertThat(request.header("X-Herald-Attempt")).isEqualTo("1");
    assertThat(request.header("X-Herald-Event-Type")).isEqualTo("memory.created");
    assertThat(request.header("User-Agent")).startsWith("Herald-Webhooks/");
    await()
        .atMost(DEADLINE)
        .until(
            () -> fixture.onlyDelivery(published.eventId()).status() == DeliveryStatus.SUCCEEDED);
  }

  @Test
  void retriesTwiceThenSucceedsWithSameIdAndFreshTimestamps() {
    fixture.endpoint(receiver.url("/hook"), "*");
    AtomicInteger calls = new AtomicInteger();
    receiver.respondWith(
        r -> LoopbackReceiver.Reply.status(calls.incrementAndGet() <= 2 ? 503 : 200));
    fixture.startWorker(WorkerFixture.options(FAST, CircuitBreakerPolicy.defaults()));
    PublishResult published = fixture.publishMemoryCreated("m-2");

    await()
        .atMost(DEADLINE)
        .until(
            () -> fixture.onlyDelivery(published.eventId()).status() == DeliveryStatus.SUCCEEDED);
    List<LoopbackReceiver.Request> requests = receiver.requests();
    assertThat(requests).hasSize(3);
    assertThat(requests).extracting(r -> r.header("webhook-id")).containsOnly(published.eventId());
    assertThat(requests).extracting(r -> r.header("webhook-timestamp")).doesNotHaveDuplicates();
    assertThat(requests)
        .extracting(r -> r.header("X-Herald-Attempt"))
        .containsExactly("1", "2", "3");
    // The schedule (no jitter here) is 1.1 s between attempts.
    for (int i = 1; i < requests.size(); i++) {
      assertThat(Duration.between(requests.get(i - 1).receivedAt(), requests.get(i).receivedAt()))
          .isGreaterThanOrEqualTo(Duration.ofMillis(1000));
    }
    String deliveryId = fixture.onlyDelivery(published.eventId()).id();
    assertThat(attempts(deliveryId))
        .extracting(AttemptRecord::statusCode)
        .containsExactly(503, 503, 200);
  }

  @Test
  void notFoundIsDeadAfterOneAttempt() {
    fixture.endpoint(receiver.url("/hook"), "*");
    receiver.respondWith(r -> LoopbackReceiver.Reply.status(404));
    fixture.startWorker(WorkerFixture.options(FAST, CircuitBreakerPolicy.defaults()));
    PublishResult published = fixture.publishMemoryCreated("m-3");

    await()
        .atMost(DEADLINE)
        .until(() -> fixture.onlyDelivery(published.eventId()).status() == DeliveryStatus.DEAD);
    assertThat(receiver.requests()).hasSize(1);
    assertThat(fixture.onlyDelivery(published.eventId()).attempts()).isEqualTo(1);
  }

  @Test
  void honoursRetryAfter() {
    fixture.endpoint(receiver.url("/hook"), "*");
    AtomicInteger calls = new AtomicInteger();
    receiver.respondWith(
        r ->
            calls.incrementAndGet() == 1
                ? new LoopbackReceiver.Reply(429, Map.of("Retry-After", "2"), "slow down")
                : LoopbackReceiver.Reply.status(200));
    RetrySchedule schedule =
        RetrySchedule.of(List.of(Duration.ofMillis(100), Duration.ofSeconds(3)));
    fixture.startWorker(WorkerFixture.options(schedule, CircuitBreakerPolicy.defaults()));
    PublishResult published = fixture.publishMemoryCreated("m-4");

    await()
        .atMost(DEADLINE)
        .until(
            () -> fixture.onlyDelivery(published.eventId()).status() == DeliveryStatus.SUCCEEDED);
    List<LoopbackReceiver.Request> requests = receiver.requests();
    assertThat(requests).hasSize(2);
    assertThat(Duration.between(requests.get(0).receivedAt(), requests.get(1).receivedAt()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    String deliveryId = fixture.onlyDelivery(published.eventId()).id();
    assertThat(attempts(deliveryId).get(0).responseExcerpt()).isEqualTo("slow down");
  }

  @Test
  void goneDisablesTheEndpoint() {
    Endpoint endpoint = fixture.endpoint(receiver.url("/hook"), "*");
    receiver.respondWith(r -> LoopbackReceiver.Reply.status(410));
    fixture.startWorker(WorkerFixture.options(FAST, CircuitBreakerPolicy.defaults()));
    PublishResult published = fixture.publishMemoryCreated("m-5");

    await()
        .atMost(DEADLINE)
        .until(() -> fixture.onlyDelivery(published.eventId()).status() == DeliveryStatus.DEAD);
    Endpoint after = fixture.store.find(WorkerFixture.TENANT, endpoint.id()).orElseThrow();
    assertThat(after.active()).isFalse();
    assertThat(after.disabledReason()).contains("410");
  }

  @Test
  void redirectIsNotFollowed() {
    fixture.endpoint(receiver.url("/hook"), "*");
    receiver.respondWith(
        r ->
            r.path().equals("/hook")
                ? new LoopbackReceiver.Reply(
                    302, Map.of("Location", receiver.url("/elsewhere")), "")
                : LoopbackReceiver.Reply.status(200));
    fixture.startWorker(WorkerFixture.options(FAST, CircuitBreakerPolicy.defaults()));
    PublishResult published = fixture.publishMemoryCreated("m-6");

    await()
        .atMost(DEADLINE)
        .until(() -> fixture.onlyDelivery(published.eventId()).status() == DeliveryStatus.DEAD);
    assertThat(receiver.requests("/elsewhere")).isEmpty();
    assertThat(fixture.onlyDelivery(published.eventId()).lastStatusCode()).isEqualTo(302);
  }

  @Test
  void circuitOpensAfterFiveFailuresAndDeliveriesWaitWithoutSpendingAttempts() {
    Endpoint endpoint = fixture.endpoint(receiver.url("/hook"), "*");
    AtomicInteger calls = new AtomicInteger();
    receiver.respondWith(
        r -> LoopbackReceiver.Reply.status(calls.incrementAndGet() <= 5 ? 503 : 200));
    RetrySchedule manyFast =
        RetrySchedule.of(java.util.Collections.nCopies(10, Duration.ofMillis(100)));
    fixture.startWorker(
        WorkerFixture.options(manyFast, new CircuitBreakerPolicy(5, Duration.ofSeconds(3))));
    PublishResult first = fixture.publishMemoryCreated("m-7");

    await()
        .atMost(DEADLINE)
        .until(() -> fixture.store.load(endpoint.id()).status() == CircuitState.Status.OPEN);
    PublishResult second = fixture.publishMemoryCreated("m-8");

    await()
        .atMost(DEADLINE)
        .until(() -> fixture.onlyDelivery(first.eventId()).status() == DeliveryStatus.SUCCEEDED);
    await()
        .atMost(DEADLINE)
        .until(() -> fixture.onlyDelivery(second.eventId()).status() == DeliveryStatus.SUCCEEDED);

    List<LoopbackReceiver.Request> requests = receiver.requests();
    assertThat(requests).hasSize(7);
    // Nothing reached the receiver while the circuit was open.
    assertThat(Duration.between(requests.get(4).receivedAt(), requests.get(5).receivedAt()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(2900));
    assertThat(fixture.onlyDelivery(first.eventId()).attempts()).isEqualTo(6);
    assertThat(fixture.onlyDelivery(second.eventId()).attempts()).isEqualTo(1);
    assertThat(fixture.store.load(endpoint.id()).status()).isEqualTo(CircuitState.Status.CLOSED);
  }

  /**
   * The server passes its managed executor, which also serves HTTP requests: the claimed batch
   * waits in the worker, and the executor never holds more than {@code concurrency} of its tasks.
   */
  @Test
  void aClaimedBatchWaitsInTheWorkerNotInTheExecutorsQueue() throws Exception {
    fixture.endpoint(receiver.url("/hook"), "*");
    CountDownLatch answer = new CountDownLatch(1);
    receiver.respondWith(r -> LoopbackReceiver.Reply.okAfter(answer, Duration.ofSeconds(30)));
    AtomicInteger outstanding = new AtomicInteger();
    AtomicInteger mostOutstanding = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(32);
    ExecutorService counting =
        new AbstractExecutorService() {
          @Override
          public void execute(Runnable task) {
            mostOutstanding.accumulateAndGet(outstanding.incrementAndGet(), Math::max);
            pool.execute(
                () -> {
                  try {
                    task.run();
                  } finally {
                    outstanding.decrementAndGet();
                  }
                });
          }

          @Override
          public void shutdown() {
            pool.shutdown();
          }

          @Override
          public List<Runnable> shutdownNow() {
            return pool.shutdownNow();
          }

          @Override
          public boolean isShutdown() {
            return pool.isShutdown();
          }

          @Override
          public boolean isTerminated() {
            return pool.isTerminated();
          }

          @Override
          public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
            return pool.awaitTermination(timeout, unit);
          }
        };
    try {
      // concurrency 8, claims of 50: the worker holds up to 58 deliveries.
      DeliveryWorker worker =
          fixture.startWorker(
              WorkerFixture.options(FAST, CircuitBreakerPolicy.defaults()), counting);
      for (int i = 0; i < 60; i++) {
        fixture.publishMemoryCreated("m-held-" + i);
      }
      await().atMost(DEADLINE).until(() -> receiver.requests().size() == 8);
      await().atMost(DEADLINE).until(() -> worker.counts().claimed() == 58);
      assertThat(mostOutstanding.get()).isEqualTo(8);

      answer.countDown();
      await().atMost(DEADLINE).until(() -> worker.counts().succeeded() == 60);
      assertThat(mostOutstanding.get()).isEqualTo(8);
    } finally {
      answer.countDown();
      fixture.stopWorker();
      pool.shutdownNow();
    }
  }
}
