package dev.herald.webhooks.store.jpa.internal;

import static dev.herald.webhooks.store.jpa.internal.Jdbc.bind;
import static dev.herald.webhooks.store.jpa.internal.Jdbc.placeholders;
import static dev.herald.webhooks.store.jpa.internal.Jdbc.setTime;
import static dev.herald.webhooks.store.jpa.internal.Jdbc.utc;

import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.sql.DataSource;

/**
 * What a worker holds between a claim and its record: the leases of its deliveries and its slots of
 * their endpoints. Renewed while it works, given back when it stops or no longer needs them;
 * whatever it does not give back runs out with the lease.
 */
final class Leases {
  private static final int IN_LIST = 500;

  private final DataSource dataSource;
  private final Dialect dialect;
  private final Clock clock;
  private final WorkSignal signal;

  Leases(DataSource dataSource, Dialect dialect, Clock clock, WorkSignal signal) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.clock = clock;
    this.signal = signal;
  }

  int renewLeases(String owner, Collection<String> deliveryIds, Duration lease) {
    if (deliveryIds.isEmpty()) {
      return 0;
    }
    OffsetDateTime now = utc(clock.instant());
    OffsetDateTime until = utc(clock.instant().plus(lease));
    return Jdbc.inTransaction(
        dataSource,
        "renewLeases",
        c -> {
          dialect.relaxDurability(c);
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE deliveries SET lease_until = ?, next_attempt_at = ?, updated_at = ?"
                      + " WHERE id = ? AND status = 'in_flight' AND lease_owner = ?")) {
            for (String id : sorted(deliveryIds)) {
              setTime(ps, 1, until);
              setTime(ps, 2, until);
              setTime(ps, 3, now);
              ps.setString(4, id);
              ps.setString(5, owner);
              ps.addBatch();
            }
            return sum(ps.executeBatch());
          }
        });
  }

  int release(String owner, Collection<String> deliveryIds) {
    if (deliveryIds.isEmpty()) {
      return 0;
    }
    OffsetDateTime now = utc(clock.instant());
    int released =
        Jdbc.inTransaction(
            dataSource,
            "release",
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "UPDATE deliveries SET status = 'pending', next_attempt_at = ?,"
                          + " lease_owner = NULL, lease_until = NULL, updated_at = ?"
                          + " WHERE id = ? AND status = 'in_flight' AND lease_owner = ?")) {
                for (String id : sorted(deliveryIds)) {
                  setTime(ps, 1, now);
                  setTime(ps, 2, now);
                  ps.setString(3, id);
                  ps.setString(4, owner);
                  ps.addBatch();
                }
                return sum(ps.executeBatch());
              }
            });
    if (released > 0) {
      signal.newWork();
    }
    return released;
  }

  /** Extends {@code owner}'s slots that have not run out, with its delivery leases. */
  void renewSlots(String owner, Duration lease) {
    Instant now = clock.instant();
    Jdbc.autoCommit(
        dataSource,
        "renew slots",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE endpoint_slots SET lease_until = ? WHERE owner = ? AND lease_until > ?")) {
            setTime(ps, 1, utc(now.plus(lease)));
            ps.setString(2, owner);
            setTime(ps, 3, utc(now));
            return ps.executeUpdate();
          }
        });
  }

  /** Gives back {@code owner}'s slots of these endpoints. */
  void releaseSlots(String owner, Collection<String> endpointIds) {
    if (endpointIds.isEmpty()) {
      return;
    }
    Jdbc.autoCommit(
        dataSource,
        "release slots",
        c -> {
          for (List<String> chunk : Jdbc.chunks(new ArrayList<>(endpointIds), IN_LIST)) {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "DELETE FROM endpoint_slots WHERE owner = ? AND endpoint_id IN ("
                        + placeholders(chunk.size())
                        + ")")) {
              ps.setString(1, owner);
              bind(ps, 2, chunk);
              ps.executeUpdate();
            }
          }
          return null;
        });
  }

  private static List<String> sorted(Collection<String> ids) {
    return ids.stream().distinct().sorted().toList();
  }

  private static int sum(int[] counts) {
    int n = 0;
    for (int count : counts) {
      // SUCCESS_NO_INFO (-2) never comes from these drivers for updates; count it as one.
      n += count == java.sql.Statement.SUCCESS_NO_INFO ? 1 : Math.max(count, 0);
    }
    return n;
  }
}
