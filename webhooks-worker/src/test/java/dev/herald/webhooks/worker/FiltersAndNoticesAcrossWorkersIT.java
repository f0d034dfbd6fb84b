package dev.herald.webhooks.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.webhooks.api.NewEvent;
import dev.herald.webhooks.core.json.JsonReader;
import dev.herald.webhooks.core.signing.WebhookSecrets;
import dev.herald.webhooks.spi.Endpoint;
import dev.herald.webhooks.spi.NewEndpoint;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * With three standalone worker processes on one PostgreSQL: a filtered endpoint receives exactly
 * the events its CEL filter accepts, and an endpoint that answers {@code 410 Gone} is disabled and
 * its {@code herald.endpoint.disabled} notice reaches the tenant's endpoint that subscribes to
 * notices.
 */
class FiltersAndNoticesAcrossWorkersIT extends WorkerWithReceiverTest {

  private static Map<String, Object> envelope(LoopbackReceiver.Request request) {
    return JsonReader.readObject(new String(request.body(), StandardCharsets.UTF_8));
  }

  @Test
  void aFilteredEndpointGetsExactlyItsEventsAndAGoneEndpointsDisablingIsNoticed() throws Exception {
    fixture.store.create(
        NewEndpoint.http(
                WorkerFixture.TENANT,
                receiver.url("/important"),
                List.of("memory.*"),
                WebhookSecrets.generate())
            .withFilter("has(data.importance) && data.importance >= 0.8"));
    fixture.endpoint(receiver.url("/notices"), "herald.endpoint.*");
    Endpoint gone = fixture.endpoint(receiver.url("/gone"), "user.*");
    receiver.respondWith(r -> LoopbackReceiver.Reply.status(r.path().equals("/gone") ? 410 : 200));

    Map<String, String> env = WorkerProcess.environment(fixture, Map.of("WEBHOOK_WORKERS", "8"));
    Set<String> important = new HashSet<>();
    try (WorkerProcess a = WorkerProcess.start("semantics-a", env);
        WorkerProcess b = WorkerProcess.start("semantics-b", env);
        WorkerProcess c = WorkerProcess.start("semantics-c", env)) {
      for (int i = 0; i < 60; i++) {
        double importance = (i % 10) / 10.0;
        String id =
            fixture
                .publisher
                .publish(
                    NewEvent.of(
                        WorkerFixture.TENANT,
                        "memory.created",
                        Map.of("memory_id", "m-" + i, "user_id", "u-1", "importance", importance)))
                .eventId();
        if (importance >= 0.8) {
          important.add(id);
        }
      }
      fixture.publish("user.created", Map.of("user_id", "u-2"));
      await()
          .atMost(Duration.ofMinutes(1))
          .until(
              () ->
                  receiver.requests("/important").size() >= important.size()
                      && !receiver.requests("/notices").isEmpty());
      assertThat(a.process.isAlive()).as(a.output()).isTrue();
      assertThat(b.process.isAlive()).as(b.output()).isTrue();
      assertThat(c.process.isAlive()).as(c.output()).isTrue();
    }

    Set<Object> received = new HashSet<>();
    receiver.requests("/important").forEach(r -> received.add(envelope(r).get("id")));
    assertThat(received).isEqualTo(important);
    assertThat(important).hasSize(12);

    Map<String, Object> notice = envelope(receiver.requests("/notices").get(0));
    assertThat(notice).containsEntry("type", "herald.endpoint.disabled");
    @SuppressWarnings("unchecked")
    Map<String, Object> data = (Map<String, Object>) notice.get("data");
    assertThat(data).containsEntry("endpoint_id", gone.id());
    assertThat((String) data.get("reason")).contains("410");
    assertThat(fixture.store.find(WorkerFixture.TENANT, gone.id()).orElseThrow().active())
        .isFalse();
  }
}
