package dev.herald.webhooks.store.jpa.internal;

import static dev.herald.webhooks.store.jpa.internal.Jdbc.bind;
import static dev.herald.webhooks.store.jpa.internal.Jdbc.instant;
import static dev.herald.webhooks.store.jpa.internal.Jdbc.placeholders;
import static dev.herald.webhooks.store.jpa.internal.Jdbc.setInt;
import static dev.herald.webhooks.store.jpa.internal.Jdbc.setTime;
import static dev.herald.webhooks.store.jpa.internal.Jdbc.utc;

import dev.herald.webhooks.core.circuit.CircuitBreakerPolicy;
import dev.herald.webhooks.core.delivery.EndpointHealth;
import dev.herald.webhooks.spi.AttemptRecord;
import dev.herald.webhooks.spi.CircuitState;
import dev.herald.webhooks.spi.DeliveryResult;
import dev.herald.webhooks.spi.HealthRules;
import dev.herald.webhooks.spi.Recorded;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * Records a batch of outcomes in one transaction: each delivery's next state and attempt, and what
 * the attempts do to their endpoints' health ({@link EndpointHealth}: circuit, failing-since, last
 * success, disabling), under the same gate lock ({@code circuit_states}) that claims take.
 * Successes to a healthy endpoint, which only advance its last success, skip the gate: a busy
 * endpoint's claims and records would otherwise take turns on it. Locks are taken gates first, then
 * endpoint rows, each in id order. One transaction per batch, whatever the outcomes.
 */
final class Recording {
  private static final System.Logger LOG = System.getLogger(Recording.class.getName());
  private static final int IN_LIST = 500;

  private final DataSource dataSource;
  private final Dialect dialect;
  private final Clock clock;
  private final Consumer<String> tenantEndpointsChanged;

  /**
   * @param tenantEndpointsChanged told the tenant of an endpoint this class disabled, after commit
   */
  Recording(
      DataSource dataSource,
      Dialect dialect,
      Clock clock,
      Consumer<String> tenantEndpointsChanged) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.clock = clock;
    this.tenantEndpointsChanged = tenantEndpointsChanged;
  }

  /** A delivery the recorder still leases; {@code orderKey} is its chain's subject, or null. */
  private record Owned(String tenantId, String endpointId, int attempts, String orderKey) {}

  Recorded record(String owner, List<DeliveryResult> results, HealthRules rules) {
    if (results.isEmpty()) {
      return new Recorded(0, List.of());
    }
    Instant now = clock.instant();
    EndpointHealth policy =
        new EndpointHealth(
            new CircuitBreakerPolicy(rules.failureThreshold(), rules.circuitOpenFor()),
            rules.autoDisableAfter());
    Recorded recorded;
    try {
      recorded = recordOnce(owner, results, policy, now, true);
    } catch (GateNeeded e) {
      recorded = recordOnce(owner, results, policy, now, false);
    }
    if (recorded.ignored() > 0) {
      LOG.log(
          System.Logger.Level.INFO,
          "ignored {0} of {1} results recorded by {2}: lease lost (expired and claimed again,"
              + " or released)",
          recorded.ignored(),
          results.size(),
          owner);
    }
    recorded.changes().stream()
        .filter(change -> change.disabledReason() != null)
        .map(Recorded.HealthChange::tenantId)
        .distinct()
        .forEach(tenantEndpointsChanged);
    return recorded;
  }

  /**
   * @param skipGates whether successes that only advance a healthy endpoint's last success may be
   *     recorded without its gate ({@link EndpointHealth#onlyAdvancesLastSuccess})
   * @throws GateNeeded when such an endpoint was found failing at the write: nothing is kept
   */
  private Recorded recordOnce(
      String owner,
      List<DeliveryResult> results,
      EndpointHealth policy,
      Instant now,
      boolean skipGates) {
    return Jdbc.inTransaction(
        dataSource,
        "record",
        c -> {
          dialect.relaxDurability(c);
          Map<String, DeliveryResult> byId = new TreeMap<>();
          for (DeliveryResult r : results) {
            byId.putIfAbsent(r.deliveryId(), r);
          }
          Map<String, Owned> owned = lockOwned(c, owner, new ArrayList<>(byId.keySet()));
          Map<String, List<EndpointHealth.Outcome>> outcomes =
              writeDeliveries(c, byId, owned, utc(now));
          OrderedDeliveries.releaseHeads(c, dialect, finishedChains(byId, owned), utc(now), true);
          List<Recorded.HealthChange> changes = updateHealth(c, outcomes, policy, now, skipGates);
          return new Recorded(results.size() - owned.size(), changes);
        });
  }

  /**
   * An endpoint recorded without its gate started failing before the write (another process
   * recorded a failure meanwhile): the transaction is rolled back and runs again with every gate.
   */
  private static final class GateNeeded extends RuntimeException {
    GateNeeded() {
      super(null, null, false, false);
    }
  }

  /**
   * Writes each owned delivery's next state and attempt; returns the attempts' outcomes per
   * endpoint.
   */
  private static Map<String, List<EndpointHealth.Outcome>> writeDeliveries(
      Connection c, Map<String, DeliveryResult> byId, Map<String, Owned> owned, OffsetDateTime now)
      throws SQLException {
    Map<String, List<EndpointHealth.Outcome>> outcomes = new TreeMap<>();
    Set<String> batchesSeen = new java.util.HashSet<>();
    try (PreparedStatement attempt =
            c.prepareStatement(
                "INSERT INTO attempts (delivery_id, number, started_at, duration_ms,"
                    + " status_code, response_excerpt, error_type, error_message)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        PreparedStatement withAttempt =
            c.prepareStatement(
                "UPDATE deliveries SET status = ?, next_attempt_at = ?, dead_reason = ?,"
                    + " attempts = attempts + 1, last_status_code = ?, last_error = ?,"
                    + " lease_owner = NULL, lease_until = NULL, updated_at = ?, batch_id = ?"
                    + " WHERE id = ?");
        PreparedStatement withoutAttempt =
            c.prepareStatement(
                "UPDATE deliveries SET status = ?, next_attempt_at = ?, dead_reason = ?,"
                    + " lease_owner = NULL, lease_until = NULL, updated_at = ?"
                    + " WHERE id = ?")) {
      for (Map.Entry<String, Owned> entry : owned.entrySet()) {
        DeliveryResult result = byId.get(entry.getKey());
        Owned delivery = entry.getValue();
        String status;
        OffsetDateTime next = null;
        String deadReason = null;
        if (result.next() instanceof DeliveryResult.Succeeded) {
          status = "succeeded";
        } else if (result.next() instanceof DeliveryResult.RetryAt retry) {
          status = "pending";
          next = utc(retry.at());
        } else if (result.next() instanceof DeliveryResult.Postponed postponed) {
          status = "pending";
          next = utc(postponed.at());
        } else {
          status = "dead";
          deadReason = Jdbc.truncate(((DeliveryResult.Dead) result.next()).reason(), 1000);
        }
        AttemptRecord a =
            result.next() instanceof DeliveryResult.Postponed ? null : result.attempt();
        if (a == null) {
          withoutAttempt.setString(1, status);
          setTime(withoutAttempt, 2, next);
          withoutAttempt.setString(3, deadReason);
          setTime(withoutAttempt, 4, now);
          withoutAttempt.setString(5, entry.getKey());
          withoutAttempt.addBatch();
          continue;
        }
        attempt.setString(1, entry.getKey());
        attempt.setInt(2, delivery.attempts() + 1);
        setTime(attempt, 3, utc(a.startedAt()));
        attempt.setLong(4, a.duration().toMillis());
        setInt(attempt, 5, a.statusCode());
        attempt.setString(6, Jdbc.truncateUtf8(a.responseExcerpt(), 4096));
        attempt.setString(7, Jdbc.truncate(a.errorType(), 200));
        attempt.setString(8, Jdbc.truncate(a.errorMessage(), 2000));
        attempt.addBatch();
        withAttempt.setString(1, status);
        setTime(withAttempt, 2, next);
        withAttempt.setString(3, deadReason);
        setInt(withAttempt, 4, a.statusCode());
        withAttempt.setString(5, lastError(a));
        setTime(withAttempt, 6, now);
        withAttempt.setString(7, result.batchId());
        withAttempt.setString(8, entry.getKey());
        withAttempt.addBatch();
        // A batched request is one attempt on its endpoint, however many members it carried.
        if (delivery.endpointId() != null
            && (result.batchId() == null || batchesSeen.add(result.batchId()))) {
          outcomes
              .computeIfAbsent(delivery.endpointId(), k -> new ArrayList<>())
              .add(
                  new EndpointHealth.Outcome(
                      a.startedAt(),
                      result.next() instanceof DeliveryResult.Succeeded,
                      result.endpointGone()));
        }
      }
      attempt.executeBatch();
      withAttempt.executeBatch();
      withoutAttempt.executeBatch();
    }
    return outcomes;
  }

  /** The chains of the ordered deliveries that finished: each may release its next delivery. */
  private static List<OrderedDeliveries.Chain> finishedChains(
      Map<String, DeliveryResult> byId, Map<String, Owned> owned) {
    List<OrderedDeliveries.Chain> chains = new ArrayList<>();
    owned.forEach(
        (id, delivery) -> {
          DeliveryResult.Next next = byId.get(id).next();
          if (delivery.orderKey() != null
              && (next instanceof DeliveryResult.Succeeded
                  || next instanceof DeliveryResult.Dead)) {
            chains.add(
                new OrderedDeliveries.Chain(
                    delivery.tenantId(), delivery.orderKey(), delivery.endpointId()));
          }
        });
    return chains;
  }

  private static String lastError(AttemptRecord a) {
    if (a.errorType() == null && a.errorMessage() == null) {
      return null;
    }
    String text =
        a.errorType() == null
            ? a.errorMessage()
            : a.errorMessage() == null ? a.errorType() : a.errorType() + ": " + a.errorMessage();
    return Jdbc.truncate(text, 2000);
  }

  /** Locks, in id order, the deliveries {@code owner} still leases. */
  private static Map<String, Owned> lockOwned(Connection c, String owner, List<String> ids)
      throws SQLException {
    Map<String, Owned> owned = new TreeMap<>();
    for (List<String> chunk : Jdbc.chunks(ids, IN_LIST)) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT id, tenant_id, endpoint_id, attempts, order_key FROM deliveries WHERE id IN ("
                  + placeholders(chunk.size())
                  + ") AND status = 'in_flight' AND lease_owner = ? ORDER BY id FOR UPDATE")) {
        int i = 1;
        for (String id : chunk) {
          ps.setString(i++, id);
        }
        ps.setString(i, owner);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            owned.put(
                rs.getString(1),
                new Owned(rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5)));
          }
        }
      }
    }
    return owned;
  }

  private record Stored(String tenantId, EndpointHealth.State state) {}

  /**
   * Applies the outcomes to their endpoints' health under the gate locks (in id order, as claims
   * take them), except, with {@code skipGates}, for endpoints whose outcomes only advance the last
   * success, and writes what changed.
   */
  private static List<Recorded.HealthChange> updateHealth(
      Connection c,
      Map<String, List<EndpointHealth.Outcome>> outcomes,
      EndpointHealth policy,
      Instant now,
      boolean skipGates)
      throws SQLException {
    if (outcomes.isEmpty()) {
      return List.of();
    }
    Map<String, Stored> stored = new TreeMap<>();
    List<String> gated = new ArrayList<>(outcomes.keySet());
    if (skipGates) {
      readHealth(c, gated, false)
          .forEach(
              (id, health) -> {
                if (policy.onlyAdvancesLastSuccess(health.state(), outcomes.get(id))) {
                  stored.put(id, health);
                }
              });
      gated.removeAll(stored.keySet());
    }
    Set<String> ungated = Set.copyOf(stored.keySet());
    stored.putAll(readHealth(c, gated, true));
    List<Boolean> writtenUngated = new ArrayList<>();
    List<Recorded.HealthChange> changes = new ArrayList<>();
    try (PreparedStatement circuit =
            c.prepareStatement(
                "UPDATE circuit_states SET status = ?, consecutive_failures = ?, opened_at = ?,"
                    + " probe_until = ? WHERE endpoint_id = ?");
        // Never moves the last success back; an ungated write holds only while the endpoint is
        // still active and not failing.
        PreparedStatement endpoint =
            c.prepareStatement(
                "UPDATE endpoints SET failing_since = ?, last_success_at = CASE WHEN"
                    + " last_success_at IS NULL OR last_success_at < ? THEN ? ELSE"
                    + " last_success_at END, active = ?, disabled_reason = COALESCE(?,"
                    + " disabled_reason) WHERE id = ? AND (? OR (active AND failing_since IS"
                    + " NULL))")) {
      for (Map.Entry<String, Stored> e : stored.entrySet()) {
        EndpointHealth.State before = e.getValue().state();
        EndpointHealth.Change change = policy.apply(before, outcomes.get(e.getKey()), now);
        EndpointHealth.State after = change.state();
        if (!after.circuit().equals(before.circuit())
            || !Objects.equals(after.probeUntil(), before.probeUntil())) {
          CircuitState s = after.circuit();
          circuit.setString(1, s.status().name());
          circuit.setInt(2, s.consecutiveFailures());
          setTime(circuit, 3, utc(s.openedAt()));
          setTime(circuit, 4, utc(after.probeUntil()));
          circuit.setString(5, e.getKey());
          circuit.addBatch();
        }
        if (!Objects.equals(after.failingSince(), before.failingSince())
            || !Objects.equals(after.lastSuccess(), before.lastSuccess())
            || after.active() != before.active()) {
          boolean withoutGate = ungated.contains(e.getKey());
          setTime(endpoint, 1, utc(after.failingSince()));
          setTime(endpoint, 2, utc(after.lastSuccess()));
          setTime(endpoint, 3, utc(after.lastSuccess()));
          endpoint.setBoolean(4, after.active());
          endpoint.setString(5, Jdbc.truncate(change.disabledReason(), 1000));
          endpoint.setString(6, e.getKey());
          endpoint.setBoolean(7, !withoutGate);
          endpoint.addBatch();
          writtenUngated.add(withoutGate);
        }
        if (change.opened() || change.closed() || change.disabledReason() != null) {
          changes.add(
              new Recorded.HealthChange(
                  e.getValue().tenantId(),
                  e.getKey(),
                  change.opened(),
                  after.circuit().consecutiveFailures(),
                  change.disabledReason(),
                  change.closed()));
        }
      }
      circuit.executeBatch();
      int[] updated = endpoint.executeBatch();
      for (int i = 0; i < updated.length; i++) {
        if (writtenUngated.get(i) && updated[i] == 0) {
          throw new GateNeeded();
        }
      }
    }
    return changes;
  }

  /**
   * Reads the health of these endpoints, locking their gate rows in id order with {@code
   * lockGates}; an endpoint deleted meanwhile is left out.
   */
  private static Map<String, Stored> readHealth(
      Connection c, List<String> endpointIds, boolean lockGates) throws SQLException {
    Map<String, CircuitRow> circuits = new HashMap<>();
    Map<String, Stored> out = new TreeMap<>();
    for (List<String> chunk : Jdbc.chunks(endpointIds, IN_LIST)) {
      String in = " IN (" + placeholders(chunk.size()) + ")";
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT endpoint_id, status, consecutive_failures, opened_at, probe_until"
                  + " FROM circuit_states WHERE endpoint_id"
                  + in
                  + (lockGates ? " ORDER BY endpoint_id FOR UPDATE" : ""))) {
        bind(ps, 1, chunk);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            circuits.put(
                rs.getString(1),
                new CircuitRow(
                    new CircuitState(
                        CircuitState.Status.valueOf(rs.getString(2)),
                        rs.getInt(3),
                        instant(rs.getObject(4, OffsetDateTime.class))),
                    instant(rs.getObject(5, OffsetDateTime.class))));
          }
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT id, tenant_id, failing_since, last_success_at, active FROM endpoints"
                  + " WHERE id"
                  + in)) {
        bind(ps, 1, chunk);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            CircuitRow circuit = circuits.get(rs.getString(1));
            if (circuit == null) {
              continue;
            }
            out.put(
                rs.getString(1),
                new Stored(
                    rs.getString(2),
                    new EndpointHealth.State(
                        circuit.state(),
                        circuit.probeUntil(),
                        instant(rs.getObject(3, OffsetDateTime.class)),
                        instant(rs.getObject(4, OffsetDateTime.class)),
                        rs.getBoolean(5))));
          }
        }
      }
    }
    return out;
  }

  private record CircuitRow(CircuitState state, Instant probeUntil) {}
}
