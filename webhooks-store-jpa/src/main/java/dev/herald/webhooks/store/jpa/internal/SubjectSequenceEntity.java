package dev.herald.webhooks.store.jpa.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/** Row of {@code subject_sequences}; incremented with SQL at publish, mapped for completeness. */
@Entity
@Table(name = "subject_sequences")
@IdClass(SubjectSequenceEntity.Key.class)
public class SubjectSequenceEntity {
  @Id
  @Column(name = "tenant_id")
  String tenantId;

  @Id String subject;

  @Column(name = "last_value")
  long lastValue;

  /** The composite key. */
  public static class Key implements Serializable {
    String tenantId;
    String subject;

    public Key() {}

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && Objects.equals(k.tenantId, tenantId)
          && Objects.equals(k.subject, subject);
    }

    @Override
    public int hashCode() {
      return Objects.hash(tenantId, subject);
    }
  }
}
