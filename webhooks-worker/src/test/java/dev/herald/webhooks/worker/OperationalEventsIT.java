package dev.herald.webhooks.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.webhooks.api.CatalogEventTypes;
import dev.herald.webhooks.api.NewEvent;
import dev.herald.webhooks.core.circuit.CircuitBreakerPolicy;
import dev.herald.webhooks.core.json.JsonReader;
import dev.herald.webhooks.core.publish.DefaultEventPublisher;
import dev.herald.webhooks.core.registry.EventTypeRegistry;
import dev.herald.webhooks.core.retry.RetrySchedule;
import dev.herald.webhooks.core.validation.EventValidator;
import dev.herald.webhooks.spi.Endpoint;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * Herald's herald.endpoint.* notices, from real health changes of a worker on PostgreSQL, to the
 * tenant's other endpoint that subscribes to them.
 */
class OperationalEventsIT extends WorkerWithReceiverTest {

  private DefaultEventPublisher publisher() {
    return new DefaultEventPublisher(
        new EventValidator(EventTypeRegistry.load(getClass().getClassLoader()), 256 * 1024),
        fixture.store,
        fixture.phases,
        fixture.store,
        Duration.ofHours(24),
        Clock.systemUTC());
  }

  private List<Map<String, Object>> notices(String type) {
    return receiver.requests("/ops").stream()
        .map(r -> JsonReader.readObject(new String(r.body(), StandardCharsets.UTF_8)))
        .filter(envelope -> type.equals(envelope.get("type")))
        .toList();
  }

  @Test
  void disablingAnEndpointAndItsCircuitOpeningAndClosingAreSentToTheTenantsOtherEndpoint()
      throws Exception {
    Endpoint ops = fixture.endpoint(receiver.url("/ops"), "herald.endpoint.*");
    Endpoint gone = fixture.endpoint(receiver.url("/gone"), "memory.*", "herald.endpoint.*");
    Endpoint flaky = fixture.endpoint(receiver.url("/flaky"), "user.*");
    AtomicBoolean flakyFails = new AtomicBoolean(true);
    receiver.respondWith(
        r -> {
          if (r.path().equals("/gone")) {
            return LoopbackReceiver.Reply.status(410);
          }
          if (r.path().equals("/flaky")) {
            return LoopbackReceiver.Reply.status(flakyFails.get() ? 503 : 200);
          }
          return LoopbackReceiver.Reply.status(200);
        });
    OperationalNotices notices =
        new OperationalNotices(publisher(), fixture.store, Clock.systemUTC());
    fixture.startWorker(
        WorkerFixture.options(
            RetrySchedule.of(
                List.of(
                    Duration.ofMillis(200),
                    Duration.ofMillis(200),
                    Duration.ofMillis(200),
                    Duration.ofMillis(200),
                    Duration.ofMillis(200),
                    Duration.ofMillis(200))),
            new CircuitBreakerPolicy(2, Duration.ofSeconds(1))),
        DeliveryObserver.all(notices));

    // 410 Gone disables the endpoint at once.
    fixture.publishMemoryCreated("m-1");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !notices(CatalogEventTypes.ENDPOINT_DISABLED).isEmpty());
    Map<String, Object> disabled = notices(CatalogEventTypes.ENDPOINT_DISABLED).get(0);
    assertThat(disabled).containsEntry("subject", "endpoint/" + gone.id());
    @SuppressWarnings("unchecked")
    Map<String, Object> data = (Map<String, Object>) disabled.get("data");
    assertThat(data)
        .containsEntry("endpoint_id", gone.id())
        .containsEntry("url", receiver.url("/gone"))
        .containsEntry("reason", "the receiver answered 410 Gone")
        .containsKey("at");

    // Two failures open the flaky endpoint's circuit; after a second, a probe closes it.
    fixture.publisher.publish(
        NewEvent.of(WorkerFixture.TENANT, "user.created", Map.of("user_id", "u-1")));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !notices(CatalogEventTypes.ENDPOINT_CIRCUIT_OPENED).isEmpty());
    @SuppressWarnings("unchecked")
    Map<String, Object> opened =
        (Map<String, Object>) notices(CatalogEventTypes.ENDPOINT_CIRCUIT_OPENED).get(0).get("data");
    assertThat(opened)
        .containsEntry("endpoint_id", flaky.id())
        .containsEntry("reason", "2 consecutive failures");
    flakyFails.set(false);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !notices(CatalogEventTypes.ENDPOINT_CIRCUIT_CLOSED).isEmpty());
    @SuppressWarnings("unchecked")
    Map<String, Object> closed =
        (Map<String, Object>) notices(CatalogEventTypes.ENDPOINT_CIRCUIT_CLOSED).get(0).get("data");
    assertThat(closed).containsEntry("endpoint_id", flaky.id());

    // The disabled endpoint subscribed to the notices too, but is never sent its own.
    assertThat(receiver.requests("/gone"))
        .allSatisfy(
            r ->
                assertThat(new String(r.body(), StandardCharsets.UTF_8))
                    .doesNotContain("herald.endpoint.disabled"));
    assertThat(ops.id()).isNotEqualTo(gone.id());
  }

  @Test
  void producersCannotPublishOperationalEvents() {
    Assertions.assertThatThrownBy(
            () ->
                fixture.publisher.publish(
                    NewEvent.of(
                        WorkerFixture.TENANT,
                        CatalogEventTypes.ENDPOINT_DISABLED,
                        Map.of("endpoint_id", "wh_x", "url", "", "reason", "fake", "at", "now"))))
        .isInstanceOf(dev.herald.webhooks.api.InvalidEventException.class)
        .hasMessageContaining("Herald's own operational events");
  }
}
