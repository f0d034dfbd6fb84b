package dev.herald.webhooks.spi;

import java.util.Map;
import java.util.Objects;

/**
 * One attempt to deliver an event to one destination: the exact body bytes to send and the headers,
 * signatures included. Immutable.
 *
 * @param deliveryId the delivery ({@code dlv_...})
 * @param eventId the event ({@code evt_...}); the receivers' de-duplication key
 * @param eventType the event type name
 * @param tenantId the owning tenant
 * @param destination where to send: the endpoint URL for HTTP; transport-specific otherwise; null
 *     when the transport derives it from its own configuration (Redis)
 * @param attempt the attempt number, starting at 1
 * @param body the exact bytes to send (UTF-8 JSON)
 * @param headers request headers, signatures included; a {@code Content-Type} among them is the
 *     body's media type (a CloudEvents format), {@code application/json} when there is none
 */
public record OutboundMessage(
    String deliveryId,
    String eventId,
    String eventType,
    String tenantId,
    String destination,
    int attempt,
    byte[] body,
    Map<String, String> headers) {

  public OutboundMessage {
    Objects.requireNonNull(deliveryId, "deliveryId");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(eventType, "eventType");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(body, "body");
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be >= 1, was " + attempt);
    }
    headers = Map.copyOf(headers);
  }
}
