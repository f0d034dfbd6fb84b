package dev.herald.webhooks.store.jpa.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** Row of {@code api_keys}: only a hash of the key is stored. */
@Entity
@Table(name = "api_keys")
public class ApiKeyEntity {
  @Id String id;

  @Column(name = "tenant_id")
  String tenantId;

  @Column(name = "key_hash")
  String keyHash;

  String description;

  @Column(name = "created_at")
  OffsetDateTime createdAt;

  @Column(name = "last_used_at")
  OffsetDateTime lastUsedAt;
}
