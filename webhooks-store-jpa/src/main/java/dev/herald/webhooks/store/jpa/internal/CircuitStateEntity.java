package dev.herald.webhooks.store.jpa.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** Row of {@code circuit_states}. */
@Entity
@Table(name = "circuit_states")
public class CircuitStateEntity {
  @Id
  @Column(name = "endpoint_id")
  String endpointId;

  String status;

  @Column(name = "consecutive_failures")
  int consecutiveFailures;

  @Column(name = "opened_at")
  OffsetDateTime openedAt;
}
