package dev.herald.webhooks.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.webhooks.api.NewEvent;
import dev.herald.webhooks.api.SignatureProfile;
import dev.herald.webhooks.core.circuit.CircuitBreakerPolicy;
import dev.herald.webhooks.core.retry.RetrySchedule;
import dev.herald.webhooks.spi.Endpoint;
import dev.herald.webhooks.spi.EndpointFormat;
import dev.herald.webhooks.spi.NewEndpoint;
import dev.herald.webhooks.spi.Ordering;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Endpoints with a CEL payload filter, on PostgreSQL with a real worker and receiver. */
class PayloadFilterIT extends WorkerWithReceiverTest {

  @Test
  void aFilteredEndpointReceivesExactlyTheMatchingEvents() throws Exception {
    Endpoint filtered =
        fixture.store.create(
            new NewEndpoint(
                WorkerFixture.TENANT,
                receiver.url("/important"),
                "http",
                List.of("memory.*"),
                SignatureProfile.STANDARD,
                null,
                "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]),
                null,
                Map.of(),
                null,
                10,
                null,
                "data.importance >= 0.8 && type.startsWith(\"memory.\")",
                Ordering.NONE,
                null,
                EndpointFormat.HERALD,
                false));
    fixture.endpoint(receiver.url("/all"), "*");
    fixture.startWorker(
        WorkerFixture.options(RetrySchedule.defaults(), CircuitBreakerPolicy.defaults()));

    Set<String> matching = new HashSet<>();
    Set<String> all = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      double importance = i / 20.0;
      String type = i % 4 == 0 ? "session.started" : "memory.created";
      Map<String, Object> data =
          type.equals("memory.created")
              ? Map.of("memory_id", "m-" + i, "user_id", "u-1", "importance", importance)
              : Map.of("session_id", "s-" + i, "user_id", "u-1", "importance", importance);
      String id =
          fixture.publisher.publish(NewEvent.of(WorkerFixture.TENANT, type, data)).eventId();
      all.add(id);
      if (importance >= 0.8 && type.equals("memory.created")) {
        matching.add(id);
      }
    }

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> receiver.requests("/all").size() >= all.size());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> receiver.requests("/important").size() >= matching.size());
    assertThat(matching).hasSize(3);
    assertThat(ids(receiver.requests("/important"))).isEqualTo(matching);
    for (String event : all) {
      long toFiltered =
          fixture.store.deliveriesOfEvent(WorkerFixture.TENANT, event).orElseThrow().stream()
              .filter(d -> filtered.id().equals(d.target().endpointId()))
              .count();
      assertThat(toFiltered).as(event).isEqualTo(matching.contains(event) ? 1 : 0);
    }

    // A replay applies the filter as routing did: only the matching events are sent again.
    int replayed =
        fixture.store.replay(
            WorkerFixture.TENANT, filtered.id(), java.time.Instant.now().minusSeconds(600), 100);
    assertThat(replayed).isEqualTo(matching.size());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> receiver.requests("/important").size() >= 2 * matching.size());
    assertThat(ids(receiver.requests("/important"))).isEqualTo(matching);
  }

  private static Set<String> ids(List<LoopbackReceiver.Request> requests) {
    return requests.stream().map(r -> r.header("webhook-id")).collect(Collectors.toSet());
  }
}
