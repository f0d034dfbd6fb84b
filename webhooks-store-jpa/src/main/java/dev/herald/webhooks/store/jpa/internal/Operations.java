package dev.herald.webhooks.store.jpa.internal;

import static dev.herald.webhooks.store.jpa.internal.Jdbc.setTime;
import static dev.herald.webhooks.store.jpa.internal.Jdbc.utc;

import dev.herald.webhooks.api.NewEvent;
import dev.herald.webhooks.core.filter.PayloadFilter;
import dev.herald.webhooks.core.ids.Ids;
import dev.herald.webhooks.core.json.JsonReader;
import dev.herald.webhooks.core.routing.SubscriptionFilter;
import dev.herald.webhooks.spi.CircuitState;
import dev.herald.webhooks.spi.DeliveryOperations.EndpointStats;
import dev.herald.webhooks.spi.DeliveryOperations.RedriveFilter;
import dev.herald.webhooks.spi.DeliveryStatus;
import dev.herald.webhooks.spi.Endpoint;
import dev.herald.webhooks.spi.Ordering;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** Retry, redrive, replay and statistics, in plain SQL on both databases. */
final class Operations {
  /** Statistics look at the most recent attempts of the window, at most this many. */
  private static final int STATS_SAMPLE = 100_000;

  private static final int REPLAY_PAGE = 1000;

  private final DataSource dataSource;
  private final Dialect dialect;
  private final Clock clock;
  private final WorkSignal signal;
  private final Ids ids;

  Operations(DataSource dataSource, Dialect dialect, Clock clock, WorkSignal signal) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.clock = clock;
    this.signal = signal;
    this.ids = new Ids(clock);
  }

  boolean retryNow(String tenantId, String deliveryId) {
    int changed =
        Jdbc.inTransaction(
            dataSource,
            "retry delivery",
            c ->
                sendAgain(
                    c,
                    " WHERE id = ? AND tenant_id = ? AND status IN ('pending', 'dead')",
                    List.of(deliveryId, tenantId)));
    signalIf(changed);
    return changed == 1;
  }

  /**
   * Makes the matching deliveries pending and due now, except those of ordered chains: these wait
   * in their chain, whose next delivery is released if none is (a chain's lowest sequence goes
   * first, so a redriven delivery is sent before those published after it).
   */
  private int sendAgain(Connection c, String where, List<Object> args) throws SQLException {
    OffsetDateTime now = utc(clock.instant());
    List<OrderedDeliveries.Chain> chains = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT DISTINCT tenant_id, order_key, endpoint_id FROM deliveries"
                + where
                + " AND order_key IS NOT NULL")) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          chains.add(
              new OrderedDeliveries.Chain(rs.getString(1), rs.getString(2), rs.getString(3)));
        }
      }
    }
    OrderedDeliveries.lockSubjects(c, chains);
    // Sent again on their own: their batches, if any, end (the other members go on their own too).
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE deliveries SET batch_id = NULL WHERE batch_id IN (SELECT batch_id FROM"
                + " deliveries"
                + where
                + " AND batch_id IS NOT NULL)")) {
      bind(ps, args);
      ps.executeUpdate();
    }
    int n;
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE deliveries SET status = 'pending', next_attempt_at = CASE WHEN order_key IS"
                + " NULL THEN CAST(? AS TIMESTAMP WITH TIME ZONE) END, dead_reason = NULL, updated_at = ?"
                + where)) {
      List<Object> all = new ArrayList<>(List.of(now, now));
      all.addAll(args);
      bind(ps, all);
      n = ps.executeUpdate();
    }
    OrderedDeliveries.releaseHeads(c, dialect, chains, now, false);
    return n;
  }

  int redrive(String tenantId, RedriveFilter filter) {
    int changed =
        Jdbc.inTransaction(
            dataSource,
            "redrive",
            c -> {
              StringBuilder where = new StringBuilder(" WHERE tenant_id = ? AND status = 'dead'");
              List<Object> args = new ArrayList<>(List.of(tenantId));
              if (filter.endpointId() != null) {
                where.append(" AND endpoint_id = ?");
                args.add(filter.endpointId());
              }
              if (filter.from() != null) {
                where.append(" AND created_at >= ?");
                args.add(utc(filter.from()));
              }
              if (filter.to() != null) {
                where.append(" AND created_at < ?");
                args.add(utc(filter.to()));
              }
              if (filter.eventType() != null) {
                where.append(
                    " AND event_id IN (SELECT id FROM events WHERE tenant_id = ? AND type = ?)");
                args.add(tenantId);
                args.add(filter.eventType());
              }
              return sendAgain(c, where.toString(), args);
            });
    signalIf(changed);
    return changed;
  }

  int replay(Endpoint endpoint, Instant since, int limit) {
    int created =
        Jdbc.inTransaction(
            dataSource,
            "replay",
            c -> {
              OffsetDateTime now = utc(clock.instant());
              int count = 0;
              OffsetDateTime afterTime = null;
              String afterId = null;
              boolean ordered = endpoint.ordering() == Ordering.SUBJECT;
              try (PreparedStatement insert =
                  c.prepareStatement(
                      "INSERT INTO deliveries (id, event_id, tenant_id, endpoint_id, transport,"
                          + " status, priority, attempts, next_attempt_at, created_at, updated_at,"
                          + " order_key, sequence)"
                          + " VALUES (?, ?, ?, ?, ?, 'pending', ?, 0, ?, ?, ?, ?, ?)")) {
                while (count < limit) {
                  List<Object[]> page =
                      eventsSince(c, endpoint.tenantId(), since, afterTime, afterId);
                  List<OrderedDeliveries.Chain> chains = new ArrayList<>();
                  for (Object[] event : page) {
                    afterTime = (OffsetDateTime) event[3];
                    afterId = (String) event[0];
                    if (count >= limit
                        || !SubscriptionFilter.anyMatches(endpoint.eventTypes(), (String) event[1])
                        || !filterAccepts(endpoint, (byte[]) event[6])) {
                      continue;
                    }
                    String orderKey = ordered ? (String) event[4] : null;
                    insert.setString(1, ids.next(Ids.DELIVERY));
                    insert.setString(2, (String) event[0]);
                    insert.setString(3, endpoint.tenantId());
                    insert.setString(4, endpoint.id());
                    insert.setString(5, endpoint.transport());
                    insert.setInt(6, (Integer) event[2]);
                    setTime(insert, 7, orderKey == null ? now : null);
                    setTime(insert, 8, (OffsetDateTime) event[3]);
                    setTime(insert, 9, now);
                    insert.setString(10, orderKey);
                    insert.setLong(11, (Long) event[5]);
                    insert.addBatch();
                    if (orderKey != null) {
                      chains.add(
                          new OrderedDeliveries.Chain(
                              endpoint.tenantId(), orderKey, endpoint.id()));
                    }
                    count++;
                  }
                  // Locked before the rows exist, as a publish does, so that no finishing
                  // delivery of these chains misses them.
                  OrderedDeliveries.lockSubjects(c, chains);
                  insert.executeBatch();
                  OrderedDeliveries.releaseHeads(c, dialect, chains, now, false);
                  if (page.size() < REPLAY_PAGE) {
                    break;
                  }
                }
              }
              return count;
            });
    signalIf(created);
    return created;
  }

  /** Whether the endpoint's payload filter, if any, accepts the stored envelope, as at routing. */
  private static boolean filterAccepts(Endpoint endpoint, byte[] envelope) {
    if (endpoint.filter() == null) {
      return true;
    }
    Map<String, Object> e = JsonReader.readObject(new String(envelope, StandardCharsets.UTF_8));
    @SuppressWarnings("unchecked")
    Map<String, Object> data = (Map<String, Object>) e.get("data");
    @SuppressWarnings("unchecked")
    Map<String, Object> metadata = (Map<String, Object>) e.get("metadata");
    NewEvent event =
        NewEvent.of((String) e.get("tenant_id"), (String) e.get("type"), data)
            .withSubject((String) e.get("subject"))
            .withMetadata(metadata == null ? Map.of() : metadata);
    return PayloadFilter.matches(endpoint.filter(), event);
  }

  private List<Object[]> eventsSince(
      Connection c, String tenantId, Instant since, OffsetDateTime afterTime, String afterId)
      throws SQLException {
    String sql =
        "SELECT id, type, priority, created_at, subject, sequence, body FROM events"
            + " WHERE tenant_id = ? AND created_at >= ?"
            + (afterTime == null ? "" : " AND (created_at > ? OR (created_at = ? AND id > ?))")
            + " ORDER BY created_at, id LIMIT "
            + REPLAY_PAGE;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, tenantId);
      setTime(ps, 2, utc(since));
      if (afterTime != null) {
        setTime(ps, 3, afterTime);
        setTime(ps, 4, afterTime);
        ps.setString(5, afterId);
      }
      List<Object[]> rows = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(
              new Object[] {
                rs.getString(1),
                rs.getString(2),
                rs.getInt(3),
                rs.getObject(4, OffsetDateTime.class),
                rs.getString(5),
                rs.getLong(6),
                rs.getBytes(7)
              });
        }
      }
      return rows;
    }
  }

  EndpointStats stats(String tenantId, String endpointId, Instant from, Instant to) {
    return Jdbc.autoCommit(
        dataSource,
        "endpoint stats",
        c -> {
          Map<DeliveryStatus, Long> byStatus = new EnumMap<>(DeliveryStatus.class);
          for (DeliveryStatus status : DeliveryStatus.values()) {
            byStatus.put(status, 0L);
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT status, COUNT(*) FROM deliveries WHERE tenant_id = ? AND endpoint_id = ?"
                      + " AND created_at >= ? AND created_at < ? GROUP BY status")) {
            ps.setString(1, tenantId);
            ps.setString(2, endpointId);
            setTime(ps, 3, utc(from));
            setTime(ps, 4, utc(to));
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                byStatus.put(DeliveryStatus.fromWireName(rs.getString(1)), rs.getLong(2));
              }
            }
          }
          long attempts = 0;
          long successes = 0;
          long[] durations = new long[16];
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT a.duration_ms, a.error_type FROM attempts a"
                      + " JOIN deliveries d ON d.id = a.delivery_id"
                      + " WHERE d.tenant_id = ? AND d.endpoint_id = ? AND a.started_at >= ?"
                      + " AND a.started_at < ? ORDER BY a.started_at DESC LIMIT "
                      + STATS_SAMPLE)) {
            ps.setString(1, tenantId);
            ps.setString(2, endpointId);
            setTime(ps, 3, utc(from));
            setTime(ps, 4, utc(to));
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                if (attempts == durations.length) {
                  durations = Arrays.copyOf(durations, durations.length * 2);
                }
                durations[(int) attempts++] = rs.getLong(1);
                if (rs.getString(2) == null) {
                  successes++;
                }
              }
            }
          }
          long[] sorted = Arrays.copyOf(durations, (int) attempts);
          Arrays.sort(sorted);
          return new EndpointStats(
              byStatus,
              attempts,
              successes,
              percentile(sorted, 0.50),
              percentile(sorted, 0.95),
              percentile(sorted, 0.99));
        });
  }

  /** Nearest-rank percentile. */
  static Long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return null;
    }
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  List<Long> queueDepthByPriority() {
    return Jdbc.autoCommit(
        dataSource,
        "queue depth",
        c -> {
          Long[] depth = {0L, 0L, 0L};
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT priority, COUNT(*) FROM deliveries"
                          + " WHERE status IN ('pending', 'in_flight') GROUP BY priority");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              int priority = rs.getInt(1);
              if (priority >= 0 && priority < depth.length) {
                depth[priority] = rs.getLong(2);
              }
            }
          }
          return List.of(depth);
        });
  }

  Map<CircuitState.Status, Long> circuitsByStatus() {
    return Jdbc.autoCommit(
        dataSource,
        "circuit states",
        c -> {
          Map<CircuitState.Status, Long> counts = new EnumMap<>(CircuitState.Status.class);
          for (CircuitState.Status status : CircuitState.Status.values()) {
            counts.put(status, 0L);
          }
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT status, COUNT(*) FROM circuit_states GROUP BY status");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              counts.put(CircuitState.Status.valueOf(rs.getString(1)), rs.getLong(2));
            }
          }
          return counts;
        });
  }

  private void signalIf(int changed) {
    if (changed > 0) {
      signal.newWork();
    }
  }

  private static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
    for (int i = 0; i < args.size(); i++) {
      Object arg = args.get(i);
      if (arg instanceof OffsetDateTime time) {
        setTime(ps, i + 1, time);
      } else {
        ps.setString(i + 1, (String) arg);
      }
    }
  }
}
