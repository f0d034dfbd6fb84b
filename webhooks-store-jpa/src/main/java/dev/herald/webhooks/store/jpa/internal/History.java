package dev.herald.webhooks.store.jpa.internal;

import static dev.herald.webhooks.store.jpa.internal.Jdbc.instant;

import dev.herald.webhooks.spi.AttemptRecord;
import dev.herald.webhooks.spi.DeliveryStatus;
import dev.herald.webhooks.spi.DeliveryTarget;
import dev.herald.webhooks.spi.DeliveryView;
import dev.herald.webhooks.spi.Insights.DeliveryFilter;
import dev.herald.webhooks.spi.MigrationReport;
import dev.herald.webhooks.spi.Page;
import jakarta.persistence.TypedQuery;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Delivery history through JPA queries, always scoped by tenant. */
final class History {
  /**
   * Per event routed to both sides: its endpoint deliveries, how many succeeded, and its Redis
   * delivery's state (the highest-ranked if there were several).
   */
  private static final String PARITY =
      "SELECT e.id, e.type, e.tenant_id, e.created_at,"
          + " SUM(CASE WHEN d.endpoint_id IS NOT NULL THEN 1 ELSE 0 END) AS hooks,"
          + " SUM(CASE WHEN d.endpoint_id IS NOT NULL AND d.status = 'succeeded' THEN 1 ELSE 0"
          + " END) AS hooks_ok,"
          + " SUM(CASE WHEN d.endpoint_id IS NULL AND d.transport = 'redis' THEN 1 ELSE 0 END)"
          + " AS redis,"
          + " MAX(CASE WHEN d.endpoint_id IS NULL AND d.transport = 'redis' THEN"
          + " (CASE d.status WHEN 'succeeded' THEN 4 WHEN 'in_flight' THEN 3 WHEN 'pending' THEN 2"
          + " ELSE 1 END) ELSE 0 END) AS redis_rank"
          + " FROM events e JOIN deliveries d ON d.event_id = e.id"
          + " WHERE e.created_at >= ? AND e.created_at < ? AND (? IS NULL OR e.tenant_id = ?)"
          + " GROUP BY e.id, e.type, e.tenant_id, e.created_at";

  private final Jpa jpa;
  private final DataSource dataSource;

  History(Jpa jpa, DataSource dataSource) {
    this.jpa = jpa;
    this.dataSource = dataSource;
  }

  MigrationReport migrationReport(String tenantId, Instant from, Instant to, int mismatchLimit) {
    String both = "p.hooks_ok = p.hooks AND p.redis_rank = 4";
    String webhookOnly = "p.hooks_ok = p.hooks AND p.redis_rank < 4";
    String redisOnly = "p.hooks_ok < p.hooks AND p.redis_rank = 4";
    String dual = "FROM (" + PARITY + ") p WHERE p.hooks > 0 AND p.redis > 0";
    return Jdbc.autoCommit(
        dataSource,
        "migration report",
        c -> {
          long[] counts = new long[5];
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT COUNT(*),"
                      + (" SUM(CASE WHEN " + both + " THEN 1 ELSE 0 END),")
                      + (" SUM(CASE WHEN " + webhookOnly + " THEN 1 ELSE 0 END),")
                      + (" SUM(CASE WHEN " + redisOnly + " THEN 1 ELSE 0 END) ")
                      + dual)) {
            bindRange(ps, tenantId, from, to);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              for (int i = 0; i < 4; i++) {
                counts[i] = rs.getLong(i + 1);
              }
            }
          }
          counts[4] = counts[0] - counts[1] - counts[2] - counts[3];
          List<MigrationReport.EventParity> mismatches = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT p.id, p.type, p.tenant_id, p.created_at, p.hooks, p.hooks_ok,"
                      + " p.redis_rank "
                      + dual
                      + " AND NOT ("
                      + both
                      + ") ORDER BY p.created_at DESC, p.id DESC LIMIT ?")) {
            bindRange(ps, tenantId, from, to);
            ps.setInt(5, mismatchLimit);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                mismatches.add(
                    new MigrationReport.EventParity(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        instant(rs.getObject(4, OffsetDateTime.class)),
                        rs.getInt(5),
                        rs.getInt(6),
                        REDIS_STATUS_BY_RANK[rs.getInt(7)]));
              }
            }
          }
          return new MigrationReport(
              from, to, counts[0], counts[1], counts[2], counts[3], counts[4], mismatches);
        });
  }

  private static final DeliveryStatus[] REDIS_STATUS_BY_RANK = {
    null,
    DeliveryStatus.DEAD,
    DeliveryStatus.PENDING,
    DeliveryStatus.IN_FLIGHT,
    DeliveryStatus.SUCCEEDED
  };

  private static void bindRange(PreparedStatement ps, String tenantId, Instant from, Instant to)
      throws SQLException {
    Jdbc.setTime(ps, 1, Jdbc.utc(from));
    Jdbc.setTime(ps, 2, Jdbc.utc(to));
    ps.setString(3, tenantId);
    ps.setString(4, tenantId);
  }

  Optional<byte[]> eventEnvelope(String tenantId, String eventId) {
    return jpa.read(
        "event",
        em ->
            em
                .createQuery(
                    "SELECT e.body FROM EventEntity e WHERE e.id = :id AND e.tenantId = :t",
                    byte[].class)
                .setParameter("id", eventId)
                .setParameter("t", tenantId)
                .getResultList()
                .stream()
                .findFirst());
  }

  Optional<List<DeliveryView>> deliveriesOfEvent(String tenantId, String eventId) {
    return jpa.read(
        "deliveries of event",
        em -> {
          long events =
              em.createQuery(
                      "SELECT COUNT(e) FROM EventEntity e WHERE e.id = :id AND e.tenantId = :t",
                      Long.class)
                  .setParameter("id", eventId)
                  .setParameter("t", tenantId)
                  .getSingleResult();
          if (events == 0) {
            return Optional.empty();
          }
          List<Object[]> rows =
              em.createQuery(
                      "SELECT d, e.type FROM DeliveryEntity d, EventEntity e"
                          + " WHERE e.id = d.eventId AND e.id = :id AND d.tenantId = :t"
                          + " ORDER BY d.id",
                      Object[].class)
                  .setParameter("id", eventId)
                  .setParameter("t", tenantId)
                  .getResultList();
          return Optional.of(rows.stream().map(History::view).toList());
        });
  }

  /** The tenant's deliveries (of one endpoint, or all when {@code endpointId} is null). */
  Page<DeliveryView> deliveriesOfEndpoint(
      String tenantId, String endpointId, DeliveryStatus status, String cursor, int limit) {
    return deliveries(
        tenantId, endpointId, new DeliveryFilter(status, null, null, null), cursor, limit);
  }

  /** The tenant's deliveries matching {@code filter}, newest first. */
  Page<DeliveryView> deliveries(
      String tenantId, String endpointId, DeliveryFilter filter, String cursor, int limit) {
    DeliveryStatus status = filter.status();
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, was " + limit);
    }
    Cursor after = cursor == null ? null : Cursor.decode(cursor);
    List<Object[]> rows =
        jpa.read(
            "deliveries of endpoint",
            em -> {
              TypedQuery<Object[]> q =
                  em.createQuery(
                      "SELECT d, e.type FROM DeliveryEntity d, EventEntity e"
                          + " WHERE e.id = d.eventId AND d.tenantId = :t"
                          + (endpointId == null ? "" : " AND d.endpointId = :ep")
                          + (status == null ? "" : " AND d.status = :s")
                          + (filter.eventType() == null ? "" : " AND e.type = :type")
                          + (filter.from() == null ? "" : " AND d.createdAt >= :from")
                          + (filter.to() == null ? "" : " AND d.createdAt < :to")
                          + (after == null
                              ? ""
                              : " AND (d.createdAt < :c OR (d.createdAt = :c AND d.id < :id))")
                          + " ORDER BY d.createdAt DESC, d.id DESC",
                      Object[].class);
              q.setParameter("t", tenantId);
              if (endpointId != null) {
                q.setParameter("ep", endpointId);
              }
              if (status != null) {
                q.setParameter("s", status.wireName());
              }
              if (filter.eventType() != null) {
                q.setParameter("type", filter.eventType());
              }
              if (filter.from() != null) {
                q.setParameter("from", Jdbc.utc(filter.from()));
              }
              if (filter.to() != null) {
                q.setParameter("to", Jdbc.utc(filter.to()));
              }
              if (after != null) {
                q.setParameter("c", after.createdAt()).setParameter("id", after.id());
              }
              return q.setMaxResults(limit + 1).getResultList();
            });
    List<DeliveryView> items = new ArrayList<>();
    for (int i = 0; i < Math.min(limit, rows.size()); i++) {
      items.add(view(rows.get(i)));
    }
    String next = null;
    if (rows.size() > limit) {
      DeliveryEntity last = (DeliveryEntity) rows.get(limit - 1)[0];
      next = new Cursor(last.createdAt, last.id).encode();
    }
    return new Page<>(items, next);
  }

  Optional<List<AttemptRecord>> attempts(String tenantId, String endpointId, String deliveryId) {
    return jpa.read(
        "attempts",
        em -> {
          DeliveryEntity delivery = em.find(DeliveryEntity.class, deliveryId);
          if (delivery == null
              || !delivery.tenantId.equals(tenantId)
              || (endpointId != null && !endpointId.equals(delivery.endpointId))) {
            return Optional.empty();
          }
          return Optional.of(
              em
                  .createQuery(
                      "SELECT a FROM AttemptEntity a WHERE a.deliveryId = :id ORDER BY a.number",
                      AttemptEntity.class)
                  .setParameter("id", deliveryId)
                  .getResultList()
                  .stream()
                  .map(History::attempt)
                  .toList());
        });
  }

  static AttemptRecord attempt(AttemptEntity a) {
    return new AttemptRecord(
        a.number,
        instant(a.startedAt),
        Duration.ofMillis(a.durationMs),
        a.statusCode,
        a.responseExcerpt,
        a.errorType,
        a.errorMessage);
  }

  private static DeliveryView view(Object[] row) {
    return view((DeliveryEntity) row[0], (String) row[1]);
  }

  static DeliveryView view(DeliveryEntity d, String eventType) {
    DeliveryStatus status = DeliveryStatus.fromWireName(d.status);
    boolean finished = status == DeliveryStatus.SUCCEEDED || status == DeliveryStatus.DEAD;
    return new DeliveryView(
        d.id,
        d.eventId,
        eventType,
        new DeliveryTarget(d.transport, d.endpointId),
        status,
        d.attempts,
        d.lastStatusCode,
        d.lastError,
        d.deadReason,
        finished ? null : instant(d.nextAttemptAt),
        instant(d.createdAt),
        instant(d.updatedAt));
  }
}
