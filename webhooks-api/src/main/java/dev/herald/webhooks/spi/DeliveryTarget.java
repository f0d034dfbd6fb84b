package dev.herald.webhooks.spi;

import java.util.Objects;

/**
 * Where one delivery of an event goes: an endpoint through its transport, or the Redis destination
 * of the migration (no endpoint).
 *
 * @param transport the transport provider name
 * @param endpointId the endpoint, or null for the migration's Redis destination
 */
public record DeliveryTarget(String transport, String endpointId) {
  /** The transport name of the migration's Redis destination. */
  public static final String REDIS = "redis";

  public DeliveryTarget {
    Objects.requireNonNull(transport, "transport");
  }

  public static DeliveryTarget endpoint(Endpoint endpoint) {
    return new DeliveryTarget(endpoint.transport(), endpoint.id());
  }

  public static DeliveryTarget redis() {
    return new DeliveryTarget(REDIS, null);
  }

  public boolean isEndpoint() {
    return endpointId != null;
  }
}
