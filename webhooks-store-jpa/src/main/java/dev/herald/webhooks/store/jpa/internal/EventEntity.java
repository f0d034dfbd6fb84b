package dev.herald.webhooks.store.jpa.internal;

import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** Row of {@code events}; {@code body} holds the exact envelope bytes that are sent. */
@Entity
@Table(name = "events")
public class EventEntity {
  @Id String id;

  @Column(name = "tenant_id")
  String tenantId;

  String type;

  @Column(name = "idempotency_key")
  String idempotencyKey;

  @Column(name = "dedup_key")
  String dedupKey;

  String subject;
  long sequence;
  int priority;

  @Column(name = "created_at")
  OffsetDateTime createdAt;

  @Basic(fetch = FetchType.LAZY)
  byte[] body;
}
