package dev.herald.webhooks.store.jpa.internal;

import static dev.herald.webhooks.store.jpa.internal.Jdbc.setTime;
import static dev.herald.webhooks.store.jpa.internal.Jdbc.utc;

import dev.herald.webhooks.core.ids.Ids;
import dev.herald.webhooks.spi.DeliveryTarget;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;

/**
 * A delivery added to an event after it was published (the Redis fallback of {@code
 * webhook-primary}), at most once per event and destination, in the caller's transaction.
 */
final class AddedDeliveries {
  private final Clock clock;
  private final Ids ids;

  AddedDeliveries(Clock clock) {
    this.clock = clock;
    this.ids = new Ids(clock);
  }

  /** Adds the delivery unless the event has one to {@code target}; false when it had. */
  boolean add(Connection c, String tenantId, String eventId, DeliveryTarget target)
      throws SQLException {
    int priority;
    OffsetDateTime createdAt;
    // Locking the event row serializes the processes that fall back at the same time.
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT priority, created_at FROM events WHERE id = ? AND tenant_id = ? FOR UPDATE")) {
      ps.setString(1, eventId);
      ps.setString(2, tenantId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return false;
        }
        priority = rs.getInt(1);
        createdAt = rs.getObject(2, OffsetDateTime.class);
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT 1 FROM deliveries WHERE event_id = ? AND transport = ? AND "
                + (target.endpointId() == null ? "endpoint_id IS NULL" : "endpoint_id = ?"))) {
      ps.setString(1, eventId);
      ps.setString(2, target.transport());
      if (target.endpointId() != null) {
        ps.setString(3, target.endpointId());
      }
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          return false;
        }
      }
    }
    OffsetDateTime now = utc(clock.instant());
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO deliveries (id, event_id, tenant_id, endpoint_id, transport,"
                + " status, priority, attempts, next_attempt_at, created_at, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, 'pending', ?, 0, ?, ?, ?)")) {
      ps.setString(1, ids.next(Ids.DELIVERY));
      ps.setString(2, eventId);
      ps.setString(3, tenantId);
      ps.setString(4, target.endpointId());
      ps.setString(5, target.transport());
      ps.setInt(6, priority);
      setTime(ps, 7, now);
      setTime(ps, 8, createdAt);
      setTime(ps, 9, now);
      ps.executeUpdate();
    }
    return true;
  }
}
