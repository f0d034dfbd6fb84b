package dev.herald.webhooks.store.jpa.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;

/**
 * What the outbox's SQL does differently on PostgreSQL and on H2, in one place: every other class
 * of the hot path writes portable SQL and asks its dialect for the rest.
 */
enum Dialect {
  POSTGRES {
    @Override
    void relaxDurability(Connection c) throws SQLException {
      try (Statement statement = c.createStatement()) {
        statement.execute("SET LOCAL synchronous_commit TO OFF");
      }
    }

    @Override
    String lockSkippingLocked(String alias) {
      return " FOR UPDATE OF " + alias + " SKIP LOCKED";
    }

    @Override
    boolean locksCandidates() {
      return true;
    }

    @Override
    String upsertSlots() {
      return "INSERT INTO endpoint_slots (endpoint_id, owner, slots, lease_until)"
          + " VALUES (?, ?, ?, ?) ON CONFLICT (endpoint_id, owner)"
          + " DO UPDATE SET slots = EXCLUDED.slots, lease_until = EXCLUDED.lease_until";
    }

    @Override
    Map<SubjectKey, Long> reserveSequences(Connection c, SortedMap<SubjectKey, Long> counts)
        throws SQLException {
      // One statement for every subject of the batch; each row is new or incremented once.
      String[] tenants = new String[counts.size()];
      String[] subjects = new String[counts.size()];
      Long[] increments = new Long[counts.size()];
      int i = 0;
      for (Map.Entry<SubjectKey, Long> e : counts.entrySet()) {
        tenants[i] = e.getKey().tenantId();
        subjects[i] = e.getKey().subject();
        increments[i] = e.getValue();
        i++;
      }
      Map<SubjectKey, Long> first = new HashMap<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO subject_sequences (tenant_id, subject, last_value)"
                  + " SELECT * FROM unnest(?::varchar[], ?::varchar[], ?::bigint[])"
                  + " ORDER BY 1, 2"
                  + " ON CONFLICT (tenant_id, subject)"
                  + " DO UPDATE SET last_value = subject_sequences.last_value + EXCLUDED.last_value"
                  + " RETURNING tenant_id, subject, last_value")) {
        ps.setArray(1, c.createArrayOf("varchar", tenants));
        ps.setArray(2, c.createArrayOf("varchar", subjects));
        ps.setArray(3, c.createArrayOf("bigint", increments));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            SubjectKey key = new SubjectKey(rs.getString(1), rs.getString(2));
            first.put(key, rs.getLong(3) - counts.get(key) + 1);
          }
        }
      }
      return first;
    }

    @Override
    String skippingHeldKey() {
      return " ON CONFLICT (dedup_key, tenant_id) DO NOTHING";
    }

    @Override
    void pauseAfterConflict(int attempt) {
      // The conflicting transaction has committed or rolled back when PostgreSQL reports it.
    }
  },

  H2 {
    @Override
    void relaxDurability(Connection c) {
      // H2 has no per-transaction durability setting.
    }

    @Override
    String lockSkippingLocked(String alias) {
      // No SKIP LOCKED: claims lease with a conditional update that only one claimer wins.
      return "";
    }

    @Override
    boolean locksCandidates() {
      return false;
    }

    @Override
    String upsertSlots() {
      return "MERGE INTO endpoint_slots (endpoint_id, owner, slots, lease_until)"
          + " KEY (endpoint_id, owner) VALUES (?, ?, ?, ?)";
    }

    @Override
    Map<SubjectKey, Long> reserveSequences(Connection c, SortedMap<SubjectKey, Long> counts)
        throws SQLException {
      // The update locks the row until commit; a concurrent first insert fails on the primary key
      // and the whole publish runs again.
      Map<SubjectKey, Long> first = new HashMap<>();
      try (PreparedStatement update =
              c.prepareStatement(
                  "UPDATE subject_sequences SET last_value = last_value + ?"
                      + " WHERE tenant_id = ? AND subject = ?");
          PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO subject_sequences (tenant_id, subject, last_value) VALUES (?, ?, ?)");
          PreparedStatement read =
              c.prepareStatement(
                  "SELECT last_value FROM subject_sequences WHERE tenant_id = ? AND subject = ?")) {
        for (Map.Entry<SubjectKey, Long> e : counts.entrySet()) {
          SubjectKey key = e.getKey();
          long n = e.getValue();
          update.setLong(1, n);
          update.setString(2, key.tenantId());
          update.setString(3, key.subject());
          if (update.executeUpdate() == 0) {
            insert.setString(1, key.tenantId());
            insert.setString(2, key.subject());
            insert.setLong(3, n);
            insert.executeUpdate();
            first.put(key, 1L);
            continue;
          }
          read.setString(1, key.tenantId());
          read.setString(2, key.subject());
          try (ResultSet rs = read.executeQuery()) {
            rs.next();
            first.put(key, rs.getLong(1) - n + 1);
          }
        }
      }
      return first;
    }

    @Override
    String skippingHeldKey() {
      return null;
    }

    @Override
    void pauseAfterConflict(int attempt) {
      // The winner of a unique index may not have committed yet: give it a moment.
      try {
        Thread.sleep(Math.min(50, 2L * attempt));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  };

  static Dialect of(boolean postgres) {
    return postgres ? POSTGRES : H2;
  }

  /**
   * Lets this transaction commit without waiting for the WAL flush. Only for work a database crash
   * may lose without losing an event: a lost claim, lease renewal or outcome just makes the
   * delivery due again, and it is sent again (at-least-once). Publishing never uses it.
   */
  abstract void relaxDurability(Connection c) throws SQLException;

  /** What ends a query that locks the rows of {@code alias} it returns, skipping locked ones. */
  abstract String lockSkippingLocked(String alias);

  /**
   * Whether a claim's candidate query ({@link #lockSkippingLocked}) locks the rows it returns, so
   * that the claim owns every one of them; otherwise a claim must win each row with a conditional
   * update.
   */
  abstract boolean locksCandidates();

  /** Inserts or replaces a claimer's slots of an endpoint: endpoint, owner, slots, lease end. */
  abstract String upsertSlots();

  /**
   * Adds each subject's count to its sequence row, in the map's order, and returns per subject the
   * first value reserved for the caller.
   */
  abstract Map<SubjectKey, Long> reserveSequences(Connection c, SortedMap<SubjectKey, Long> counts)
      throws SQLException;

  /**
   * What ends an insert into {@code events} so that a row whose idempotency key a stored event
   * holds is skipped (update count 0) rather than failing the transaction; null where the database
   * has no such clause.
   */
  abstract String skippingHeldKey();

  /** Waits, if this database needs it, before a publish that lost a race runs again. */
  abstract void pauseAfterConflict(int attempt);
}
