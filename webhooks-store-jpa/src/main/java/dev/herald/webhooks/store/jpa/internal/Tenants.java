package dev.herald.webhooks.store.jpa.internal;

import static dev.herald.webhooks.store.jpa.internal.Jdbc.placeholders;
import static dev.herald.webhooks.store.jpa.internal.Jdbc.setTime;
import static dev.herald.webhooks.store.jpa.internal.Jdbc.utc;

import dev.herald.webhooks.spi.TenantStore.Tenant;
import dev.herald.webhooks.store.jpa.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Tenants (JPA) and the data lifecycle: tenant deletion and retention purges delete events with
 * their deliveries and attempts in batches, one transaction per batch (plain SQL).
 */
final class Tenants {
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
  private static final int DELETE_BATCH = 500;

  private final Jpa jpa;
  private final DataSource dataSource;
  private final Clock clock;

  Tenants(Jpa jpa, DataSource dataSource, Clock clock) {
    this.jpa = jpa;
    this.dataSource = dataSource;
    this.clock = clock;
  }

  Tenant create(String id, String name) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("tenant id must match [a-z0-9][a-z0-9_-]{0,63}");
    }
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("tenant name must not be blank");
    }
    try {
      return jpa.inTransaction(
          "create tenant",
          em -> {
            if (em.find(TenantEntity.class, id) != null) {
              throw new IllegalStateException("tenant '" + id + "' exists");
            }
            TenantEntity t = new TenantEntity();
            t.id = id;
            t.name = name;
            t.createdAt = utc(clock.instant());
            em.persist(t);
            em.flush();
            return new Tenant(id, name);
          });
    } catch (StoreException e) {
      if (Jdbc.isUniqueViolation(e)) {
        throw new IllegalStateException("tenant '" + id + "' exists", e);
      }
      throw e;
    }
  }

  Optional<Tenant> find(String id) {
    return jpa.read(
        "find tenant",
        em ->
            Optional.ofNullable(em.find(TenantEntity.class, id))
                .map(t -> new Tenant(t.id, t.name)));
  }

  boolean delete(String id) {
    while (deleteEvents(
            "SELECT id FROM events WHERE tenant_id = ? LIMIT ?",
            ps -> {
              ps.setString(1, id);
              ps.setInt(2, DELETE_BATCH);
            },
            false)
        > 0) {
      // One transaction per batch keeps locks and undo small on a large tenant.
    }
    return Jdbc.inTransaction(
        dataSource,
        "delete tenant",
        c -> {
          // Deliveries of other tenants' events cannot point here; only endpoint-side rows remain.
          update(
              c,
              "DELETE FROM circuit_states WHERE endpoint_id IN"
                  + " (SELECT id FROM endpoints WHERE tenant_id = ?)",
              id);
          update(c, "DELETE FROM endpoints WHERE tenant_id = ?", id);
          update(c, "DELETE FROM api_keys WHERE tenant_id = ?", id);
          update(c, "DELETE FROM subject_sequences WHERE tenant_id = ?", id);
          return update(c, "DELETE FROM tenants WHERE id = ?", id) == 1;
        });
  }

  int purgeEventsOlderThan(Instant cutoff, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, was " + batchSize);
    }
    int total = 0;
    while (true) {
      int n =
          deleteEvents(
              "SELECT e.id FROM events e WHERE e.created_at < ? AND NOT EXISTS"
                  + " (SELECT 1 FROM deliveries d WHERE d.event_id = e.id"
                  + " AND d.status IN ('pending', 'in_flight')) ORDER BY e.created_at LIMIT ?",
              ps -> {
                setTime(ps, 1, utc(cutoff));
                ps.setInt(2, batchSize);
              },
              true);
      if (n == 0) {
        return total;
      }
      total += n;
    }
  }

  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  /**
   * Deletes one batch of events chosen by {@code select} with their attempts and deliveries. With
   * {@code onlyFinished}, a delivery that became unfinished meanwhile (a redrive) is kept, and so
   * is its event.
   */
  private int deleteEvents(String select, Binder binder, boolean onlyFinished) {
    String finished = onlyFinished ? " AND status IN ('succeeded', 'dead')" : "";
    return Jdbc.inTransaction(
        dataSource,
        "delete events",
        c -> {
          List<String> ids = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(select)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                ids.add(rs.getString(1));
              }
            }
          }
          if (ids.isEmpty()) {
            return 0;
          }
          int deleted = 0;
          for (List<String> chunk : Jdbc.chunks(ids, DELETE_BATCH)) {
            String in = "(" + placeholders(chunk.size()) + ")";
            updateIn(
                c,
                "DELETE FROM attempts WHERE delivery_id IN (SELECT id FROM deliveries"
                    + " WHERE event_id IN "
                    + in
                    + finished
                    + ")",
                chunk);
            updateIn(c, "DELETE FROM deliveries WHERE event_id IN " + in + finished, chunk);
            deleted +=
                updateIn(
                    c,
                    "DELETE FROM events WHERE id IN "
                        + in
                        + " AND NOT EXISTS (SELECT 1 FROM deliveries d"
                        + " WHERE d.event_id = events.id)",
                    chunk);
          }
          return deleted;
        });
  }

  private static int update(Connection c, String sql, String param) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, param);
      return ps.executeUpdate();
    }
  }

  private static int updateIn(Connection c, String sql, List<String> params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      for (String p : params) {
        ps.setString(i++, p);
      }
      return ps.executeUpdate();
    }
  }
}
