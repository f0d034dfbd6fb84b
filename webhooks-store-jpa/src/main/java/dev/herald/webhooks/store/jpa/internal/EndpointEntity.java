package dev.herald.webhooks.store.jpa.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/**
 * Row of {@code endpoints}. Lists and maps are stored as text (see {@link EndpointCodec}); the
 * secrets as one AES-GCM ciphertext.
 */
@Entity
@Table(name = "endpoints")
public class EndpointEntity {
  @Id String id;

  @Column(name = "tenant_id")
  String tenantId;

  String url;
  String transport;

  @Column(name = "event_types")
  String eventTypes;

  @Column(name = "signature_profile")
  String signatureProfile;

  @Column(name = "header_prefix")
  String headerPrefix;

  String description;

  @Column(name = "custom_headers")
  String customHeaders;

  @Column(name = "retry_delays")
  String retryDelays;

  @Column(name = "max_in_flight")
  int maxInFlight;

  @Column(name = "rate_limit_per_second")
  Double rateLimitPerSecond;

  /** The CEL payload filter, or null. */
  @Column(name = "filter_expression")
  String filter;

  /** {@code none} or {@code subject}. */
  String ordering;

  /** Events per request for a batched endpoint, or null when it is not batched. */
  @Column(name = "batch_max_events")
  Integer batchMaxEvents;

  @Column(name = "batch_max_wait_ms")
  Integer batchMaxWaitMs;

  /** {@code herald}, {@code cloudevents-structured} or {@code cloudevents-binary}. */
  String format;

  /** Whether it was created waiting for the CloudEvents validation handshake. */
  boolean handshake;

  boolean active;

  @Column(name = "disabled_reason")
  String disabledReason;

  @Column(name = "failing_since")
  OffsetDateTime failingSince;

  @Column(name = "last_success_at")
  OffsetDateTime lastSuccessAt;

  @Column(name = "created_at")
  OffsetDateTime createdAt;

  byte[] secrets;
}
