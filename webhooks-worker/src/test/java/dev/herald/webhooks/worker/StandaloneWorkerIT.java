package dev.herald.webhooks.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.webhooks.api.PublishResult;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Standalone worker processes on one PostgreSQL: scale-out, crash take-over, bad configuration. */
class StandaloneWorkerIT extends WorkerWithReceiverTest {
  private Set<String> publish(int count) {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < count; i++) {
      PublishResult result = fixture.publishMemoryCreated("m-" + i);
      ids.add(result.eventId());
    }
    return ids;
  }

  private Map<String, Long> receivedCounts() {
    return receiver.requests().stream()
        .collect(Collectors.groupingBy(r -> r.header("webhook-id"), Collectors.counting()));
  }

  @Test
  void twoWorkerProcessesDeliverTenThousandEventsEachExactlyOnce() throws Exception {
    fixture.endpoint(receiver.url("/hook"), "memory.*");
    Set<String> published = publish(10_000);
    Map<String, String> env = WorkerProcess.environment(fixture, Map.of("WEBHOOK_WORKERS", "32"));

    Instant start = Instant.now();
    try (WorkerProcess a = WorkerProcess.start("scale-a", env);
        WorkerProcess b = WorkerProcess.start("scale-b", env)) {
      await()
          .atMost(Duration.ofMinutes(4))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> receiver.requests().size() >= published.size());
      Duration took = Duration.between(start, Instant.now());
      System.out.printf(
          "two standalone workers delivered %d events in %d ms (%.0f deliveries/s, incl. JVM start)%n",
          published.size(), took.toMillis(), published.size() * 1000.0 / took.toMillis());
      assertThat(a.process.isAlive()).as(a.output()).isTrue();
      assertThat(b.process.isAlive()).as(b.output()).isTrue();
    }
    Map<String, Long> counts = receivedCounts();
    assertThat(counts.keySet()).isEqualTo(published);
    assertThat(counts.values()).allMatch(n -> n == 1);
  }

  @Test
  void killedWorkerLosesNothingAndOnlyInFlightEventsArriveTwice() throws Exception {
    fixture.endpoint(receiver.url("/hook"), "memory.*");
    // A slow receiver keeps sends in flight when the worker dies.
    receiver.respondWith(slow(r -> LoopbackReceiver.Reply.status(200), Duration.ofMillis(150)));
    Set<String> published = publish(300);
    Map<String, String> env =
        WorkerProcess.environment(
            fixture, Map.of("WEBHOOK_WORKERS", "8", "HERALD_LEASE_DURATION", "3s"));

    Set<String> receivedBeforeKill;
    try (WorkerProcess victim = WorkerProcess.start("victim", env)) {
      await().atMost(Duration.ofMinutes(2)).until(() -> receiver.requests().size() >= 40);
      victim.process.destroyForcibly(); // SIGKILL: no shutdown hook, leases stay behind
      assertThat(victim.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      receivedBeforeKill = receivedCounts().keySet();
    }
    assertThat(receivedBeforeKill.size()).isLessThan(published.size());

    try (WorkerProcess survivor = WorkerProcess.start("survivor", env)) {
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> receivedCounts().keySet().containsAll(published));
    }
    Map<String, Long> counts = receivedCounts();
    assertThat(counts.keySet()).isEqualTo(published);
    Set<String> duplicated =
        counts.entrySet().stream()
            .filter(e -> e.getValue() > 1)
            .map(Map.Entry::getKey)
            .collect(Collectors.toSet());
    assertThat(receivedBeforeKill).containsAll(duplicated);
    // Sent again: the 8 sends in flight, and finished ones whose batch of results was not yet
    // committed (what finished during the previous commit: at 8 sends per 150 ms, fewer than 8
    // unless a commit takes longer than a send).
    assertThat(duplicated.size()).isLessThanOrEqualTo(16);
  }

  @Test
  void badConfigurationExitsWithAMessageNamingTheKey() throws Exception {
    try (WorkerProcess worker =
        WorkerProcess.start(
            "bad-config", WorkerProcess.environment(fixture, Map.of("WEBHOOK_WORKERS", "lots")))) {
      assertThat(worker.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(worker.process.exitValue()).isEqualTo(2);
      assertThat(worker.output()).contains("WEBHOOK_WORKERS (webhook.workers) is \"lots\"");
    }
  }

  @Test
  void phaseCommandChangesThePhaseThatEveryProcessSees() throws Exception {
    Map<String, String> env = WorkerProcess.environment(fixture, Map.of());
    try (WorkerProcess set = WorkerProcess.start("phase-set", env, "phase", "set", "dual")) {
      assertThat(set.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(set.process.exitValue()).as(set.output()).isZero();
      assertThat(set.output()).contains("migration phase: dual (set by an operator)");
    }
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> fixture.phases.get().global() == dev.herald.webhooks.api.MigrationPhase.DUAL);

    try (WorkerProcess tenant =
        WorkerProcess.start(
            "phase-tenant", env, "phase", "set", "redis-only", "--tenant", "legacy-co")) {
      assertThat(tenant.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(tenant.output()).contains("tenant legacy-co: redis-only");
    }
    try (WorkerProcess bad = WorkerProcess.start("phase-bad", env, "phase", "set", "both")) {
      assertThat(bad.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(bad.process.exitValue()).isEqualTo(2);
      assertThat(bad.output()).contains("allowed: redis-only, dual, webhook-primary, webhook-only");
    }
    try (WorkerProcess report =
        WorkerProcess.start("report", env, "migration-report", "--since", "1h")) {
      assertThat(report.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(report.process.exitValue()).as(report.output()).isZero();
      assertThat(report.output())
          .contains("events routed to webhooks and Redis since")
          .contains("delivered on both sides: 0");
    }
  }

  private static Function<LoopbackReceiver.Request, LoopbackReceiver.Reply> slow(
      Function<LoopbackReceiver.Request, LoopbackReceiver.Reply> reply, Duration delay) {
    return request -> {
      try {
        Thread.sleep(delay.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return reply.apply(request);
    };
  }
}
