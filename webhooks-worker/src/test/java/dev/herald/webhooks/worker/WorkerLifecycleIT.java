package dev.herald.webhooks.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.webhooks.api.PublishResult;
import dev.herald.webhooks.api.SignatureProfile;
import dev.herald.webhooks.core.circuit.CircuitBreakerPolicy;
import dev.herald.webhooks.core.retry.RetrySchedule;
import dev.herald.webhooks.spi.DeliveryStatus;
import dev.herald.webhooks.spi.Endpoint;
import dev.herald.webhooks.spi.EndpointFormat;
import dev.herald.webhooks.spi.NewEndpoint;
import dev.herald.webhooks.spi.Ordering;
import dev.herald.webhooks.verifier.VerifiedWebhook;
import dev.herald.webhooks.verifier.WebhookVerifier;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Leases, shutdown, auto-disabling and the legacy profile, with real PostgreSQL and HTTP. */
class WorkerLifecycleIT extends WorkerWithReceiverTest {
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private static WorkerOptions withLease(String id, Duration lease) {
    WorkerOptions base =
        WorkerFixture.options(RetrySchedule.defaults(), CircuitBreakerPolicy.defaults());
    return new WorkerOptions(
        id,
        base.concurrency(),
        base.claimBatchSize(),
        lease,
        Duration.ofMillis(100),
        base.maxInFlightPerEndpoint(),
        base.retrySchedule(),
        0.0,
        base.circuitBreaker(),
        base.autoDisableAfter(),
        null);
  }

  @Test
  void leaseIsRenewedWhileASlowSendRunsSoNoOtherWorkerTakesIt() throws Exception {
    fixture.endpoint(receiver.url("/hook"), "*");
    CountDownLatch release = new CountDownLatch(1);
    // The receiver holds the request past 3 leases.
    receiver.respondWith(r -> LoopbackReceiver.Reply.okAfter(release, Duration.ofSeconds(10)));
    DeliveryWorker first = fixture.newWorker(withLease("first", Duration.ofSeconds(1)));
    DeliveryWorker second = fixture.newWorker(withLease("second", Duration.ofSeconds(1)));
    try {
      first.start();
      PublishResult published = fixture.publishMemoryCreated("m-1");
      await().atMost(DEADLINE).until(() -> receiver.requests().size() == 1);
      second.start();
      // For three lease periods, while the first worker's send is held open, nobody sends again.
      await()
          .during(Duration.ofMillis(3500))
          .atMost(Duration.ofSeconds(5))
          .until(() -> receiver.requests().size() == 1);
      release.countDown();
      await()
          .atMost(DEADLINE)
          .until(
              () -> fixture.onlyDelivery(published.eventId()).status() == DeliveryStatus.SUCCEEDED);
      assertThat(receiver.requests()).hasSize(1);
      assertThat(second.counts().claimed()).isZero();
    } finally {
      release.countDown();
      first.stop(Duration.ofSeconds(5));
      second.stop(Duration.ofSeconds(5));
    }
  }

  @Test
  void gracefulStopFinishesSendsInProgressAndGivesBackTheRest() throws Exception {
    Endpoint endpoint =
        fixture.store.create(
            new NewEndpoint(
                WorkerFixture.TENANT,
                receiver.url("/hook"),
                "http",
                List.of("*"),
                SignatureProfile.STANDARD,
                null,
                dev.herald.webhooks.core.signing.WebhookSecrets.generate(),
                null,
                Map.of(),
                null,
                1,
                null,
                null,
                Ordering.NONE,
                null,
                EndpointFormat.HERALD,
                false));
    CountDownLatch firstArrived = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    receiver.respondWith(
        r -> {
          firstArrived.countDown();
          return LoopbackReceiver.Reply.okAfter(release, Duration.ofSeconds(10));
        });
    List<PublishResult> published =
        List.of(
            fixture.publishMemoryCreated("a"),
            fixture.publishMemoryCreated("b"),
            fixture.publishMemoryCreated("c"));
    DeliveryWorker worker = fixture.newWorker(withLease("stopping", Duration.ofSeconds(30)));
    worker.start();
    assertThat(firstArrived.await(30, TimeUnit.SECONDS)).isTrue();
    // One send is in progress (the endpoint allows one at a time), two wait in the worker.
    Thread stopper = new Thread(() -> worker.stop(Duration.ofSeconds(10)));
    stopper.start();
    release.countDown();
    stopper.join(TimeUnit.SECONDS.toMillis(30));

    assertThat(receiver.requests()).hasSizeGreaterThanOrEqualTo(1);
    long succeeded =
        published.stream()
            .filter(p -> fixture.onlyDelivery(p.eventId()).status() == DeliveryStatus.SUCCEEDED)
            .count();
    long pending =
        published.stream()
            .filter(p -> fixture.onlyDelivery(p.eventId()).status() == DeliveryStatus.PENDING)
            .count();
    assertThat(succeeded).isEqualTo(receiver.requests().size());
    assertThat(succeeded + pending).isEqualTo(3);

    // What was given back is delivered by the next worker, at once (no lease to wait for).
    receiver.respondWith(r -> LoopbackReceiver.Reply.status(200));
    fixture.startWorker(withLease("next", Duration.ofSeconds(30)));
    await()
        .atMost(DEADLINE)
        .until(
            () ->
                published.stream()
                    .allMatch(
                        p ->
                            fixture.onlyDelivery(p.eventId()).status()
                                == DeliveryStatus.SUCCEEDED));
    assertThat(receiver.requests()).hasSize(3);
    assertThat(endpoint.maxInFlight()).isEqualTo(1);
  }

  @Test
  void endpointFailingForLongerThanTheLimitIsDisabledWithTheReason() {
    Endpoint endpoint = fixture.endpoint(receiver.url("/hook"), "*");
    receiver.respondWith(r -> LoopbackReceiver.Reply.status(500));
    WorkerOptions base =
        WorkerFixture.options(
            RetrySchedule.of(Collections.nCopies(50, Duration.ofMillis(200))),
            new CircuitBreakerPolicy(1000, Duration.ofMinutes(5)));
    fixture.startWorker(
        new WorkerOptions(
            "auto-disable",
            base.concurrency(),
            base.claimBatchSize(),
            base.lease(),
            base.pollInterval(),
            base.maxInFlightPerEndpoint(),
            base.retrySchedule(),
            0.0,
            base.circuitBreaker(),
            Duration.ofSeconds(2),
            null));
    PublishResult published = fixture.publishMemoryCreated("m-1");

    await()
        .atMost(DEADLINE)
        .until(
            () -> !fixture.store.find(WorkerFixture.TENANT, endpoint.id()).orElseThrow().active());
    assertThat(
            fixture.store.find(WorkerFixture.TENANT, endpoint.id()).orElseThrow().disabledReason())
        .startsWith("no successful delivery for more than 2 seconds (failing since ");
    await()
        .atMost(DEADLINE)
        .until(() -> fixture.onlyDelivery(published.eventId()).status() == DeliveryStatus.DEAD);
    assertThat(fixture.onlyDelivery(published.eventId()).deadReason())
        .startsWith("endpoint disabled: no successful delivery");
  }

  @Test
  void legacyHexEndpointGetsPythonFormBodyAndPrefixedHeaders() throws Exception {
    String secret = "continuum-shared-secret";
    fixture.store.create(
        new NewEndpoint(
            WorkerFixture.TENANT,
            receiver.url("/legacy"),
            "http",
            List.of("memory.*"),
            SignatureProfile.LEGACY_HEX,
            "Continuum",
            secret,
            null,
            Map.of(),
            null,
            10,
            null,
            null,
            Ordering.NONE,
            null,
            EndpointFormat.HERALD,
            false));
    fixture.startWorker(
        WorkerFixture.options(RetrySchedule.defaults(), CircuitBreakerPolicy.defaults()));
    PublishResult published =
        fixture.publish(
            "memory.created",
            Map.of(
                "memory_id",
                "m-1",
                "user_id",
                "u-1",
                "content_preview",
                "café 🚀",
                "importance",
                0.5));

    await().atMost(DEADLINE).until(() -> receiver.requests().size() == 1);
    LoopbackReceiver.Request request = receiver.requests().get(0);
    VerifiedWebhook verified =
        WebhookVerifier.builder()
            .secret(secret)
            .legacyHex("Continuum")
            .build()
            .verify(request.headers(), request.body());
    String deliveryId = fixture.onlyDelivery(published.eventId()).id();
    assertThat(verified.id()).isEqualTo(deliveryId);
    assertThat(request.header("X-Continuum-Event")).isEqualTo("memory.created");
    assertThat(request.bodyText())
        .startsWith(
            "{\"data\": {\"content_preview\": \"caf\\u00e9 \\ud83d\\ude80\", \"importance\": 0.5,")
        .contains("\"id\": \"" + published.eventId() + "\"");
  }
}
