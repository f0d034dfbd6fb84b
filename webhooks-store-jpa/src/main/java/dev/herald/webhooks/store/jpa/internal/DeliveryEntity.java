package dev.herald.webhooks.store.jpa.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** Row of {@code deliveries}. Written on the hot path with JDBC; read here for history. */
@Entity
@Table(name = "deliveries")
public class DeliveryEntity {
  @Id String id;

  @Column(name = "event_id")
  String eventId;

  @Column(name = "tenant_id")
  String tenantId;

  @Column(name = "endpoint_id")
  String endpointId;

  String transport;
  String status;
  int priority;
  int attempts;

  @Column(name = "next_attempt_at")
  OffsetDateTime nextAttemptAt;

  @Column(name = "lease_owner")
  String leaseOwner;

  @Column(name = "lease_until")
  OffsetDateTime leaseUntil;

  @Column(name = "last_status_code")
  Integer lastStatusCode;

  @Column(name = "last_error")
  String lastError;

  @Column(name = "dead_reason")
  String deadReason;

  @Column(name = "created_at")
  OffsetDateTime createdAt;

  @Column(name = "updated_at")
  OffsetDateTime updatedAt;
}
