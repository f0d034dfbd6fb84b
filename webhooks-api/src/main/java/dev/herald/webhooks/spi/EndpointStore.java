package dev.herald.webhooks.spi;

import java.time.Instant;
import java.util.Optional;

/**
 * Manages endpoints. Secrets are encrypted at rest and returned in clear text only to the caller
 * that needs to sign or to show them once. Every call is scoped by tenant. Thread-safe.
 */
public interface EndpointStore extends EndpointDirectory {

  /** Stores a new endpoint with a fresh {@code wh_} id. */
  Endpoint create(NewEndpoint endpoint);

  /** The tenant's endpoints, newest first, by cursor. */
  Page<Endpoint> list(String tenantId, String cursor, int limit);

  /**
   * Changes to an endpoint; a null field stays as it is. The caller validates the values as for
   * {@link NewEndpoint}.
   *
   * @param retryDelays null to keep the endpoint's schedule, empty to return to the global one
   * @param rateLimitPerSecond null to keep the endpoint's rate limit, empty to remove it
   * @param filter null to keep the endpoint's payload filter, empty to remove it
   * @param ordering null to keep the endpoint's ordering; turning it off releases the events held
   *     back for their subject
   * @param batch null to keep the endpoint's batching, empty to send one event per request
   * @param format null to keep the endpoint's format
   */
  record EndpointChanges(
      String url,
      java.util.List<String> eventTypes,
      dev.herald.webhooks.api.SignatureProfile signatureProfile,
      String headerPrefix,
      String description,
      java.util.Map<String, String> customHeaders,
      Optional<java.util.List<java.time.Duration>> retryDelays,
      Integer maxInFlight,
      Optional<Double> rateLimitPerSecond,
      Optional<String> filter,
      Ordering ordering,
      Optional<BatchPolicy> batch,
      EndpointFormat format) {}

  /** Applies the changes; empty when the tenant has no such endpoint. */
  Optional<Endpoint> update(String tenantId, String endpointId, EndpointChanges changes);

  /** Re-enables a disabled endpoint, clearing the reason. Returns false if there is no such. */
  boolean enable(String tenantId, String endpointId);

  /**
   * Makes {@code newSecret} the current secret; the previous current secret keeps signing until
   * {@code previousExpiresAt}. Secrets that already expired are dropped.
   */
  Optional<Endpoint> rotateSecret(
      String tenantId, String endpointId, String newSecret, Instant previousExpiresAt);

  /** Deletes an endpoint; its pending deliveries become dead with reason "endpoint deleted". */
  boolean delete(String tenantId, String endpointId);
}
