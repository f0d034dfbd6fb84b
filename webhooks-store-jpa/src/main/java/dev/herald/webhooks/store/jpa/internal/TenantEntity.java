package dev.herald.webhooks.store.jpa.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** Row of {@code tenants}. */
@Entity
@Table(name = "tenants")
public class TenantEntity {
  @Id String id;
  String name;

  @Column(name = "created_at")
  OffsetDateTime createdAt;

  /** Set when the tenant was deleted; its rows are being erased. */
  @Column(name = "deleted_at")
  OffsetDateTime deletedAt;
}
