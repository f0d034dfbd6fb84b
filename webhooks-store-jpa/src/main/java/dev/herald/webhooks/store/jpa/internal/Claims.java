package dev.herald.webhooks.store.jpa.internal;

import static dev.herald.webhooks.store.jpa.internal.Jdbc.bind;
import static dev.herald.webhooks.store.jpa.internal.Jdbc.instant;
import static dev.herald.webhooks.store.jpa.internal.Jdbc.placeholders;
import static dev.herald.webhooks.store.jpa.internal.Jdbc.setTime;
import static dev.herald.webhooks.store.jpa.internal.Jdbc.utc;

import dev.herald.webhooks.core.delivery.Admission;
import dev.herald.webhooks.core.delivery.Admission.Decision;
import dev.herald.webhooks.core.delivery.Admission.Gate;
import dev.herald.webhooks.core.delivery.Admission.Limits;
import dev.herald.webhooks.spi.BatchPolicy;
import dev.herald.webhooks.spi.CircuitState;
import dev.herald.webhooks.spi.ClaimRules;
import dev.herald.webhooks.spi.ClaimedDelivery;
import dev.herald.webhooks.spi.DeliveryTarget;
import dev.herald.webhooks.store.jpa.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * Leases due deliveries to a worker, in one transaction: read the due candidates (first attempts
 * and retries, so that neither starves the other), lock the gate rows ({@code circuit_states}) of
 * their endpoints in id order, let {@link Admission} decide per endpoint from its limits, its gate
 * and the slots of its {@code max_in_flight} that other claimers hold, lease what it admits with
 * the claimer's slots ({@code endpoint_slots}), postpone the rest without an attempt, and keep the
 * gates. The gate lock makes the claims of every process for one endpoint take turns, so limits and
 * the half-open probe hold across processes at the cost of one lock per endpoint per claim, not per
 * send.
 *
 * <p>PostgreSQL locks the candidates with {@code SKIP LOCKED}; H2 has none, so there the lease is a
 * conditional update that only one claimer wins.
 */
final class Claims {
  private static final int IN_LIST = 500;

  /** Beyond this many endpoints refusing everything, the rest are read and postponed instead. */
  private static final int MAX_SKIPPED = 1000;

  private static final String DELIVERY_COLUMNS =
      "d.id, d.event_id, d.tenant_id, e.type, d.transport, d.endpoint_id, d.attempts,"
          + " e.created_at, d.priority, d.batch_id";

  private final DataSource dataSource;
  private final Dialect dialect;
  private final Clock clock;
  private final AddedDeliveries fallbacks;

  Claims(DataSource dataSource, Dialect dialect, Clock clock, AddedDeliveries fallbacks) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.clock = clock;
    this.fallbacks = fallbacks;
  }

  /** A due delivery read as a candidate, before its body is attached. */
  private record Row(
      String id,
      String eventId,
      String tenantId,
      String type,
      String transport,
      String endpointId,
      int attempts,
      OffsetDateTime eventCreatedAt,
      int priority,
      String batchId,
      OffsetDateTime due) {
    /** A batch being retried, which its first member (this row) leads and claims for all. */
    boolean leadsBatch() {
      return id.equals(batchId);
    }
  }

  /** An endpoint's gate as stored, with what it needs for a decision. */
  private record Endpoint(
      Limits limits, Gate gate, int otherSlots, int ownSlots, int eventsPerRequest) {}

  /** What a claim takes: the rows, and the slots the claimer holds of each of their endpoints. */
  private record Taken(List<Row> rows, Map<String, Integer> slots) {}

  List<ClaimedDelivery> claim(String owner, int max, Duration lease, ClaimRules rules) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1, was " + max);
    }
    Instant now = clock.instant();
    OffsetDateTime leaseUntil = utc(now.plus(lease));
    Admission admission = new Admission(rules.circuitOpenFor(), lease);
    Map<Row, byte[]> claimed;
    Map<String, Integer> slots = new HashMap<>();
    for (int attempt = 1; ; attempt++) {
      try {
        claimed =
            Jdbc.inTransaction(
                dataSource,
                "claim",
                c -> {
                  // A claim lost in a crash only makes its deliveries due again.
                  dialect.relaxDurability(c);
                  List<Row> candidates =
                      candidates(
                          c,
                          max,
                          utc(now),
                          refusingAll(c, admission, owner, now),
                          List.copyOf(rules.pausedTransports()));
                  Taken taken = admit(c, candidates, max, admission, rules, owner, now, leaseUntil);
                  slots.putAll(taken.slots());
                  List<Row> leased = lease(c, taken.rows(), owner, utc(now), leaseUntil);
                  List<Row> all = new ArrayList<>(leased);
                  all.addAll(lease(c, batchMembers(c, leased), owner, utc(now), leaseUntil));
                  return attachBodies(c, all);
                });
        break;
      } catch (StoreException e) {
        // H2 has no SKIP LOCKED: two claimers may lock the same due rows in another order, and
        // H2 breaks the tie by failing one. It claims again.
        if (!Jdbc.isDeadlock(e) || attempt == 3) {
          throw e;
        }
      }
    }
    List<ClaimedDelivery> out = new ArrayList<>(claimed.size());
    claimed.entrySet().stream()
        .sorted(
            Comparator.comparingInt((Map.Entry<Row, byte[]> e) -> e.getKey().priority())
                .thenComparing(e -> e.getKey().due())
                .thenComparing(e -> e.getKey().id()))
        .forEach(
            e -> {
              Row r = e.getKey();
              out.add(
                  new ClaimedDelivery(
                      r.id(),
                      r.eventId(),
                      r.tenantId(),
                      r.type(),
                      new DeliveryTarget(r.transport(), r.endpointId()),
                      r.attempts() + 1,
                      e.getValue(),
                      instant(r.eventCreatedAt()),
                      instant(leaseUntil),
                      r.endpointId() == null ? 0 : slots.getOrDefault(r.endpointId(), 0),
                      r.batchId()));
            });
    return out;
  }

  /**
   * Up to {@code max} due first attempts and {@code max} due retries, in the order they should be
   * taken: first attempts get at least half the batch, retries the rest, and a side with fewer due
   * rows leaves its share to the other.
   */
  private List<Row> candidates(
      Connection c, int max, OffsetDateTime now, List<String> skipped, List<String> paused)
      throws SQLException {
    List<Row> first = due(c, true, max, now, skipped, paused);
    List<Row> retries = due(c, false, max, now, skipped, paused);
    int firstShare = Math.min(first.size(), max - max / 2);
    List<Row> ordered = new ArrayList<>(first.size() + retries.size());
    ordered.addAll(first.subList(0, firstShare));
    ordered.addAll(retries);
    ordered.addAll(first.subList(firstShare, first.size()));
    return ordered;
  }

  private List<Row> due(
      Connection c,
      boolean firstAttempts,
      int limit,
      OffsetDateTime now,
      List<String> skipped,
      List<String> paused)
      throws SQLException {
    String sql =
        "SELECT "
            + DELIVERY_COLUMNS
            + ", d.next_attempt_at FROM deliveries d JOIN events e ON e.id = d.event_id"
            + " WHERE d.status IN ('pending', 'in_flight') AND d.next_attempt_at <= ?"
            + (firstAttempts ? " AND d.attempts = 0" : " AND d.attempts > 0")
            // A batch's other members come with its leader.
            + " AND (d.batch_id IS NULL OR d.batch_id = d.id)"
            + (skipped.isEmpty()
                ? ""
                : " AND (d.endpoint_id IS NULL OR d.endpoint_id NOT IN ("
                    + placeholders(skipped.size())
                    + "))")
            + (paused.isEmpty()
                ? ""
                : " AND d.transport NOT IN (" + placeholders(paused.size()) + ")")
            + " ORDER BY d.priority, d.next_attempt_at LIMIT ?"
            + dialect.lockSkippingLocked("d");
    List<Row> rows = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      setTime(ps, 1, now);
      bind(ps, 2, skipped);
      bind(ps, 2 + skipped.size(), paused);
      ps.setInt(2 + skipped.size() + paused.size(), limit);
      readRows(ps, rows);
    }
    return rows;
  }

  /** Reads {@link #DELIVERY_COLUMNS} and {@code next_attempt_at}. */
  private static void readRows(PreparedStatement ps, List<Row> rows) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        rows.add(
            new Row(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getInt(7),
                rs.getObject(8, OffsetDateTime.class),
                rs.getInt(9),
                rs.getString(10),
                rs.getObject(11, OffsetDateTime.class)));
      }
    }
  }

  /**
   * The other members of the batches these leased rows lead, locked: they go with their leader,
   * never as candidates of their own.
   */
  private List<Row> batchMembers(Connection c, List<Row> leased) throws SQLException {
    List<String> leaders = leased.stream().filter(Row::leadsBatch).map(Row::id).toList();
    List<Row> members = new ArrayList<>();
    for (List<String> chunk : Jdbc.chunks(leaders, IN_LIST)) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT "
                  + DELIVERY_COLUMNS
                  + ", d.next_attempt_at FROM deliveries d JOIN events e ON e.id = d.event_id"
                  + " WHERE d.batch_id IN ("
                  + placeholders(chunk.size())
                  + ") AND d.id <> d.batch_id AND d.status IN ('pending', 'in_flight')"
                  + " ORDER BY d.id FOR UPDATE")) {
        bind(ps, 1, chunk);
        readRows(ps, members);
      }
    }
    return members;
  }

  /**
   * Up to {@code wanted} more due deliveries of a batched endpoint that are in no batch yet, so
   * that its requests go full: the candidates hold only a share of a long backlog.
   */
  private List<Row> moreForBatch(
      Connection c, String endpointId, int wanted, Set<String> taken, OffsetDateTime now)
      throws SQLException {
    List<Row> found = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + DELIVERY_COLUMNS
                + ", d.next_attempt_at FROM deliveries d JOIN events e ON e.id = d.event_id"
                + " WHERE d.endpoint_id = ? AND d.status IN ('pending', 'in_flight')"
                + " AND d.next_attempt_at <= ? AND d.batch_id IS NULL"
                + " ORDER BY d.priority, d.next_attempt_at LIMIT ?"
                + dialect.lockSkippingLocked("d"))) {
      ps.setString(1, endpointId);
      setTime(ps, 2, now);
      // This transaction's own rows come again (they are locked by it): read past them.
      ps.setInt(3, wanted + taken.size());
      readRows(ps, found);
    }
    return found.stream().filter(r -> !taken.contains(r.id())).limit(wanted).toList();
  }

  /**
   * Decides per endpoint, takes up to {@code max} candidates in order, postpones those an endpoint
   * refused, and stores the endpoints' gates. Deliveries to Redis have no endpoint and no gate.
   */
  private Taken admit(
      Connection c,
      List<Row> candidates,
      int max,
      Admission admission,
      ClaimRules rules,
      String owner,
      Instant claimStarted,
      OffsetDateTime leaseUntil)
      throws SQLException {
    Set<String> endpointIds = new TreeSet<>();
    for (Row r : candidates) {
      if (r.endpointId() != null) {
        endpointIds.add(r.endpointId());
      }
    }
    Map<String, Endpoint> endpoints = endpoints(c, endpointIds, owner, claimStarted);
    // Limits count requests: a batched endpoint's request carries up to eventsPerRequest fresh
    // deliveries, or one batch being retried.
    Map<String, Requests> due = new HashMap<>();
    for (Row r : candidates) {
      Endpoint e = r.endpointId() == null ? null : endpoints.get(r.endpointId());
      if (e != null) {
        due.computeIfAbsent(r.endpointId(), id -> new Requests(e.eventsPerRequest())).add(r);
      }
    }
    // The time once the gates are ours: a claim that waited for another's lock must not spend
    // tokens as of before it waited, or its sends bunch with the other's.
    Instant now = clock.instant();
    Map<String, Decision> decisions = new HashMap<>();
    endpoints.forEach(
        (id, e) ->
            decisions.put(
                id,
                admission.decide(
                    e.limits(), e.gate(), e.otherSlots(), e.ownSlots(), due.get(id).count(), now)));
    List<Row> taken = new ArrayList<>();
    Map<String, Requests> takenByEndpoint = new HashMap<>();
    Map<String, Instant> postponed = new LinkedHashMap<>();
    List<Row> fallback = new ArrayList<>();
    for (Row r : candidates) {
      Decision decision = r.endpointId() == null ? null : decisions.get(r.endpointId());
      if (decision == null) {
        // Redis, or an endpoint deleted meanwhile (the worker records its delivery as dead).
        if (taken.size() < max) {
          taken.add(r);
        }
        continue;
      }
      Requests already =
          takenByEndpoint.computeIfAbsent(
              r.endpointId(), id -> new Requests(endpoints.get(id).eventsPerRequest()));
      if (already.fits(r, decision.admitted())) {
        if (taken.size() < max) {
          taken.add(r);
          already.add(r);
        }
      } else if (decision.retryAt() != null) {
        postponed.put(r.id(), decision.retryAt());
        if (endpoints.get(r.endpointId()).gate().circuit().status() != CircuitState.Status.CLOSED
            && rules.fallsBackToRedis().test(r.tenantId())) {
          fallback.add(r);
        }
      }
    }
    // The gates as if exactly what was taken had been asked for: tokens and the probe are spent
    // only on deliveries that go.
    Map<String, Gate> gates = new TreeMap<>();
    Map<String, Integer> slots = new TreeMap<>();
    Set<String> takenIds = new HashSet<>();
    taken.forEach(r -> takenIds.add(r.id()));
    for (Map.Entry<String, Requests> e : takenByEndpoint.entrySet()) {
      int room = Math.min(e.getValue().room(), BatchPolicy.MAX_EVENTS);
      if (room > 0 && e.getValue().count() > 0) {
        List<Row> more = moreForBatch(c, e.getKey(), room, takenIds, utc(now));
        taken.addAll(more);
        more.forEach(r -> takenIds.add(r.id()));
      }
    }
    endpoints.forEach(
        (id, e) -> {
          Requests requests = takenByEndpoint.get(id);
          int count = requests == null ? 0 : requests.count();
          Decision used =
              admission.decide(e.limits(), e.gate(), e.otherSlots(), e.ownSlots(), count, now);
          if (!used.gate().equals(e.gate())) {
            gates.put(id, used.gate());
          }
          if (count > 0) {
            slots.put(id, used.slots());
          }
        });
    postpone(c, postponed, now);
    storeGates(c, gates);
    holdSlots(c, owner, slots, leaseUntil);
    for (Row r : fallback) {
      fallbacks.add(c, r.tenantId(), r.eventId(), DeliveryTarget.redis());
    }
    return new Taken(taken, slots);
  }

  /**
   * The requests some deliveries to one endpoint make: one per batch being retried, and one per
   * {@code eventsPerRequest} fresh deliveries.
   */
  private static final class Requests {
    private final int eventsPerRequest;
    private int requests;
    private int inOpenRequest;

    Requests(int eventsPerRequest) {
      this.eventsPerRequest = eventsPerRequest;
    }

    int count() {
      return requests;
    }

    /** Whether {@code r} can go within {@code admitted} requests: it joins a request still open. */
    boolean fits(Row r, int admitted) {
      return (!r.leadsBatch() && inOpenRequest > 0 && inOpenRequest < eventsPerRequest)
          || requests < admitted;
    }

    void add(Row r) {
      if (r.leadsBatch()) {
        requests++;
      } else if (inOpenRequest > 0 && inOpenRequest < eventsPerRequest) {
        inOpenRequest++;
      } else {
        requests++;
        inOpenRequest = 1;
      }
    }

    /** Fresh deliveries the open request can still carry; 0 for an endpoint that is not batched. */
    int room() {
      return eventsPerRequest > 1 && inOpenRequest > 0 ? eventsPerRequest - inOpenRequest : 0;
    }
  }

  /**
   * The endpoints that would take nothing now (full, probing, no rate token), read without locks:
   * the claim skips their deliveries instead of reading and postponing them over and over. Only
   * endpoints with something to say are read: slots held by others, a circuit not closed, or a rate
   * limit. The locked decision in {@link #admit} stays the one that counts.
   */
  private List<String> refusingAll(Connection c, Admission admission, String owner, Instant now)
      throws SQLException {
    List<String> refusing = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT e.id, e.max_in_flight, e.rate_limit_per_second, c.status,"
                + " c.consecutive_failures, c.opened_at, c.probe_until, c.tokens, c.tokens_at,"
                + " (SELECT COALESCE(SUM(s.slots), 0) FROM endpoint_slots s"
                + " WHERE s.endpoint_id = e.id AND s.owner <> ? AND s.lease_until > ?)"
                + " FROM endpoints e JOIN circuit_states c ON c.endpoint_id = e.id"
                + " WHERE c.status <> 'CLOSED' OR e.rate_limit_per_second IS NOT NULL"
                + " OR e.id IN (SELECT endpoint_id FROM endpoint_slots WHERE owner <> ?"
                + " AND lease_until > ?)")) {
      ps.setString(1, owner);
      setTime(ps, 2, utc(now));
      ps.setString(3, owner);
      setTime(ps, 4, utc(now));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next() && refusing.size() < MAX_SKIPPED) {
          Limits limits = limits(rs, 2);
          Gate gate = gate(rs, 4);
          // An open circuit's deliveries are read once and postponed to its probe (and fall back
          // to Redis where the phase says so); the others would only come back again and again.
          if (gate.circuit().status() != CircuitState.Status.OPEN
              && admission.refusesAll(limits, gate, rs.getInt(10), now)) {
            refusing.add(rs.getString(1));
          }
        }
      }
    }
    return refusing;
  }

  /** The limits, locked gates and held slots of these endpoints; locks in id order. */
  private Map<String, Endpoint> endpoints(Connection c, Set<String> ids, String owner, Instant now)
      throws SQLException {
    Map<String, Endpoint> out = new TreeMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    List<String> sorted = new ArrayList<>(ids);
    Map<String, Gate> gates = new HashMap<>();
    Map<String, Limits> limits = new HashMap<>();
    Map<String, Integer> otherSlots = new HashMap<>();
    Map<String, Integer> ownSlots = new HashMap<>();
    Map<String, Integer> eventsPerRequest = new HashMap<>();
    for (List<String> chunk : Jdbc.chunks(sorted, IN_LIST)) {
      String in = " IN (" + placeholders(chunk.size()) + ")";
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT endpoint_id, status, consecutive_failures, opened_at, probe_until, tokens,"
                  + " tokens_at FROM circuit_states WHERE endpoint_id"
                  + in
                  + " ORDER BY endpoint_id FOR UPDATE")) {
        bind(ps, 1, chunk);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            gates.put(rs.getString(1), gate(rs, 2));
          }
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT id, max_in_flight, rate_limit_per_second, batch_max_events FROM endpoints"
                  + " WHERE id"
                  + in)) {
        bind(ps, 1, chunk);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            limits.put(rs.getString(1), limits(rs, 2));
            int perRequest = rs.getInt(4);
            eventsPerRequest.put(rs.getString(1), rs.wasNull() ? 1 : perRequest);
          }
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT endpoint_id, owner, slots FROM endpoint_slots"
                  + " WHERE lease_until > ? AND endpoint_id"
                  + in)) {
        setTime(ps, 1, utc(now));
        bind(ps, 2, chunk);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            (owner.equals(rs.getString(2)) ? ownSlots : otherSlots)
                .merge(rs.getString(1), rs.getInt(3), Integer::sum);
          }
        }
      }
    }
    for (String id : sorted) {
      Gate gate = gates.get(id);
      Limits limit = limits.get(id);
      if (gate != null && limit != null) {
        out.put(
            id,
            new Endpoint(
                limit,
                gate,
                otherSlots.getOrDefault(id, 0),
                ownSlots.getOrDefault(id, 0),
                eventsPerRequest.getOrDefault(id, 1)));
      }
    }
    return out;
  }

  /** Refused deliveries wait until their endpoint may take them, without an attempt. */
  private void postpone(Connection c, Map<String, Instant> postponed, Instant now)
      throws SQLException {
    if (postponed.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE deliveries SET status = 'pending', next_attempt_at = ?, lease_owner = NULL,"
                + " lease_until = NULL, updated_at = ? WHERE id = ?"
                + " AND status IN ('pending', 'in_flight') AND next_attempt_at <= ?")) {
      for (Map.Entry<String, Instant> p : postponed.entrySet()) {
        setTime(ps, 1, utc(p.getValue()));
        setTime(ps, 2, utc(now));
        ps.setString(3, p.getKey());
        setTime(ps, 4, utc(now));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** The claimer's slots of these endpoints, under its lease. */
  private void holdSlots(
      Connection c, String owner, Map<String, Integer> slots, OffsetDateTime leaseUntil)
      throws SQLException {
    if (slots.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(dialect.upsertSlots())) {
      for (Map.Entry<String, Integer> e : slots.entrySet()) {
        ps.setString(1, e.getKey());
        ps.setString(2, owner);
        ps.setInt(3, e.getValue());
        setTime(ps, 4, leaseUntil);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static void storeGates(Connection c, Map<String, Gate> gates) throws SQLException {
    if (gates.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE circuit_states SET status = ?, consecutive_failures = ?, opened_at = ?,"
                + " probe_until = ?, tokens = ?, tokens_at = ? WHERE endpoint_id = ?")) {
      for (Map.Entry<String, Gate> e : gates.entrySet()) {
        Gate g = e.getValue();
        ps.setString(1, g.circuit().status().name());
        ps.setInt(2, g.circuit().consecutiveFailures());
        setTime(ps, 3, utc(g.circuit().openedAt()));
        setTime(ps, 4, utc(g.probeUntil()));
        if (g.tokensAt() == null) {
          ps.setNull(5, Types.DOUBLE);
        } else {
          ps.setDouble(5, g.tokens());
        }
        setTime(ps, 6, utc(g.tokensAt()));
        ps.setString(7, e.getKey());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /**
   * Leases the taken rows. While in flight, next_attempt_at equals lease_until, so a crashed
   * worker's deliveries become due again when the lease ends. On H2 the update only succeeds while
   * the row is still due, so of two claimers exactly one wins it.
   */
  private List<Row> lease(
      Connection c, List<Row> taken, String owner, OffsetDateTime now, OffsetDateTime leaseUntil)
      throws SQLException {
    if (taken.isEmpty()) {
      return taken;
    }
    if (dialect.locksCandidates()) {
      // This transaction holds the rows' locks since it read them: all are ours, and one
      // statement leases them (a hundred single-row updates cost a claim most of its time).
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE deliveries SET status = 'in_flight', lease_owner = ?, lease_until = ?,"
                  + " next_attempt_at = ?, updated_at = ? WHERE id = ANY (?)")) {
        ps.setString(1, owner);
        setTime(ps, 2, leaseUntil);
        setTime(ps, 3, leaseUntil);
        setTime(ps, 4, now);
        ps.setArray(5, c.createArrayOf("varchar", taken.stream().map(Row::id).toArray()));
        ps.executeUpdate();
      }
      return taken;
    }
    List<Row> won = new ArrayList<>(taken.size());
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE deliveries SET status = 'in_flight', lease_owner = ?, lease_until = ?,"
                + " next_attempt_at = ?, updated_at = ?"
                + " WHERE id = ? AND status IN ('pending', 'in_flight') AND next_attempt_at <= ?")) {
      for (Row r : taken) {
        ps.setString(1, owner);
        setTime(ps, 2, leaseUntil);
        setTime(ps, 3, leaseUntil);
        setTime(ps, 4, now);
        ps.setString(5, r.id());
        setTime(ps, 6, now);
        ps.addBatch();
      }
      int[] counts = ps.executeBatch();
      for (int i = 0; i < counts.length; i++) {
        // SUCCESS_NO_INFO (-2) counts as won: the row was locked by this transaction (PostgreSQL).
        if (counts[i] != 0) {
          won.add(taken.get(i));
        }
      }
    }
    return won;
  }

  /** Reads the bodies, and the attempt counts as they are now that the lease is ours. */
  private Map<Row, byte[]> attachBodies(Connection c, List<Row> rows) throws SQLException {
    Map<Row, byte[]> out = new LinkedHashMap<>();
    for (List<Row> chunk : Jdbc.chunks(rows, IN_LIST)) {
      Map<String, Row> byId = new HashMap<>();
      chunk.forEach(r -> byId.put(r.id(), r));
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT d.id, d.attempts, e.body FROM deliveries d JOIN events e ON e.id = d.event_id"
                  + " WHERE d.id IN ("
                  + placeholders(chunk.size())
                  + ")")) {
        int i = 1;
        for (Row r : chunk) {
          ps.setString(i++, r.id());
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Row r = byId.get(rs.getString(1));
            Row current =
                new Row(
                    r.id(),
                    r.eventId(),
                    r.tenantId(),
                    r.type(),
                    r.transport(),
                    r.endpointId(),
                    rs.getInt(2),
                    r.eventCreatedAt(),
                    r.priority(),
                    r.batchId(),
                    r.due());
            out.put(current, rs.getBytes(3));
          }
        }
      }
    }
    return out;
  }

  /** {@code max_in_flight, rate_limit_per_second} from column {@code at} on. */
  private static Limits limits(ResultSet rs, int at) throws SQLException {
    int maxInFlight = rs.getInt(at);
    double rate = rs.getDouble(at + 1);
    return new Limits(Math.max(1, maxInFlight), rs.wasNull() || rate <= 0 ? null : rate);
  }

  /**
   * {@code status, consecutive_failures, opened_at, probe_until, tokens, tokens_at} of {@code
   * circuit_states} from column {@code at} on.
   */
  private static Gate gate(ResultSet rs, int at) throws SQLException {
    return new Gate(
        new CircuitState(
            CircuitState.Status.valueOf(rs.getString(at)),
            rs.getInt(at + 1),
            instant(rs.getObject(at + 2, OffsetDateTime.class))),
        instant(rs.getObject(at + 3, OffsetDateTime.class)),
        rs.getDouble(at + 4),
        instant(rs.getObject(at + 5, OffsetDateTime.class)));
  }
}
