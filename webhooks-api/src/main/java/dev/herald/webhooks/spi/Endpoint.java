package dev.herald.webhooks.spi;

import dev.herald.webhooks.api.SignatureProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A tenant's subscribed destination, as the core and worker need it. Immutable.
 *
 * @param id endpoint id, {@code wh_...}
 * @param tenantId the owning tenant
 * @param url where to send (for the {@code http} transport)
 * @param transport the transport provider name, {@code http} unless a custom transport is used
 * @param eventTypes subscription filters: exact names, {@code prefix.*} wildcards or {@code *}
 * @param signatureProfile how requests are signed
 * @param headerPrefix the {@code {Prefix}} of {@code X-{Prefix}-*} headers for {@code legacy-hex}
 * @param secrets current secret first, then rotated-out secrets still in their grace period
 * @param customHeaders extra request headers
 * @param retryDelays delays before attempts 2, 3, ...; null for the global schedule
 * @param maxInFlight most concurrent requests to this endpoint, across every process
 * @param rateLimitPerSecond most requests per second to this endpoint across every process, or null
 *     for no limit
 * @param active false when disabled
 * @param disabledReason why it was disabled, or null
 * @param failingSince when the current run of failures began (the first failed attempt after the
 *     last success), or null when the last attempt succeeded or none was made
 * @param description free text for people, or null
 * @param lastSuccessAt when a delivery to it last succeeded, or null
 * @param createdAt when it was created
 * @param filter a CEL expression over the envelope that events must match besides their type, or
 *     null for none
 * @param ordering whether events of one subject go one at a time, in sequence order
 * @param batch how events are batched into requests, or null for one event per request
 * @param format how requests carry events: Herald's envelope or a CloudEvents binding
 * @param handshake whether it was created waiting for the CloudEvents validation handshake; while
 *     it waits it is inactive, with the reason {@link #PENDING_VALIDATION}
 */
public record Endpoint(
    String id,
    String tenantId,
    String url,
    String transport,
    List<String> eventTypes,
    SignatureProfile signatureProfile,
    String headerPrefix,
    List<SigningSecret> secrets,
    Map<String, String> customHeaders,
    List<Duration> retryDelays,
    int maxInFlight,
    Double rateLimitPerSecond,
    boolean active,
    String disabledReason,
    Instant failingSince,
    String description,
    Instant lastSuccessAt,
    Instant createdAt,
    String filter,
    Ordering ordering,
    BatchPolicy batch,
    EndpointFormat format,
    boolean handshake) {

  /** The disabled reason of an endpoint whose validation handshake has not allowed Herald yet. */
  public static final String PENDING_VALIDATION = "pending_validation";

  public Endpoint {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(transport, "transport");
    eventTypes = List.copyOf(eventTypes);
    Objects.requireNonNull(signatureProfile, "signatureProfile");
    secrets = List.copyOf(secrets);
    customHeaders = Map.copyOf(customHeaders);
    retryDelays = retryDelays == null ? null : List.copyOf(retryDelays);
    Objects.requireNonNull(ordering, "ordering");
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be >= 1, was " + maxInFlight);
    }
  }

  /** Whether it waits for its validation handshake to allow Herald. */
  public boolean pendingValidation() {
    return handshake
        && !active
        && disabledReason != null
        && disabledReason.startsWith(PENDING_VALIDATION);
  }
}
