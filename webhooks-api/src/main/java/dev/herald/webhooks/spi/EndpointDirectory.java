package dev.herald.webhooks.spi;

import java.util.List;
import java.util.Optional;

/** Reads endpoints for routing and sending. Every call is scoped by tenant. Thread-safe. */
public interface EndpointDirectory {

  /** The tenant's active endpoints, with their subscription filters. */
  List<Endpoint> activeEndpoints(String tenantId);

  /** One endpoint of the tenant, active or not. */
  Optional<Endpoint> find(String tenantId, String endpointId);

  /** Disables an endpoint and records why (410 Gone, no success for days). */
  void disable(String tenantId, String endpointId, String reason);
}
