package dev.herald.webhooks.store.jpa.internal;

import static dev.herald.webhooks.store.jpa.internal.Jdbc.bind;
import static dev.herald.webhooks.store.jpa.internal.Jdbc.placeholders;
import static dev.herald.webhooks.store.jpa.internal.Jdbc.setTime;
import static dev.herald.webhooks.store.jpa.internal.Jdbc.utc;

import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Ordered delivery per subject (DESIGN 16, {@code ordering: "subject"}), kept as a chain in the
 * deliveries themselves. A delivery to an ordered endpoint carries its event's subject ({@code
 * order_key}) and {@code sequence}. Of a chain's unfinished deliveries exactly one is released (has
 * a {@code next_attempt_at}: it is due, retrying or in flight); the others are held ({@code
 * next_attempt_at} null), so claims never read them and a long backlog costs a claim nothing. When
 * the released one finishes (succeeded or dead) the held one with the lowest sequence is released.
 *
 * <p>Everything that releases takes the lock of the subject's row in {@code subject_sequences},
 * which a publish holds from reserving its sequences to its commit: a delivery published while its
 * predecessor finishes is either seen by the finishing transaction or sees it finished, never
 * neither.
 */
final class OrderedDeliveries {
  private static final int IN_LIST = 500;

  private OrderedDeliveries() {}

  /** One chain: an endpoint's deliveries of one subject. */
  record Chain(String tenantId, String subject, String endpointId) implements Comparable<Chain> {
    @Override
    public int compareTo(Chain o) {
      int c = endpointId.compareTo(o.endpointId);
      return c != 0 ? c : subject.compareTo(o.subject);
    }
  }

  /**
   * Releases the lowest held delivery of each chain that has none released. Locks the chains'
   * subjects first unless the caller holds them.
   */
  static void releaseHeads(
      Connection c,
      Dialect dialect,
      Collection<Chain> chains,
      OffsetDateTime now,
      boolean lockSubjects)
      throws SQLException {
    if (chains.isEmpty()) {
      return;
    }
    if (lockSubjects) {
      lockSubjects(c, chains);
    }
    TreeSet<Chain> sorted = new TreeSet<>(chains);
    if (dialect == Dialect.POSTGRES) {
      // One statement for every chain: a hundred single-chain updates cost a record most of its
      // time.
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE deliveries d SET next_attempt_at = ?, updated_at = ? FROM (SELECT (SELECT"
                  + " h.id FROM deliveries h WHERE h.endpoint_id = k.e AND h.order_key = k.s"
                  + " AND h.status = 'pending' AND h.next_attempt_at IS NULL"
                  + " ORDER BY h.sequence LIMIT 1) AS id"
                  + " FROM unnest(?::varchar[], ?::varchar[]) AS k(e, s)"
                  + " WHERE NOT EXISTS (SELECT 1 FROM deliveries r WHERE r.endpoint_id = k.e"
                  + " AND r.order_key = k.s AND r.status IN ('pending', 'in_flight')"
                  + " AND r.next_attempt_at IS NOT NULL)) n WHERE d.id = n.id")) {
        setTime(ps, 1, now);
        setTime(ps, 2, now);
        ps.setArray(
            3, c.createArrayOf("varchar", sorted.stream().map(Chain::endpointId).toArray()));
        ps.setArray(4, c.createArrayOf("varchar", sorted.stream().map(Chain::subject).toArray()));
        ps.executeUpdate();
      }
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE deliveries SET next_attempt_at = ?, updated_at = ? WHERE id = (SELECT h.id"
                + " FROM deliveries h WHERE h.endpoint_id = ? AND h.order_key = ?"
                + " AND h.status = 'pending' AND h.next_attempt_at IS NULL"
                + " ORDER BY h.sequence LIMIT 1)"
                + " AND NOT EXISTS (SELECT 1 FROM deliveries r WHERE r.endpoint_id = ?"
                + " AND r.order_key = ? AND r.status IN ('pending', 'in_flight')"
                + " AND r.next_attempt_at IS NOT NULL)")) {
      for (Chain chain : sorted) {
        setTime(ps, 1, now);
        setTime(ps, 2, now);
        ps.setString(3, chain.endpointId());
        ps.setString(4, chain.subject());
        ps.setString(5, chain.endpointId());
        ps.setString(6, chain.subject());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Locks the subjects' sequence rows, in the database's order as a publish does. */
  static void lockSubjects(Connection c, Collection<Chain> chains) throws SQLException {
    Map<String, TreeSet<String>> byTenant = new TreeMap<>();
    for (Chain chain : chains) {
      byTenant.computeIfAbsent(chain.tenantId(), t -> new TreeSet<>()).add(chain.subject());
    }
    for (Map.Entry<String, TreeSet<String>> tenant : byTenant.entrySet()) {
      for (List<String> chunk : Jdbc.chunks(new ArrayList<>(tenant.getValue()), IN_LIST)) {
        try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT subject FROM subject_sequences WHERE tenant_id = ? AND subject IN ("
                    + placeholders(chunk.size())
                    + ") ORDER BY tenant_id, subject FOR UPDATE")) {
          ps.setString(1, tenant.getKey());
          bind(ps, 2, chunk);
          ps.executeQuery().close();
        }
      }
    }
  }

  /**
   * An endpoint leaves ordered delivery: its held deliveries are released at once and none of its
   * deliveries belongs to a chain any more.
   */
  static void releaseAll(EntityManager em, String endpointId, Instant now) {
    em.createNativeQuery(
            "UPDATE deliveries SET order_key = NULL,"
                + " next_attempt_at = COALESCE(next_attempt_at, ?1), updated_at = ?1"
                + " WHERE endpoint_id = ?2 AND order_key IS NOT NULL"
                + " AND status IN ('pending', 'in_flight')")
        .setParameter(1, utc(now))
        .setParameter(2, endpointId)
        .executeUpdate();
  }
}
