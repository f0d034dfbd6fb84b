package dev.herald.webhooks.worker;

import dev.herald.webhooks.api.CatalogEventTypes;
import dev.herald.webhooks.api.NewEvent;
import dev.herald.webhooks.core.publish.DefaultEventPublisher;
import dev.herald.webhooks.spi.Endpoint;
import dev.herald.webhooks.spi.EndpointDirectory;
import dev.herald.webhooks.spi.Recorded;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Herald's operational events (DESIGN 16): when one of a tenant's endpoints is disabled or enabled,
 * or its circuit opens or closes, {@code herald.endpoint.*} is published to the tenant's other
 * endpoints that subscribe to it, through the outbox like any event (signed, retried). An endpoint
 * is never sent a notice about itself. The notice is published right after the change commits; a
 * process that dies in between loses that one notice, not the change.
 */
public final class OperationalNotices implements DeliveryObserver {
  private static final System.Logger LOG = System.getLogger(OperationalNotices.class.getName());

  private final DefaultEventPublisher publisher;
  private final EndpointDirectory endpoints;
  private final Clock clock;

  public OperationalNotices(
      DefaultEventPublisher publisher, EndpointDirectory endpoints, Clock clock) {
    this.publisher = Objects.requireNonNull(publisher, "publisher");
    this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public void healthChanged(Recorded.HealthChange change) {
    if (change.circuitOpened()) {
      publish(
          change.tenantId(),
          change.endpointId(),
          CatalogEventTypes.ENDPOINT_CIRCUIT_OPENED,
          change.consecutiveFailures() + " consecutive failures");
    }
    if (change.circuitClosed()) {
      publish(
          change.tenantId(),
          change.endpointId(),
          CatalogEventTypes.ENDPOINT_CIRCUIT_CLOSED,
          "a probe succeeded");
    }
    if (change.disabledReason() != null) {
      disabled(change.tenantId(), change.endpointId(), change.disabledReason());
    }
  }

  /** An endpoint was disabled (by Herald, or through the API). */
  public void disabled(String tenantId, String endpointId, String reason) {
    publish(tenantId, endpointId, CatalogEventTypes.ENDPOINT_DISABLED, reason);
  }

  /** An endpoint was enabled again through the API. */
  public void enabled(String tenantId, String endpointId, String reason) {
    publish(tenantId, endpointId, CatalogEventTypes.ENDPOINT_ENABLED, reason);
  }

  private void publish(String tenantId, String endpointId, String type, String reason) {
    try {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("endpoint_id", endpointId);
      data.put("url", endpoints.find(tenantId, endpointId).map(Endpoint::url).orElse(""));
      data.put("reason", reason);
      data.put("at", clock.instant().toString());
      publisher.publishOperational(
          new NewEvent(tenantId, type, "endpoint/" + endpointId, null, data, Map.of()), endpointId);
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "could not publish {0} for endpoint {1}: {2}",
          type,
          endpointId,
          e.toString());
    }
  }
}
