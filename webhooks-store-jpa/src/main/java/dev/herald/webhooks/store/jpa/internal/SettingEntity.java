package dev.herald.webhooks.store.jpa.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Row of {@code settings}. */
@Entity
@Table(name = "settings")
public class SettingEntity {
  @Id String name;

  @Column(name = "value_text")
  String value;
}
