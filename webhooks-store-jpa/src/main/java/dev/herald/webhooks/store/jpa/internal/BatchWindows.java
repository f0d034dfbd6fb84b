package dev.herald.webhooks.store.jpa.internal;

import static dev.herald.webhooks.store.jpa.internal.Jdbc.setTime;

import dev.herald.webhooks.spi.BatchPolicy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.TreeMap;

/**
 * The wait of batched endpoints' new deliveries (DESIGN 16, {@code batch}): a new delivery is due
 * {@code max_wait} after it was published, so that claims find it with those published meanwhile;
 * once {@code max_events} wait, all of them are due at once.
 */
final class BatchWindows {
  private BatchWindows() {}

  /** When a new delivery to an endpoint with this policy becomes due. */
  static OffsetDateTime due(BatchPolicy batch, OffsetDateTime now) {
    return now.plus(batch.maxWait());
  }

  /**
   * Makes due the waiting deliveries of each of these endpoints that has {@code max_events}
   * waiting. The waiting ones are its newest: reading its {@code max_events} newest deliveries
   * tells, whatever its history.
   */
  static void releaseFull(Connection c, Map<String, BatchPolicy> endpoints, OffsetDateTime now)
      throws SQLException {
    for (Map.Entry<String, BatchPolicy> e : new TreeMap<>(endpoints).entrySet()) {
      BatchPolicy batch = e.getValue();
      if (batch.maxWait().isZero()) {
        continue;
      }
      int waiting;
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT COUNT(*) FROM (SELECT d.status, d.attempts, d.batch_id, d.next_attempt_at"
                  + " FROM deliveries d WHERE d.endpoint_id = ?"
                  + " ORDER BY d.created_at DESC, d.id DESC LIMIT ?) n"
                  + " WHERE n.status = 'pending' AND n.attempts = 0 AND n.batch_id IS NULL"
                  + " AND n.next_attempt_at > ?")) {
        ps.setString(1, e.getKey());
        ps.setInt(2, batch.maxEvents());
        setTime(ps, 3, now);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          waiting = rs.getInt(1);
        }
      }
      if (waiting < batch.maxEvents()) {
        continue;
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE deliveries SET next_attempt_at = ? WHERE endpoint_id = ?"
                  + " AND status = 'pending' AND attempts = 0 AND batch_id IS NULL"
                  + " AND next_attempt_at > ? AND next_attempt_at <= ?")) {
        setTime(ps, 1, now);
        ps.setString(2, e.getKey());
        setTime(ps, 3, now);
        setTime(ps, 4, due(batch, now));
        ps.executeUpdate();
      }
    }
  }
}
