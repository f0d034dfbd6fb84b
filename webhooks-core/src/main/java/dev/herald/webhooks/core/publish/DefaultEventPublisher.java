package dev.herald.webhooks.core.publish;

import dev.herald.webhooks.api.CatalogEventTypes;
import dev.herald.webhooks.api.Event;
import dev.herald.webhooks.api.EventPublisher;
import dev.herald.webhooks.api.InvalidEventException;
import dev.herald.webhooks.api.MigrationPhase;
import dev.herald.webhooks.api.NewEvent;
import dev.herald.webhooks.api.PublishResult;
import dev.herald.webhooks.api.SignatureProfile;
import dev.herald.webhooks.core.ids.Ids;
import dev.herald.webhooks.core.json.EnvelopeJson;
import dev.herald.webhooks.core.registry.EventTypeRegistry;
import dev.herald.webhooks.core.routing.PhaseSelection;
import dev.herald.webhooks.core.routing.Router;
import dev.herald.webhooks.core.validation.EventValidator;
import dev.herald.webhooks.core.validation.IdempotencyKeys;
import dev.herald.webhooks.spi.DeliveryTarget;
import dev.herald.webhooks.spi.Endpoint;
import dev.herald.webhooks.spi.EndpointDirectory;
import dev.herald.webhooks.spi.OutboxStore;
import dev.herald.webhooks.spi.PreparedEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Publishes an event: validates it against its type, derives an idempotency key when none was
 * given, routes it by the tenant's migration phase and subscriptions, and stores it with one
 * delivery per destination in one transaction. An event with no destination is stored too, so it
 * shows in history and can be replayed. Thread-safe.
 */
public final class DefaultEventPublisher implements EventPublisher {
  private final EventValidator validator;
  private final EndpointDirectory endpoints;
  private final Supplier<PhaseSelection> phases;
  private final OutboxStore outbox;
  private final Duration dedupWindow;
  private final Clock clock;
  private final Ids ids;

  public DefaultEventPublisher(
      EventValidator validator,
      EndpointDirectory endpoints,
      Supplier<PhaseSelection> phases,
      OutboxStore outbox,
      Duration dedupWindow,
      Clock clock) {
    this.validator = Objects.requireNonNull(validator, "validator");
    this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
    this.phases = Objects.requireNonNull(phases, "phases");
    this.outbox = Objects.requireNonNull(outbox, "outbox");
    this.dedupWindow = Objects.requireNonNull(dedupWindow, "dedupWindow");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ids = new Ids(clock);
  }

  @Override
  public PublishResult publish(NewEvent request) {
    refuseReserved(request);
    return outbox.publish(prepare(request, new HashMap<>()), DefaultEventPublisher::encode);
  }

  /**
   * Publishes one of Herald's own operational events ({@code herald.*}), which producers may not
   * publish, to the tenant's subscribed endpoints except {@code aboutEndpoint}: an endpoint is
   * never sent a notice about itself.
   */
  public PublishResult publishOperational(NewEvent request, String aboutEndpoint) {
    if (!request.type().startsWith(CatalogEventTypes.RESERVED_PREFIX)) {
      throw new IllegalArgumentException(request.type() + " is not an operational event");
    }
    PreparedEvent prepared = prepare(request, new HashMap<>());
    List<DeliveryTarget> others =
        prepared.targets().stream().filter(t -> !aboutEndpoint.equals(t.endpointId())).toList();
    return outbox.publish(
        new PreparedEvent(prepared.event(), prepared.priority(), others, prepared.dedupWindow()),
        DefaultEventPublisher::encode);
  }

  private static void refuseReserved(NewEvent request) {
    if (request.type().startsWith(CatalogEventTypes.RESERVED_PREFIX)) {
      throw new InvalidEventException(
          InvalidEventException.Reason.UNKNOWN_TYPE,
          "type",
          "event types starting with "
              + CatalogEventTypes.RESERVED_PREFIX
              + " are Herald's own operational events; producers cannot publish them");
    }
  }

  /**
   * Validates and routes every event first, so that a refused event stores nothing, then stores
   * them all in one transaction.
   */
  @Override
  public List<PublishResult> publishAll(List<NewEvent> requests) {
    if (requests.isEmpty()) {
      return List.of();
    }
    // One read of each tenant's endpoints for the whole batch.
    Map<String, List<Endpoint>> endpointsByTenant = new HashMap<>();
    List<PreparedEvent> prepared = new ArrayList<>(requests.size());
    for (int i = 0; i < requests.size(); i++) {
      try {
        refuseReserved(requests.get(i));
        prepared.add(prepare(requests.get(i), endpointsByTenant));
      } catch (InvalidEventException e) {
        String field = "events[" + i + "]" + (e.field() == null ? "" : "." + e.field());
        InvalidEventException indexed =
            new InvalidEventException(e.reason(), field, "event " + i + ": " + e.getMessage());
        indexed.initCause(e);
        throw indexed;
      }
    }
    return outbox.publishAll(prepared, DefaultEventPublisher::encode);
  }

  private PreparedEvent prepare(NewEvent request, Map<String, List<Endpoint>> endpointsByTenant) {
    EventTypeRegistry.Registered type = validator.validate(request);
    MigrationPhase phase = phases.get().phaseFor(request.tenantId());
    List<Endpoint> active =
        endpointsByTenant.computeIfAbsent(request.tenantId(), endpoints::activeEndpoints);
    List<DeliveryTarget> targets = Router.route(phase, request, active);
    Event event =
        new Event(
            ids.next(Ids.EVENT),
            request.type(),
            clock.instant().truncatedTo(ChronoUnit.MILLIS),
            request.tenantId(),
            IdempotencyKeys.keyOf(request),
            type.type().schemaVersion(),
            request.subject(),
            0,
            request.data(),
            request.metadata());
    return new PreparedEvent(event, type.type().priority(), targets, dedupWindow);
  }

  private static byte[] encode(Event stored) {
    return EnvelopeJson.encode(stored, SignatureProfile.STANDARD);
  }
}
