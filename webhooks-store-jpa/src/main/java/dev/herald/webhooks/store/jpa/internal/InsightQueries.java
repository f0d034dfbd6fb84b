package dev.herald.webhooks.store.jpa.internal;

import static dev.herald.webhooks.store.jpa.internal.Jdbc.instant;
import static dev.herald.webhooks.store.jpa.internal.Jdbc.setTime;
import static dev.herald.webhooks.store.jpa.internal.Jdbc.utc;

import dev.herald.webhooks.spi.CircuitState;
import dev.herald.webhooks.spi.Insights.CircuitView;
import dev.herald.webhooks.spi.Insights.Minute;
import dev.herald.webhooks.spi.Insights.TenantSummary;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/** The read-only queries behind the admin UI's charts and overviews, in plain SQL. */
final class InsightQueries {
  /** A series looks at the most recent attempts of the window, at most this many. */
  private static final int SERIES_SAMPLE = 100_000;

  private static final int MAX_CIRCUITS = 500;

  private final DataSource dataSource;

  InsightQueries(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  List<Minute> attemptsPerMinute(String tenantId, String endpointId, Instant from, Instant to) {
    return Jdbc.autoCommit(
        dataSource,
        "attempts per minute",
        c -> {
          Map<Instant, List<Long>> durations = new TreeMap<>();
          Map<Instant, long[]> outcomes = new TreeMap<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT a.started_at, a.duration_ms, a.error_type FROM attempts a"
                      + " JOIN deliveries d ON d.id = a.delivery_id"
                      + " WHERE d.tenant_id = ? AND (? IS NULL OR d.endpoint_id = ?)"
                      + " AND a.started_at >= ? AND a.started_at < ?"
                      + " ORDER BY a.started_at DESC LIMIT "
                      + SERIES_SAMPLE)) {
            ps.setString(1, tenantId);
            ps.setString(2, endpointId);
            ps.setString(3, endpointId);
            setTime(ps, 4, utc(from));
            setTime(ps, 5, utc(to));
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                Instant minute =
                    rs.getObject(1, OffsetDateTime.class)
                        .toInstant()
                        .truncatedTo(ChronoUnit.MINUTES);
                // The same success rule as the endpoint statistics: no error recorded.
                outcomes
                    .computeIfAbsent(minute, m -> new long[2])[rs.getString(3) == null ? 0 : 1]++;
                durations.computeIfAbsent(minute, m -> new ArrayList<>()).add(rs.getLong(2));
              }
            }
          }
          List<Minute> minutes = new ArrayList<>();
          for (Map.Entry<Instant, long[]> entry : outcomes.entrySet()) {
            long[] sorted =
                durations.get(entry.getKey()).stream()
                    .mapToLong(Long::longValue)
                    .sorted()
                    .toArray();
            minutes.add(
                new Minute(
                    entry.getKey(),
                    entry.getValue()[0],
                    entry.getValue()[1],
                    Operations.percentile(sorted, 0.50),
                    Operations.percentile(sorted, 0.95),
                    Operations.percentile(sorted, 0.99)));
          }
          return minutes;
        });
  }

  List<TenantSummary> tenants() {
    return Jdbc.autoCommit(
        dataSource,
        "tenant summaries",
        c -> {
          List<TenantSummary> tenants = new ArrayList<>();
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT t.id, t.name, t.created_at,"
                          + " (SELECT COUNT(*) FROM endpoints e WHERE e.tenant_id = t.id),"
                          + " (SELECT COUNT(*) FROM deliveries d WHERE d.tenant_id = t.id"
                          + " AND d.status IN ('pending', 'in_flight')),"
                          + " (SELECT COUNT(*) FROM deliveries d WHERE d.tenant_id = t.id"
                          + " AND d.status = 'dead')"
                          + " FROM tenants t WHERE t.deleted_at IS NULL ORDER BY t.id");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              tenants.add(
                  new TenantSummary(
                      rs.getString(1),
                      rs.getString(2),
                      instant(rs.getObject(3, OffsetDateTime.class)),
                      rs.getLong(4),
                      rs.getLong(5),
                      rs.getLong(6)));
            }
          }
          return tenants;
        });
  }

  List<CircuitView> unhealthyCircuits(String tenantId) {
    return Jdbc.autoCommit(
        dataSource,
        "unhealthy circuits",
        c -> {
          List<CircuitView> circuits = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT e.tenant_id, e.id, e.url, e.active, c.status, c.consecutive_failures,"
                      + " c.opened_at FROM circuit_states c JOIN endpoints e ON e.id ="
                      + " c.endpoint_id WHERE (c.status <> 'CLOSED' OR c.consecutive_failures > 0)"
                      + " AND (? IS NULL OR e.tenant_id = ?) ORDER BY e.tenant_id, e.id LIMIT "
                      + MAX_CIRCUITS)) {
            ps.setString(1, tenantId);
            ps.setString(2, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                CircuitState.Status status = CircuitState.Status.valueOf(rs.getString(5));
                Instant openedAt = instant(rs.getObject(7, OffsetDateTime.class));
                circuits.add(
                    new CircuitView(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getBoolean(4),
                        new CircuitState(status, rs.getInt(6), openedAt)));
              }
            }
          }
          return circuits;
        });
  }
}
