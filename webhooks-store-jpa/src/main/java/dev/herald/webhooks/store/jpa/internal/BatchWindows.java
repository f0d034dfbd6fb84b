package dev.herald.webhooks.store.jpa.internal;

import static dev.herald.webhooks.store.jpa.internal.Jdbc.setTime;

import dev.herald.webhooks.spi.BatchPolicy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The wait of batched endpoints' new deliveries (DESIGN 16, {@code batch}): the first delivery of a
 * window is due {@code max_wait} after it was published and those published meanwhile join it (the
 * same due time, so that one claim finds them together); once {@code max_events} wait, all of them
 * are due at once.
 */
final class BatchWindows {
  /** An endpoint's deliveries waiting for their window. */
  private static final String WAITING =
      " FROM deliveries WHERE endpoint_id = ? AND batched AND status = 'pending'"
          + " AND attempts = 0 AND batch_id IS NULL AND next_attempt_at > ?";

  private BatchWindows() {}

  /**
   * When new deliveries to each of these endpoints become due: with those already waiting (the
   * window they opened), or {@code max_wait} from now when none wait.
   */
  static Map<String, OffsetDateTime> due(
      Connection c, Map<String, BatchPolicy> endpoints, OffsetDateTime now) throws SQLException {
    Map<String, OffsetDateTime> due = new HashMap<>();
    for (Map.Entry<String, BatchPolicy> e : new TreeMap<>(endpoints).entrySet()) {
      BatchPolicy batch = e.getValue();
      OffsetDateTime open = null;
      if (!batch.maxWait().isZero()) {
        try (PreparedStatement ps = c.prepareStatement("SELECT MIN(next_attempt_at)" + WAITING)) {
          ps.setString(1, e.getKey());
          setTime(ps, 2, now);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            open = rs.getObject(1, OffsetDateTime.class);
          }
        }
      }
      due.put(e.getKey(), open != null ? open : now.plus(batch.maxWait()));
    }
    return due;
  }

  /**
   * Makes due the waiting deliveries of each of these endpoints that has {@code max_events}
   * waiting.
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
          c.prepareStatement("SELECT COUNT(*) FROM (SELECT 1" + WAITING + " LIMIT ?) n")) {
        ps.setString(1, e.getKey());
        setTime(ps, 2, now);
        ps.setInt(3, batch.maxEvents());
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
              "UPDATE deliveries SET next_attempt_at = ? WHERE id IN (SELECT id" + WAITING + ")")) {
        setTime(ps, 1, now);
        ps.setString(2, e.getKey());
        setTime(ps, 3, now);
        ps.executeUpdate();
      }
    }
  }
}
