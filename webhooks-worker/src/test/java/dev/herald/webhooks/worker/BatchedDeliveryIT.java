package dev.herald.webhooks.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.webhooks.api.NewEvent;
import dev.herald.webhooks.core.json.JsonReader;
import dev.herald.webhooks.core.signing.WebhookSecrets;
import dev.herald.webhooks.spi.BatchPolicy;
import dev.herald.webhooks.spi.Endpoint;
import dev.herald.webhooks.spi.NewEndpoint;
import dev.herald.webhooks.verifier.WebhookVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Batched delivery across three standalone worker processes on one PostgreSQL, against a receiver
 * that refuses one request in five at random: every request is a signed array of at most {@code
 * max_events} envelopes, a refused batch comes again whole under the same {@code bat_} id, no event
 * is lost, and each arrives within {@code max_wait_ms} plus one poll interval of its publication.
 */
class BatchedDeliveryIT extends WorkerWithReceiverTest {
  private static final int MAX_EVENTS = 10;
  private static final Duration MAX_WAIT = Duration.ofMillis(500);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final int EVENTS = 300;

  /** One request as the receiver saw and answered it. */
  private record Batch(String webhookId, List<String> eventIds, boolean accepted, Instant at) {}

  @Test
  void everyRequestIsASignedArrayOfAtMostMaxEventsRetriedWholeAndNothingIsLost() throws Exception {
    Endpoint endpoint =
        fixture.store.create(
            NewEndpoint.http(
                    WorkerFixture.TENANT,
                    receiver.url("/batched"),
                    List.of("memory.*"),
                    WebhookSecrets.generate())
                .withRetryDelays(Collections.nCopies(20, Duration.ofMillis(100)))
                .withBatch(new BatchPolicy(MAX_EVENTS, MAX_WAIT)));
    WebhookVerifier verifier =
        WebhookVerifier.builder().secret(endpoint.secrets().get(0).value()).build();
    Random random = new Random(16);
    Map<String, Instant> acceptedAt = new ConcurrentHashMap<>();
    List<Batch> batches = Collections.synchronizedList(new ArrayList<>());
    List<String> unverified = Collections.synchronizedList(new ArrayList<>());
    receiver.respondWith(
        request -> {
          if (!request.path().equals("/batched")) {
            return LoopbackReceiver.Reply.status(200);
          }
          Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
          request.headers().forEach((k, v) -> headers.put(k, v.get(0)));
          try {
            verifier.verify(headers, request.body());
          } catch (Exception e) {
            unverified.add(e.toString());
          }
          String body = new String(request.body(), StandardCharsets.UTF_8);
          List<String> ids = new ArrayList<>();
          @SuppressWarnings("unchecked")
          List<Map<String, Object>> events =
              (List<Map<String, Object>>) JsonReader.readObject(body).get("events");
          for (Map<String, Object> event : events) {
            ids.add((String) event.get("id"));
            acceptedAt.putIfAbsent(
                (String) event.get("id"), Instant.parse((String) event.get("timestamp")));
          }
          boolean accepted;
          synchronized (random) {
            accepted = random.nextInt(5) != 0;
          }
          assertThat(body).startsWith("{\"events\":[");
          batches.add(new Batch(headers.get("webhook-id"), ids, accepted, request.receivedAt()));
          return LoopbackReceiver.Reply.status(accepted ? 200 : 503);
        });

    Map<String, Instant> published = new ConcurrentHashMap<>();
    Map<String, String> env = WorkerProcess.environment(fixture, Map.of("WEBHOOK_WORKERS", "16"));
    try (WorkerProcess a = WorkerProcess.start("batched-a", env);
        WorkerProcess b = WorkerProcess.start("batched-b", env);
        WorkerProcess c = WorkerProcess.start("batched-c", env)) {
      // The wait is measured on running workers: their first sends load the HTTP client, and
      // their first batches the batching code.
      fixture.store.create(
          NewEndpoint.http(
                  WorkerFixture.TENANT,
                  receiver.url("/warm-up"),
                  List.of("user.*"),
                  WebhookSecrets.generate())
              .withBatch(new BatchPolicy(5, Duration.ofMillis(50))));
      for (int i = 0; i < 60; i++) {
        fixture.publish("user.created", Map.of("user_id", "u-" + i));
      }
      await()
          .atMost(Duration.ofMinutes(1))
          .until(
              () ->
                  receiver.requests("/warm-up").stream()
                          .mapToLong(
                              r ->
                                  new String(r.body(), StandardCharsets.UTF_8).split("evt_").length
                                      - 1)
                          .sum()
                      >= 60);
      // A steady 100 events a second: requests go when full or when their first event has waited.
      for (int i = 0; i < EVENTS; i++) {
        Instant at = Instant.now();
        String id =
            fixture
                .publisher
                .publish(
                    NewEvent.of(
                        WorkerFixture.TENANT,
                        "memory.created",
                        Map.of("memory_id", "m-" + i, "user_id", "u-1")))
                .eventId();
        published.put(id, at);
        Thread.sleep(10);
      }
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> acceptedIds(batches).containsAll(published.keySet()));
      assertThat(a.process.isAlive()).as(a.output()).isTrue();
      assertThat(b.process.isAlive()).as(b.output()).isTrue();
      assertThat(c.process.isAlive()).as(c.output()).isTrue();
    }

    List<Batch> all = List.copyOf(batches);
    assertThat(unverified).as("every request verifies").isEmpty();
    assertThat(all).allSatisfy(r -> assertThat(r.eventIds()).hasSizeBetween(1, MAX_EVENTS));
    assertThat(all).allSatisfy(r -> assertThat(r.webhookId()).startsWith("bat_"));
    Map<String, Set<String>> membersById = new HashMap<>();
    for (Batch r : all) {
      Set<String> members = new HashSet<>(r.eventIds());
      Set<String> before = membersById.putIfAbsent(r.webhookId(), members);
      assertThat(before == null ? members : before)
          .as("a batch sent again carries the same events")
          .isEqualTo(members);
    }
    List<String> acceptedIds =
        all.stream().filter(Batch::accepted).flatMap(r -> r.eventIds().stream()).toList();
    assertThat(new HashSet<>(acceptedIds)).isEqualTo(published.keySet());
    long duplicates = acceptedIds.size() - published.size();

    // The wait bound holds for each event's first request, refused or not.
    Map<String, Instant> firstSent = new HashMap<>();
    for (Batch r : all) {
      r.eventIds().forEach(id -> firstSent.merge(id, r.at(), (x, y) -> x.isBefore(y) ? x : y));
    }
    // From when Herald accepted the event (its envelope's timestamp, the same machine's clock):
    // the wait DESIGN 16 bounds. From the publish call, which includes the publish itself, too.
    List<Long> waits = new ArrayList<>();
    List<Long> fromCall = new ArrayList<>();
    published.forEach(
        (id, at) -> {
          waits.add(Duration.between(acceptedAt.get(id), firstSent.get(id)).toMillis());
          fromCall.add(Duration.between(at, firstSent.get(id)).toMillis());
        });
    Collections.sort(waits);
    Collections.sort(fromCall);
    long full = all.stream().filter(r -> r.eventIds().size() == MAX_EVENTS).count();
    System.out.printf(
        "BatchedDeliveryIT: %d events in %d requests (%d full, %d refused), %d accepted twice;"
            + " acceptance to first request p50 %d ms, p99 %d ms, max %d ms (from the publish call:"
            + " p99 %d ms, max %d ms; max_wait %d ms, poll %d ms)%n",
        EVENTS,
        all.size(),
        full,
        all.stream().filter(r -> !r.accepted()).count(),
        duplicates,
        waits.get(waits.size() / 2),
        waits.get(waits.size() * 99 / 100),
        waits.get(waits.size() - 1),
        fromCall.get(fromCall.size() * 99 / 100),
        fromCall.get(fromCall.size() - 1),
        MAX_WAIT.toMillis(),
        POLL.toMillis());
    assertThat(all.size()).as("events shared requests").isLessThan(EVENTS / 2);
    assertThat(all.stream().filter(r -> !r.accepted()).count()).isPositive();
    // max_wait and one poll interval, plus 500 ms for the claim, the send and three worker JVMs,
    // PostgreSQL and the test sharing two cores (here at most 586-692 ms; once 1,121 ms in a full
    // CI run).
    assertThat(waits.get(waits.size() - 1))
        .isLessThanOrEqualTo(MAX_WAIT.plus(POLL).plusMillis(500).toMillis());
  }

  private static Set<String> acceptedIds(List<Batch> batches) {
    synchronized (batches) {
      Set<String> ids = new HashSet<>();
      batches.stream().filter(Batch::accepted).forEach(r -> ids.addAll(r.eventIds()));
      return ids;
    }
  }
}
