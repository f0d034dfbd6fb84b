package dev.herald.webhooks.core.publish;

import dev.herald.webhooks.api.Event;
import dev.herald.webhooks.api.Priority;
import dev.herald.webhooks.api.PublishResult;
import dev.herald.webhooks.api.SignatureProfile;
import dev.herald.webhooks.core.ids.Ids;
import dev.herald.webhooks.core.json.EnvelopeJson;
import dev.herald.webhooks.spi.DeliveryTarget;
import dev.herald.webhooks.spi.Endpoint;
import dev.herald.webhooks.spi.OutboxStore;
import dev.herald.webhooks.spi.PreparedEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Sends a {@value #TYPE} event to one endpoint, whatever its subscriptions and the migration phase:
 * a receiver's owner checks that deliveries arrive and verify. It is stored and delivered like any
 * event (signed, retried, in history). Producers cannot publish this type. Thread-safe.
 */
public final class TestEvents {
  /** The type of test events; not in the catalog, so never routed to subscribers. */
  public static final String TYPE = "webhook.test";

  private final OutboxStore outbox;
  private final Clock clock;
  private final Ids ids;

  public TestEvents(OutboxStore outbox, Clock clock) {
    this.outbox = Objects.requireNonNull(outbox, "outbox");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ids = new Ids(clock);
  }

  /** Stores a test event with one delivery, to {@code endpoint}; returns the event id. */
  public PublishResult send(Endpoint endpoint) {
    String id = ids.next(Ids.EVENT);
    Event event =
        new Event(
            id,
            TYPE,
            clock.instant().truncatedTo(ChronoUnit.MILLIS),
            endpoint.tenantId(),
            "test-" + id,
            1,
            "webhook/" + endpoint.id(),
            0,
            Map.of(
                "webhook_id",
                endpoint.id(),
                "message",
                "This is a test event from Herald. If its signature verifies, the endpoint works."),
            Map.of());
    return outbox.publish(
        new PreparedEvent(
            event, Priority.HIGH, List.of(DeliveryTarget.endpoint(endpoint)), Duration.ZERO),
        stored -> EnvelopeJson.encode(stored, SignatureProfile.STANDARD));
  }
}
