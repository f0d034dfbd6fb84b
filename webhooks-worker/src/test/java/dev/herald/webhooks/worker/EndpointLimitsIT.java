package dev.herald.webhooks.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.webhooks.api.SignatureProfile;
import dev.herald.webhooks.core.signing.WebhookSecrets;
import dev.herald.webhooks.spi.CircuitState;
import dev.herald.webhooks.spi.Endpoint;
import dev.herald.webhooks.spi.EndpointFormat;
import dev.herald.webhooks.spi.NewEndpoint;
import dev.herald.webhooks.spi.Ordering;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * An endpoint's limits and circuit hold for the sum of three standalone worker processes on one
 * PostgreSQL: the receiver never sees more than max_in_flight requests at once nor more than the
 * rate limit plus one burst in any second, and after an open period exactly one probe arrives.
 */
class EndpointLimitsIT extends WorkerWithReceiverTest {
  private Endpoint endpoint(int maxInFlight, Double ratePerSecond) {
    return fixture.store.create(
        new NewEndpoint(
            WorkerFixture.TENANT,
            receiver.url("/hook"),
            "http",
            List.of("memory.*"),
            SignatureProfile.STANDARD,
            null,
            WebhookSecrets.generate(),
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

  private void publish(int count) {
    for (int i = 0; i < count; i++) {
      fixture.publishMemoryCreated("m-" + i);
    }
  }

  private Map<String, String> environment(Map<String, String> extra) {
    return WorkerProcess.environment(fixture, extra);
  }

  @Test
  void threeProcessesTogetherNeverExceedMaxInFlight() throws Exception {
    endpoint(4, null);
    AtomicInteger current = new AtomicInteger();
    AtomicInteger highest = new AtomicInteger();
    receiver.respondWith(
        request -> {
          highest.accumulateAndGet(current.incrementAndGet(), Math::max);
          try {
            Thread.sleep(60);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            current.decrementAndGet();
          }
          return LoopbackReceiver.Reply.status(200);
        });
    publish(150);
    Map<String, String> env = environment(Map.of("WEBHOOK_WORKERS", "16"));
    try (WorkerProcess a = WorkerProcess.start("limit-a", env);
        WorkerProcess b = WorkerProcess.start("limit-b", env);
        WorkerProcess c = WorkerProcess.start("limit-c", env)) {
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> receiver.requests().size() >= 150);
      assertThat(a.process.isAlive()).as(a.output()).isTrue();
      assertThat(b.process.isAlive()).as(b.output()).isTrue();
      assertThat(c.process.isAlive()).as(c.output()).isTrue();
    }
    System.out.printf(
        "EndpointLimitsIT: max_in_flight 4, three workers of 16 sends: at most %d at once%n",
        highest.get());
    assertThat(highest.get()).isBetween(1, 4);
  }

  @Test
  void threeProcessesTogetherKeepTheRateLimitPlusOneBurst() throws Exception {
    Map<String, String> env = environment(Map.of("WEBHOOK_WORKERS", "16"));
    try (WorkerProcess a = WorkerProcess.start("rate-a", env);
        WorkerProcess b = WorkerProcess.start("rate-b", env);
        WorkerProcess c = WorkerProcess.start("rate-c", env)) {
      // Warm the workers up first (their first sends load the HTTP client, and a slow first send
      // would bunch up with later ones): the limit is measured on running processes.
      fixture.endpoint(receiver.url("/warm-up"), "user.*");
      for (int i = 0; i < 30; i++) {
        fixture.publish("user.created", Map.of("user_id", "u-" + i));
      }
      await().atMost(Duration.ofMinutes(2)).until(() -> receiver.requests("/warm-up").size() >= 30);
      endpoint(100, 10.0);
      publish(60);
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> receiver.requests("/hook").size() >= 60);
    }
    List<Instant> arrivals =
        receiver.requests("/hook").stream()
            .map(LoopbackReceiver.Request::receivedAt)
            .sorted()
            .toList();
    int busiestSecond = 0;
    for (int i = 0; i < arrivals.size(); i++) {
      Instant end = arrivals.get(i).plusSeconds(1);
      int inWindow = 0;
      for (int j = i; j < arrivals.size() && arrivals.get(j).isBefore(end); j++) {
        inWindow++;
      }
      busiestSecond = Math.max(busiestSecond, inWindow);
    }
    Duration spread = Duration.between(arrivals.get(0), arrivals.get(arrivals.size() - 1));
    System.out.printf(
        "EndpointLimitsIT: rate 10/s, three workers: busiest second %d requests, 60 over %d ms%n",
        busiestSecond, spread.toMillis());
    assertThat(busiestSecond).isLessThanOrEqualTo(10 + 10);
    // A burst of 5 at once, then 10 per second: the last of 60 no sooner than ~5.5 s later.
    assertThat(spread).isGreaterThan(Duration.ofMillis(5_000));
  }

  @Test
  void afterTheOpenPeriodExactlyOneProbeArrivesWhicheverProcessSendsIt() throws Exception {
    Endpoint endpoint = endpoint(10, null);
    AtomicInteger status = new AtomicInteger(503);
    AtomicLong lastArrival = new AtomicLong(System.nanoTime());
    receiver.respondWith(
        request -> {
          lastArrival.set(System.nanoTime());
          return LoopbackReceiver.Reply.status(status.get());
        });
    publish(30);
    Map<String, String> env =
        environment(
            Map.of(
                "WEBHOOK_WORKERS", "8",
                "HERALD_CIRCUIT_FAILURE_THRESHOLD", "3",
                "HERALD_CIRCUIT_OPEN_DURATION", "4s"));
    try (WorkerProcess a = WorkerProcess.start("probe-a", env);
        WorkerProcess b = WorkerProcess.start("probe-b", env);
        WorkerProcess c = WorkerProcess.start("probe-c", env)) {
      await()
          .atMost(Duration.ofMinutes(1))
          .until(() -> fixture.store.load(endpoint.id()).status() == CircuitState.Status.OPEN);
      // Sends claimed before it opened finish; then the endpoint is left alone.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> System.nanoTime() - lastArrival.get() > 1_000_000_000L);
      int beforeProbe = receiver.requests().size();
      await().atMost(Duration.ofSeconds(20)).until(() -> receiver.requests().size() > beforeProbe);
      // The probe failed: the circuit opens again for 4 s, and nothing else arrives meanwhile.
      await("exactly one probe")
          .during(Duration.ofMillis(2_500))
          .atMost(Duration.ofSeconds(4))
          .until(() -> receiver.requests().size() == beforeProbe + 1);
      assertThat(fixture.store.load(endpoint.id()).status()).isEqualTo(CircuitState.Status.OPEN);

      status.set(200);
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> fixture.store.load(endpoint.id()).status() == CircuitState.Status.CLOSED);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  receiver.requests().stream().map(r -> r.header("webhook-id")).distinct().count()
                      == 30);
    }
  }
}
