package dev.herald.webhooks.store.jpa.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.Objects;

/** Row of {@code attempts}, keyed by delivery and attempt number. */
@Entity
@Table(name = "attempts")
@IdClass(AttemptEntity.Key.class)
public class AttemptEntity {
  @Id
  @Column(name = "delivery_id")
  String deliveryId;

  @Id int number;

  @Column(name = "started_at")
  OffsetDateTime startedAt;

  @Column(name = "duration_ms")
  long durationMs;

  @Column(name = "status_code")
  Integer statusCode;

  @Column(name = "response_excerpt")
  String responseExcerpt;

  @Column(name = "error_type")
  String errorType;

  @Column(name = "error_message")
  String errorMessage;

  /** The composite key. */
  public static class Key implements Serializable {
    String deliveryId;
    int number;

    public Key() {}

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.number == number && Objects.equals(k.deliveryId, deliveryId);
    }

    @Override
    public int hashCode() {
      return Objects.hash(deliveryId, number);
    }
  }
}
