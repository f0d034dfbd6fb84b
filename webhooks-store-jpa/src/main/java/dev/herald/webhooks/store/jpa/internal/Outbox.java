package dev.herald.webhooks.store.jpa.internal;

import static dev.herald.webhooks.store.jpa.internal.Jdbc.placeholders;
import static dev.herald.webhooks.store.jpa.internal.Jdbc.setInt;
import static dev.herald.webhooks.store.jpa.internal.Jdbc.setTime;
import static dev.herald.webhooks.store.jpa.internal.Jdbc.utc;

import dev.herald.webhooks.api.Event;
import dev.herald.webhooks.api.PublishResult;
import dev.herald.webhooks.core.ids.Ids;
import dev.herald.webhooks.spi.AttemptRecord;
import dev.herald.webhooks.spi.DeliveryResult;
import dev.herald.webhooks.spi.DeliveryTarget;
import dev.herald.webhooks.spi.EnvelopeEncoder;
import dev.herald.webhooks.spi.PreparedEvent;
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
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * The outbox hot path in plain SQL: publish, claim, record, renew and release. Every method is one
 * short transaction (claims on H2 are one auto-committed conditional update per row).
 */
final class Outbox {
  private static final System.Logger LOG = System.getLogger(Outbox.class.getName());
  private static final int IN_LIST = 500;
  private static final int PUBLISH_TRIES = 50;

  private final DataSource dataSource;
  private final boolean postgres;
  private final Clock clock;
  private final Ids ids;
  private final WorkSignal signal;
  private final AddedDeliveries addedDeliveries;

  Outbox(
      DataSource dataSource,
      boolean postgres,
      Clock clock,
      WorkSignal signal,
      AddedDeliveries addedDeliveries) {
    this.dataSource = dataSource;
    this.postgres = postgres;
    this.clock = clock;
    this.ids = new Ids(clock);
    this.signal = signal;
    this.addedDeliveries = addedDeliveries;
  }

  // ---------------------------------------------------------------------------------- publish

  /**
   * Stores one event. Concurrent calls are committed together (group commit): the first caller to
   * find no batch in progress becomes the leader and stores every waiting event in one transaction,
   * the others wait for that commit. A lone caller pays nothing extra; sixteen concurrent callers
   * pay about one transaction's round trips and one WAL flush instead of sixteen. Each caller still
   * returns only after its own event has committed.
   */
  PublishResult publish(PreparedEvent prepared, EnvelopeEncoder encoder) {
    Pending me = new Pending(prepared, encoder);
    waiting.add(me);
    while (!me.result.isDone()) {
      if (leader.tryLock()) {
        try {
          // Store everything waiting, including what arrives meanwhile, so that nobody who queued
          // behind this leader is left waiting for a leader that has gone.
          for (List<Pending> batch = drain(); !batch.isEmpty(); batch = drain()) {
            storeGroup(batch);
          }
        } finally {
          leader.unlock();
        }
      } else {
        try {
          me.result.get(1, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          // the leader is busy with an earlier group: try to lead the next one
        } catch (ExecutionException e) {
          break;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new StoreException("publish interrupted", e);
        }
      }
    }
    try {
      return me.result.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new StoreException("publish failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("publish interrupted", e);
    }
  }

  private static final int GROUP_MAX = 500;

  private record Pending(
      PreparedEvent event, EnvelopeEncoder encoder, CompletableFuture<PublishResult> result) {
    Pending(PreparedEvent event, EnvelopeEncoder encoder) {
      this(event, encoder, new CompletableFuture<>());
    }
  }

  private final ConcurrentLinkedQueue<Pending> waiting = new ConcurrentLinkedQueue<>();
  private final ReentrantLock leader = new ReentrantLock();

  private List<Pending> drain() {
    List<Pending> batch = new ArrayList<>();
    for (Pending p = waiting.poll(); p != null; p = waiting.poll()) {
      batch.add(p);
      if (batch.size() == GROUP_MAX) {
        break;
      }
    }
    return batch;
  }

  private void storeGroup(List<Pending> group) {
    if (group.size() > 1) {
      Map<String, EnvelopeEncoder> encoders = new HashMap<>();
      List<PreparedEvent> events = new ArrayList<>(group.size());
      for (Pending p : group) {
        encoders.put(p.event().event().id(), p.encoder());
        events.add(p.event());
      }
      try {
        List<PublishResult> results = publishAll(events, e -> encoders.get(e.id()).encode(e));
        for (int i = 0; i < group.size(); i++) {
          group.get(i).result().complete(results.get(i));
        }
        return;
      } catch (RuntimeException e) {
        // One event may be what failed (a subject too long for its column, an encoder that
        // throws): store each alone so that only its own caller sees the failure.
      }
    }
    for (Pending p : group) {
      try {
        p.result().complete(publishAll(List.of(p.event()), p.encoder()).get(0));
      } catch (Throwable e) {
        // Every caller of the group waits on its result: none may be left without one.
        p.result().completeExceptionally(e);
      }
    }
  }

  /**
   * Stores the events and their deliveries in one transaction: one de-duplication query per tenant,
   * one sequence statement, and the inserts as JDBC batches, so a batch of hundreds costs a few
   * round trips and one commit.
   */
  List<PublishResult> publishAll(List<PreparedEvent> prepared, EnvelopeEncoder encoder) {
    if (prepared.isEmpty()) {
      return List.of();
    }
    for (int attempt = 1; ; attempt++) {
      try {
        Batch batch =
            Jdbc.inTransaction(dataSource, "publish", c -> publishOnce(c, prepared, encoder));
        if (batch.newDeliveries) {
          signal.newWork();
        }
        return batch.results;
      } catch (StoreException e) {
        // A concurrent publish with the same key (or the first use of a subject on H2) won the
        // unique index: run again, and the next round finds the original event. Two batches that
        // wait on each other's keys are a deadlock PostgreSQL breaks by failing one: run it again.
        if (!(Jdbc.isUniqueViolation(e) || Jdbc.isDeadlock(e)) || attempt >= PUBLISH_TRIES) {
          throw e;
        }
        // On H2 the winner may not have committed yet; give it a moment.
        if (!postgres) {
          pause(attempt);
        }
      }
    }
  }

  private record Batch(List<PublishResult> results, boolean newDeliveries) {}

  private record DedupKey(String tenantId, String key) implements Comparable<DedupKey> {
    @Override
    public int compareTo(DedupKey o) {
      int byTenant = tenantId.compareTo(o.tenantId);
      return byTenant != 0 ? byTenant : key.compareTo(o.key);
    }
  }

  private record SubjectKey(String tenantId, String subject) implements Comparable<SubjectKey> {
    @Override
    public int compareTo(SubjectKey o) {
      int byTenant = tenantId.compareTo(o.tenantId);
      return byTenant != 0 ? byTenant : subject.compareTo(o.subject);
    }
  }

  private record Stored(String id, OffsetDateTime createdAt) {}

  private static void pause(int attempt) {
    try {
      Thread.sleep(Math.min(50, 2L * attempt));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("publish interrupted", e);
    }
  }

  private Batch publishOnce(Connection c, List<PreparedEvent> prepared, EnvelopeEncoder encoder)
      throws SQLException {
    OffsetDateTime now = utc(clock.instant());
    Map<DedupKey, Stored> existing = findByDedupKey(c, prepared);

    // Decide, in the caller's order, which events are new and which repeat an earlier one.
    PublishResult[] results = new PublishResult[prepared.size()];
    Map<DedupKey, String> acceptedIds = new HashMap<>();
    List<String> expired = new ArrayList<>();
    TreeMap<DedupKey, PreparedEvent> accepted = new TreeMap<>();
    for (int i = 0; i < prepared.size(); i++) {
      Event event = prepared.get(i).event();
      DedupKey key = new DedupKey(event.tenantId(), event.idempotencyKey());
      String earlier = acceptedIds.get(key);
      if (earlier != null) {
        results[i] = new PublishResult(earlier, true);
        continue;
      }
      Stored original = existing.get(key);
      if (original != null) {
        if (original.createdAt().isAfter(now.minus(prepared.get(i).dedupWindow()))) {
          results[i] = new PublishResult(original.id(), true);
          continue;
        }
        // Outside the window: the old event keeps its key but no longer de-duplicates.
        expired.add(original.id());
      }
      acceptedIds.put(key, event.id());
      accepted.put(key, prepared.get(i));
      results[i] = new PublishResult(event.id(), false);
    }
    if (!expired.isEmpty()) {
      try (PreparedStatement release =
          c.prepareStatement("UPDATE events SET dedup_key = NULL WHERE id = ?")) {
        for (String id : sorted(expired)) {
          release.setString(1, id);
          release.addBatch();
        }
        release.executeBatch();
      }
    }
    if (accepted.isEmpty()) {
      return new Batch(List.of(results), false);
    }

    // Sequences: one increment per subject by the number of its events, in key order so that
    // concurrent batches lock the sequence rows in the same order.
    TreeMap<SubjectKey, Long> counts = new TreeMap<>();
    for (PreparedEvent p : accepted.values()) {
      counts.merge(subjectOf(p.event()), 1L, Long::sum);
    }
    Map<SubjectKey, Long> next = reserveSequences(c, counts);
    // Within a subject, sequences follow the caller's order.
    Map<String, Long> sequences = new HashMap<>();
    for (PreparedEvent p : prepared) {
      Event event = p.event();
      if (event.id().equals(acceptedIds.get(new DedupKey(event.tenantId(), event.idempotencyKey())))
          && !sequences.containsKey(event.id())) {
        sequences.put(event.id(), next.merge(subjectOf(event), 1L, Long::sum) - 1);
      }
    }

    boolean newDeliveries = false;
    // Rows go in key order too: two batches inserting the same keys wait for each other in one
    // order, never in a cycle.
    try (PreparedStatement events =
            c.prepareStatement(
                "INSERT INTO events (id, tenant_id, type, idempotency_key, dedup_key, subject,"
                    + " sequence, priority, created_at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,"
                    + " ?)");
        PreparedStatement deliveries =
            c.prepareStatement(
                "INSERT INTO deliveries (id, event_id, tenant_id, endpoint_id, transport, status,"
                    + " priority, attempts, next_attempt_at, created_at, updated_at)"
                    + " VALUES (?, ?, ?, ?, ?, 'pending', ?, 0, ?, ?, ?)")) {
      for (PreparedEvent p : accepted.values()) {
        Event event = p.event();
        long sequence = sequences.get(event.id());
        byte[] body = encoder.encode(event.withSequence(sequence));
        OffsetDateTime createdAt = utc(event.timestamp());
        int priority = p.priority().rank();
        events.setString(1, event.id());
        events.setString(2, event.tenantId());
        events.setString(3, event.type());
        events.setString(4, event.idempotencyKey());
        events.setString(5, event.idempotencyKey());
        events.setString(6, event.subject());
        events.setLong(7, sequence);
        events.setInt(8, priority);
        setTime(events, 9, createdAt);
        events.setBytes(10, body);
        events.addBatch();
        for (DeliveryTarget target : p.targets()) {
          deliveries.setString(1, ids.next(Ids.DELIVERY));
          deliveries.setString(2, event.id());
          deliveries.setString(3, event.tenantId());
          deliveries.setString(4, target.endpointId());
          deliveries.setString(5, target.transport());
          deliveries.setInt(6, priority);
          setTime(deliveries, 7, now);
          setTime(deliveries, 8, createdAt);
          setTime(deliveries, 9, now);
          deliveries.addBatch();
          newDeliveries = true;
        }
      }
      events.executeBatch();
      if (newDeliveries) {
        deliveries.executeBatch();
      }
    }
    return new Batch(List.of(results), newDeliveries);
  }

  private static SubjectKey subjectOf(Event event) {
    return new SubjectKey(event.tenantId(), event.subject() == null ? "" : event.subject());
  }

  /** The stored events holding the batch's (tenant, key) pairs in their de-duplication column. */
  private static Map<DedupKey, Stored> findByDedupKey(Connection c, List<PreparedEvent> prepared)
      throws SQLException {
    Map<String, List<String>> keysByTenant = new TreeMap<>();
    for (PreparedEvent p : prepared) {
      keysByTenant
          .computeIfAbsent(p.event().tenantId(), t -> new ArrayList<>())
          .add(p.event().idempotencyKey());
    }
    Map<DedupKey, Stored> found = new HashMap<>();
    for (Map.Entry<String, List<String>> tenant : keysByTenant.entrySet()) {
      for (List<String> chunk : Jdbc.chunks(sorted(tenant.getValue()), IN_LIST)) {
        try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT dedup_key, id, created_at FROM events WHERE tenant_id = ? AND dedup_key"
                    + (chunk.size() == 1 ? " = ?" : " IN (" + placeholders(chunk.size()) + ")"))) {
          ps.setString(1, tenant.getKey());
          int i = 2;
          for (String key : chunk) {
            ps.setString(i++, key);
          }
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              found.put(
                  new DedupKey(tenant.getKey(), rs.getString(1)),
                  new Stored(rs.getString(2), rs.getObject(3, OffsetDateTime.class)));
            }
          }
        }
      }
    }
    return found;
  }

  /**
   * Adds each subject's count to its sequence row and returns, per subject, the first value
   * reserved for this batch.
   */
  private Map<SubjectKey, Long> reserveSequences(Connection c, TreeMap<SubjectKey, Long> counts)
      throws SQLException {
    Map<SubjectKey, Long> first = new HashMap<>();
    if (postgres) {
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
    // H2: the update locks the row until commit; a concurrent first insert fails on the primary
    // key and the whole publish runs again.
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

  boolean addDelivery(String tenantId, String eventId, DeliveryTarget target) {
    boolean added =
        Jdbc.inTransaction(
            dataSource, "addDelivery", c -> addedDeliveries.add(c, tenantId, eventId, target));
    if (added) {
      signal.newWork();
    }
    return added;
  }

  // ------------------------------------------------------------------------------------ claim

  // ----------------------------------------------------------------------------------- record

  /** Endpoint health from one batch: the latest success and the first failure after it. */
  private static final class Health {
    Instant lastSuccess;
    Instant firstFailureAfterSuccess;

    void success(Instant at) {
      if (lastSuccess == null || at.isAfter(lastSuccess)) {
        lastSuccess = at;
        if (firstFailureAfterSuccess != null && !firstFailureAfterSuccess.isAfter(at)) {
          firstFailureAfterSuccess = null;
        }
      }
    }

    void failure(Instant at) {
      if ((lastSuccess == null || at.isAfter(lastSuccess))
          && (firstFailureAfterSuccess == null || at.isBefore(firstFailureAfterSuccess))) {
        firstFailureAfterSuccess = at;
      }
    }
  }

  private record Owned(String endpointId, int attempts) {}

  /** Returns how many results were ignored because {@code owner} no longer held the lease. */
  int record(String owner, List<DeliveryResult> results) {
    if (results.isEmpty()) {
      return 0;
    }
    OffsetDateTime now = utc(clock.instant());
    int ignored =
        Jdbc.inTransaction(
            dataSource,
            "record",
            c -> {
              if (postgres) {
                Jdbc.commitWithoutWaitingForFlush(c);
              }
              Map<String, DeliveryResult> byId = new TreeMap<>();
              for (DeliveryResult r : results) {
                byId.putIfAbsent(r.deliveryId(), r);
              }
              Map<String, Owned> owned = lockOwned(c, owner, new ArrayList<>(byId.keySet()));
              Map<String, Health> health = new TreeMap<>();
              try (PreparedStatement attempt =
                      c.prepareStatement(
                          "INSERT INTO attempts (delivery_id, number, started_at, duration_ms,"
                              + " status_code, response_excerpt, error_type, error_message)"
                              + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
                  PreparedStatement withAttempt =
                      c.prepareStatement(
                          "UPDATE deliveries SET status = ?, next_attempt_at = ?, dead_reason = ?,"
                              + " attempts = attempts + 1, last_status_code = ?, last_error = ?,"
                              + " lease_owner = NULL, lease_until = NULL, updated_at = ?"
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
                    deadReason =
                        Jdbc.truncate(((DeliveryResult.Dead) result.next()).reason(), 1000);
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
                  String error = lastError(a);
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
                  withAttempt.setString(5, error);
                  setTime(withAttempt, 6, now);
                  withAttempt.setString(7, entry.getKey());
                  withAttempt.addBatch();
                  if (delivery.endpointId() != null) {
                    Health h = health.computeIfAbsent(delivery.endpointId(), k -> new Health());
                    if (result.next() instanceof DeliveryResult.Succeeded) {
                      h.success(a.startedAt());
                    } else {
                      h.failure(a.startedAt());
                    }
                  }
                }
                attempt.executeBatch();
                withAttempt.executeBatch();
                withoutAttempt.executeBatch();
              }
              updateHealth(c, health);
              return results.size() - owned.size();
            });
    if (ignored > 0) {
      LOG.log(
          System.Logger.Level.INFO,
          "ignored {0} of {1} results recorded by {2}: lease lost (expired and claimed again,"
              + " or released)",
          ignored,
          results.size(),
          owner);
    }
    return ignored;
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
              "SELECT id, endpoint_id, attempts FROM deliveries WHERE id IN ("
                  + placeholders(chunk.size())
                  + ") AND status = 'in_flight' AND lease_owner = ? ORDER BY id FOR UPDATE")) {
        int i = 1;
        for (String id : chunk) {
          ps.setString(i++, id);
        }
        ps.setString(i, owner);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            owned.put(rs.getString(1), new Owned(rs.getString(2), rs.getInt(3)));
          }
        }
      }
    }
    return owned;
  }

  private static void updateHealth(Connection c, Map<String, Health> health) throws SQLException {
    if (health.isEmpty()) {
      return;
    }
    try (PreparedStatement ok =
            c.prepareStatement(
                "UPDATE endpoints SET last_success_at = ?, failing_since = ? WHERE id = ?");
        PreparedStatement failing =
            c.prepareStatement(
                "UPDATE endpoints SET failing_since = COALESCE(failing_since, ?) WHERE id = ?")) {
      // TreeMap order: endpoints are locked in id order, so concurrent batches cannot deadlock.
      for (Map.Entry<String, Health> e : health.entrySet()) {
        Health h = e.getValue();
        if (h.lastSuccess != null) {
          setTime(ok, 1, utc(h.lastSuccess));
          setTime(ok, 2, utc(h.firstFailureAfterSuccess));
          ok.setString(3, e.getKey());
          ok.addBatch();
        } else {
          setTime(failing, 1, utc(h.firstFailureAfterSuccess));
          failing.setString(2, e.getKey());
          failing.addBatch();
        }
      }
      ok.executeBatch();
      failing.executeBatch();
    }
  }

  // ---------------------------------------------------------------------------- renew, release

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
          if (postgres) {
            Jdbc.commitWithoutWaitingForFlush(c);
          }
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
