package dev.herald.webhooks.spi;

import dev.herald.webhooks.api.SignatureProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An endpoint to create. The caller validates the URL (SSRF policy) and filters before storing.
 *
 * @param tenantId the owning tenant
 * @param url where to send
 * @param transport the transport provider name, {@code http} by default
 * @param eventTypes subscription filters
 * @param signatureProfile how requests are signed
 * @param headerPrefix the {@code X-{Prefix}-*} prefix for legacy-hex, else null
 * @param secret the initial secret in clear text; the store encrypts it
 * @param description free text for people, may be null
 * @param customHeaders extra request headers
 * @param retryDelays per-endpoint schedule, or null for the global one
 * @param maxInFlight most concurrent requests, across every process
 * @param rateLimitPerSecond most requests per second across every process, or null for no limit
 * @param filter a CEL payload filter, checked by the caller, or null for none
 * @param ordering whether events of one subject go one at a time, in sequence order
 * @param batch how events are batched into requests, or null for one event per request
 * @param format how requests carry events
 * @param handshake whether the endpoint waits, inactive, for the CloudEvents validation handshake
 *     to allow Herald before it gets events
 */
public record NewEndpoint(
    String tenantId,
    String url,
    String transport,
    List<String> eventTypes,
    SignatureProfile signatureProfile,
    String headerPrefix,
    String secret,
    String description,
    Map<String, String> customHeaders,
    List<Duration> retryDelays,
    int maxInFlight,
    Double rateLimitPerSecond,
    String filter,
    Ordering ordering,
    BatchPolicy batch,
    EndpointFormat format,
    boolean handshake) {
  public NewEndpoint {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(ordering, "ordering");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(transport, "transport");
    eventTypes = List.copyOf(eventTypes);
    Objects.requireNonNull(signatureProfile, "signatureProfile");
    Objects.requireNonNull(secret, "secret");
    customHeaders = Map.copyOf(customHeaders);
    retryDelays = retryDelays == null ? null : List.copyOf(retryDelays);
  }

  /** An http endpoint with the standard profile and defaults for everything else. */
  public static NewEndpoint http(
      String tenantId, String url, List<String> eventTypes, String secret) {
    return new NewEndpoint(
        tenantId,
        url,
        "http",
        eventTypes,
        SignatureProfile.STANDARD,
        null,
        secret,
        null,
        Map.of(),
        null,
        10,
        null,
        null,
        Ordering.NONE,
        null,
        EndpointFormat.HERALD,
        false);
  }

  public NewEndpoint withMaxInFlight(int maxInFlight) {
    return new NewEndpoint(
        tenantId,
        url,
        transport,
        eventTypes,
        signatureProfile,
        headerPrefix,
        secret,
        description,
        customHeaders,
        retryDelays,
        maxInFlight,
        rateLimitPerSecond,
        filter,
        ordering,
        batch,
        format,
        handshake);
  }

  public NewEndpoint withRetryDelays(List<Duration> retryDelays) {
    return new NewEndpoint(
        tenantId,
        url,
        transport,
        eventTypes,
        signatureProfile,
        headerPrefix,
        secret,
        description,
        customHeaders,
        retryDelays,
        maxInFlight,
        rateLimitPerSecond,
        filter,
        ordering,
        batch,
        format,
        handshake);
  }

  public NewEndpoint withFilter(String filter) {
    return new NewEndpoint(
        tenantId,
        url,
        transport,
        eventTypes,
        signatureProfile,
        headerPrefix,
        secret,
        description,
        customHeaders,
        retryDelays,
        maxInFlight,
        rateLimitPerSecond,
        filter,
        ordering,
        batch,
        format,
        handshake);
  }

  public NewEndpoint withOrdering(Ordering ordering) {
    return new NewEndpoint(
        tenantId,
        url,
        transport,
        eventTypes,
        signatureProfile,
        headerPrefix,
        secret,
        description,
        customHeaders,
        retryDelays,
        maxInFlight,
        rateLimitPerSecond,
        filter,
        ordering,
        batch,
        format,
        handshake);
  }

  public NewEndpoint withBatch(BatchPolicy batch) {
    return new NewEndpoint(
        tenantId,
        url,
        transport,
        eventTypes,
        signatureProfile,
        headerPrefix,
        secret,
        description,
        customHeaders,
        retryDelays,
        maxInFlight,
        rateLimitPerSecond,
        filter,
        ordering,
        batch,
        format,
        handshake);
  }

  public NewEndpoint withFormat(EndpointFormat format) {
    return new NewEndpoint(
        tenantId,
        url,
        transport,
        eventTypes,
        signatureProfile,
        headerPrefix,
        secret,
        description,
        customHeaders,
        retryDelays,
        maxInFlight,
        rateLimitPerSecond,
        filter,
        ordering,
        batch,
        format,
        handshake);
  }

  public NewEndpoint withHandshake(boolean handshake) {
    return new NewEndpoint(
        tenantId,
        url,
        transport,
        eventTypes,
        signatureProfile,
        headerPrefix,
        secret,
        description,
        customHeaders,
        retryDelays,
        maxInFlight,
        rateLimitPerSecond,
        filter,
        ordering,
        batch,
        format,
        handshake);
  }
}
