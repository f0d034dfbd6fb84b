package dev.herald.webhooks.store.jpa.internal;

import static dev.herald.webhooks.store.jpa.internal.Jdbc.placeholders;
import static dev.herald.webhooks.store.jpa.internal.Jdbc.setTime;
import static dev.herald.webhooks.store.jpa.internal.Jdbc.utc;

import dev.herald.webhooks.core.migration.MigrationPhases;
import dev.herald.webhooks.spi.DeliveryView;
import dev.herald.webhooks.spi.Endpoint;
import dev.herald.webhooks.spi.Page;
import dev.herald.webhooks.spi.TenantStore.ExportSink;
import dev.herald.webhooks.spi.TenantStore.ExportedEvent;
import dev.herald.webhooks.spi.TenantStore.Purged;
import dev.herald.webhooks.spi.TenantStore.Tenant;
import dev.herald.webhooks.store.jpa.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Tenants (JPA) and the lifecycle of their data: deletion (marked at once, erased in batches),
 * export in pages, the retention purge, and the leases of jobs that one process runs for all. Every
 * batch is its own transaction, which keeps locks and undo small on a large tenant.
 */
final class Tenants {
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
  private static final int IN_LIST = 500;
  private static final int EXPORT_PAGE = 200;

  private final Jpa jpa;
  private final DataSource dataSource;
  private final Clock clock;
  private final EndpointPages endpoints;

  /** One page of a tenant's endpoints, secrets decrypted. */
  interface EndpointPages {
    Page<Endpoint> page(String tenantId, String cursor, int limit);
  }

  Tenants(Jpa jpa, DataSource dataSource, Clock clock, EndpointPages endpoints) {
    this.jpa = jpa;
    this.dataSource = dataSource;
    this.clock = clock;
    this.endpoints = endpoints;
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
            TenantEntity existing = em.find(TenantEntity.class, id);
            if (existing != null) {
              throw new IllegalStateException(
                  existing.deletedAt == null
                      ? "tenant '" + id + "' exists"
                      : "tenant '" + id + "' was deleted and is still being erased");
            }
            TenantEntity t = new TenantEntity();
            t.id = id;
            t.name = name;
            t.createdAt = utc(clock.instant());
            em.persist(t);
            em.flush();
            return new Tenant(id, name, Jdbc.instant(t.createdAt));
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
                .filter(t -> t.deletedAt == null)
                .map(t -> new Tenant(t.id, t.name, Jdbc.instant(t.createdAt))));
  }

  /**
   * Marks the tenant deleted, removes its keys and portal links and deactivates its endpoints, in
   * one transaction.
   */
  boolean delete(String id) {
    return Jdbc.inTransaction(
        dataSource,
        "delete tenant",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE tenants SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL")) {
            setTime(ps, 1, utc(clock.instant()));
            ps.setString(2, id);
            if (ps.executeUpdate() == 0) {
              return false;
            }
          }
          update(c, "DELETE FROM api_keys WHERE tenant_id = ?", id);
          update(c, "DELETE FROM portal_links WHERE tenant_id = ?", id);
          update(
              c,
              "UPDATE endpoints SET active = FALSE, disabled_reason = 'tenant deleted'"
                  + " WHERE tenant_id = ?",
              id);
          return true;
        });
  }

  List<String> deleted() {
    return Jdbc.autoCommit(
        dataSource,
        "deleted tenants",
        c -> {
          List<String> ids = new ArrayList<>();
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT id FROM tenants WHERE deleted_at IS NOT NULL ORDER BY deleted_at");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              ids.add(rs.getString(1));
            }
          }
          return ids;
        });
  }

  Purged erase(String id, int batchSize) {
    requirePositive(batchSize);
    if (!isDeleted(id)) {
      return Purged.NONE;
    }
    Purged total = Purged.NONE;
    while (true) {
      Purged batch =
          deleteEvents(
              "SELECT id FROM events WHERE tenant_id = ? ORDER BY id LIMIT ?",
              ps -> {
                ps.setString(1, id);
                ps.setInt(2, batchSize);
              },
              false);
      if (batch.events() == 0) {
        break;
      }
      total = total.plus(batch);
    }
    Purged events = total;
    return Jdbc.inTransaction(
        dataSource,
        "erase tenant",
        c -> {
          // Deliveries without an event of the tenant cannot exist; only endpoint-side rows remain.
          String ofEndpoints =
              " WHERE endpoint_id IN (SELECT id FROM endpoints WHERE tenant_id = ?)";
          update(c, "DELETE FROM circuit_states" + ofEndpoints, id);
          update(c, "DELETE FROM endpoint_slots" + ofEndpoints, id);
          update(c, "DELETE FROM endpoints WHERE tenant_id = ?", id);
          update(c, "DELETE FROM api_keys WHERE tenant_id = ?", id);
          update(c, "DELETE FROM portal_links WHERE tenant_id = ?", id);
          update(c, "DELETE FROM subject_sequences WHERE tenant_id = ?", id);
          update(c, "DELETE FROM settings WHERE name = ?", MigrationPhases.TENANT_PREFIX + id);
          update(c, "DELETE FROM tenants WHERE id = ? AND deleted_at IS NOT NULL", id);
          return events;
        });
  }

  private boolean isDeleted(String id) {
    return jpa.read(
        "find tenant",
        em -> {
          TenantEntity t = em.find(TenantEntity.class, id);
          return t != null && t.deletedAt != null;
        });
  }

  Purged purgeEventsOlderThan(Instant cutoff, int batchSize) {
    requirePositive(batchSize);
    Purged total = Purged.NONE;
    while (true) {
      Purged batch =
          deleteEvents(
              "SELECT e.id FROM events e WHERE e.created_at < ? AND NOT EXISTS"
                  + " (SELECT 1 FROM deliveries d WHERE d.event_id = e.id"
                  + " AND d.status IN ('pending', 'in_flight')) ORDER BY e.created_at LIMIT ?",
              ps -> {
                setTime(ps, 1, utc(cutoff));
                ps.setInt(2, batchSize);
              },
              true);
      if (batch.events() == 0) {
        return total;
      }
      total = total.plus(batch);
    }
  }

  private static void requirePositive(int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, was " + batchSize);
    }
  }

  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  /**
   * Deletes one batch of events chosen by {@code select} with their attempts and deliveries. The
   * deliveries are locked first, so that a worker recording an attempt meanwhile either finishes
   * before (its attempt is deleted too) or finds the delivery gone (its result is ignored). With
   * {@code onlyFinished}, a delivery that became unfinished meanwhile (a redrive) is kept, and so
   * is its event.
   */
  private Purged deleteEvents(String select, Binder binder, boolean onlyFinished) {
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
          long events = 0;
          long deliveries = 0;
          long attempts = 0;
          for (List<String> chunk : Jdbc.chunks(ids, IN_LIST)) {
            String in = "(" + placeholders(chunk.size()) + ")";
            List<String> doomed =
                selectIn(
                    c,
                    "SELECT id FROM deliveries WHERE event_id IN "
                        + in
                        + finished
                        + " ORDER BY id FOR UPDATE",
                    chunk);
            for (List<String> part : Jdbc.chunks(doomed, IN_LIST)) {
              String parts = "(" + placeholders(part.size()) + ")";
              attempts += updateIn(c, "DELETE FROM attempts WHERE delivery_id IN " + parts, part);
              deliveries += updateIn(c, "DELETE FROM deliveries WHERE id IN " + parts, part);
            }
            events +=
                updateIn(
                    c,
                    "DELETE FROM events WHERE id IN "
                        + in
                        + " AND NOT EXISTS (SELECT 1 FROM deliveries d"
                        + " WHERE d.event_id = events.id)",
                    chunk);
          }
          return new Purged(events, deliveries, attempts);
        });
  }

  boolean export(String id, ExportSink sink) {
    Optional<Tenant> tenant = find(id);
    if (tenant.isEmpty()) {
      return false;
    }
    sink.tenant(tenant.get());
    String cursor = null;
    do {
      Page<Endpoint> page = endpoints.page(id, cursor, EXPORT_PAGE);
      page.items().forEach(sink::endpoint);
      cursor = page.nextCursor();
    } while (cursor != null);
    Cursor after = null;
    while (true) {
      List<EventEntity> events = eventPage(id, after);
      if (events.isEmpty()) {
        return true;
      }
      exportPage(events, sink);
      EventEntity last = events.get(events.size() - 1);
      after = new Cursor(last.createdAt, last.id);
    }
  }

  private List<EventEntity> eventPage(String tenantId, Cursor after) {
    return jpa.read(
        "export events",
        em -> {
          var q =
              em.createQuery(
                  "SELECT e FROM EventEntity e WHERE e.tenantId = :t"
                      + (after == null
                          ? ""
                          : " AND (e.createdAt > :c OR (e.createdAt = :c AND e.id > :id))")
                      + " ORDER BY e.createdAt, e.id",
                  EventEntity.class);
          q.setParameter("t", tenantId);
          if (after != null) {
            q.setParameter("c", after.createdAt()).setParameter("id", after.id());
          }
          List<EventEntity> page = q.setMaxResults(EXPORT_PAGE).getResultList();
          page.forEach(e -> em.detach(e));
          return page;
        });
  }

  /** One page of events, each followed by its deliveries, each followed by its attempts. */
  private void exportPage(List<EventEntity> events, ExportSink sink) {
    List<String> eventIds = events.stream().map(e -> e.id).toList();
    Map<String, List<DeliveryEntity>> deliveries = new LinkedHashMap<>();
    Map<String, List<AttemptEntity>> attempts = new LinkedHashMap<>();
    jpa.read(
        "export deliveries",
        em -> {
          for (DeliveryEntity d :
              em.createQuery(
                      "SELECT d FROM DeliveryEntity d WHERE d.eventId IN :ids ORDER BY d.id",
                      DeliveryEntity.class)
                  .setParameter("ids", eventIds)
                  .getResultList()) {
            deliveries.computeIfAbsent(d.eventId, k -> new ArrayList<>()).add(d);
          }
          List<String> deliveryIds =
              deliveries.values().stream().flatMap(List::stream).map(d -> d.id).toList();
          for (List<String> chunk : Jdbc.chunks(deliveryIds, IN_LIST)) {
            for (AttemptEntity a :
                em.createQuery(
                        "SELECT a FROM AttemptEntity a WHERE a.deliveryId IN :ids"
                            + " ORDER BY a.deliveryId, a.number",
                        AttemptEntity.class)
                    .setParameter("ids", chunk)
                    .getResultList()) {
              attempts.computeIfAbsent(a.deliveryId, k -> new ArrayList<>()).add(a);
            }
          }
          return null;
        });
    for (EventEntity e : events) {
      sink.event(
          new ExportedEvent(
              e.id, e.type, e.subject, e.sequence, Jdbc.instant(e.createdAt), e.body));
      for (DeliveryEntity d : deliveries.getOrDefault(e.id, List.of())) {
        DeliveryView view = History.view(d, e.type);
        sink.delivery(view);
        for (AttemptEntity a : attempts.getOrDefault(d.id, List.of())) {
          sink.attempt(d.id, History.attempt(a));
        }
      }
    }
  }

  /**
   * Takes the job's lease when it is free or has run out: an update of the row when it exists, an
   * insert otherwise (of two processes inserting at once, one fails on the key).
   */
  boolean tryLease(String job, String holder, Duration duration) {
    Instant now = clock.instant();
    OffsetDateTime until = utc(now.plus(duration));
    try {
      return Jdbc.inTransaction(
          dataSource,
          "lease job",
          c -> {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "UPDATE job_leases SET holder = ?, held_until = ?"
                        + " WHERE name = ? AND held_until <= ?")) {
              ps.setString(1, holder);
              setTime(ps, 2, until);
              ps.setString(3, job);
              setTime(ps, 4, utc(now));
              if (ps.executeUpdate() == 1) {
                return true;
              }
            }
            try (PreparedStatement exists =
                c.prepareStatement("SELECT 1 FROM job_leases WHERE name = ?")) {
              exists.setString(1, job);
              try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                  return false;
                }
              }
            }
            try (PreparedStatement insert =
                c.prepareStatement(
                    "INSERT INTO job_leases (name, holder, held_until) VALUES (?, ?, ?)")) {
              insert.setString(1, job);
              insert.setString(2, holder);
              setTime(insert, 3, until);
              insert.executeUpdate();
              return true;
            }
          });
    } catch (StoreException e) {
      if (Jdbc.isUniqueViolation(e)) {
        return false;
      }
      throw e;
    }
  }

  private static int update(Connection c, String sql, String param) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, param);
      return ps.executeUpdate();
    }
  }

  private static int updateIn(Connection c, String sql, List<String> params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Jdbc.bind(ps, 1, params);
      return ps.executeUpdate();
    }
  }

  private static List<String> selectIn(Connection c, String sql, List<String> params)
      throws SQLException {
    List<String> ids = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Jdbc.bind(ps, 1, params);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    return ids;
  }
}
