package dev.herald.webhooks.store.jpa.internal;

import static dev.herald.webhooks.store.jpa.internal.Jdbc.setTime;
import static dev.herald.webhooks.store.jpa.internal.Jdbc.utc;

import dev.herald.webhooks.api.Event;
import dev.herald.webhooks.api.PublishResult;
import dev.herald.webhooks.core.ids.Ids;
import dev.herald.webhooks.spi.BatchPolicy;
import dev.herald.webhooks.spi.DeliveryTarget;
import dev.herald.webhooks.spi.Endpoint;
import dev.herald.webhooks.spi.EnvelopeEncoder;
import dev.herald.webhooks.spi.Ordering;
import dev.herald.webhooks.spi.PreparedEvent;
import dev.herald.webhooks.store.jpa.StoreException;
import dev.herald.webhooks.store.jpa.internal.DedupKeys.DedupKey;
import dev.herald.webhooks.store.jpa.internal.DedupKeys.Holder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * Stores published events with their deliveries: de-duplication by idempotency key, a sequence per
 * subject, and concurrent single publishes committed together ({@link GroupCommit}).
 */
final class Publishing {
  private static final int PUBLISH_TRIES = 50;

  private record Pending(PreparedEvent event, EnvelopeEncoder encoder) {}

  private final DataSource dataSource;
  private final Dialect dialect;
  private final Clock clock;
  private final Ids ids;
  private final WorkSignal signal;
  private final AddedDeliveries addedDeliveries;
  private final Function<String, List<Endpoint>> activeEndpoints;
  private final GroupCommit<Pending, PublishResult> group = new GroupCommit<>(this::storeGroup);

  Publishing(
      DataSource dataSource,
      Dialect dialect,
      Clock clock,
      WorkSignal signal,
      AddedDeliveries addedDeliveries,
      Function<String, List<Endpoint>> activeEndpoints) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.clock = clock;
    this.ids = new Ids(clock);
    this.signal = signal;
    this.addedDeliveries = addedDeliveries;
    this.activeEndpoints = activeEndpoints;
  }

  /** Stores one event, committed together with those published concurrently. */
  PublishResult publish(PreparedEvent prepared, EnvelopeEncoder encoder) {
    return group.submit(new Pending(prepared, encoder));
  }

  private List<PublishResult> storeGroup(List<Pending> pending) {
    Map<String, EnvelopeEncoder> encoders = new HashMap<>();
    for (Pending p : pending) {
      encoders.put(p.event().event().id(), p.encoder());
    }
    return publishAll(
        pending.stream().map(Pending::event).toList(), e -> encoders.get(e.id()).encode(e));
  }

  /**
   * Stores the events and their deliveries in one transaction: one sequence statement and the
   * inserts as JDBC batches, so a batch of hundreds costs a few round trips and one commit. Where
   * the database can skip a row whose key is held, no query looks for held keys first: a publish
   * that repeats a stored key is rolled back and runs again with that query.
   */
  List<PublishResult> publishAll(List<PreparedEvent> prepared, EnvelopeEncoder encoder) {
    if (prepared.isEmpty()) {
      return List.of();
    }
    Map<String, Endpoint> waiting = orderedOrBatched(prepared);
    for (int attempt = 1; ; attempt++) {
      try {
        Batch batch =
            Jdbc.inTransaction(
                dataSource,
                "publish",
                c -> {
                  if (dialect.skippingHeldKey() != null) {
                    Batch assumingNew = publishOnce(c, prepared, encoder, waiting, true);
                    if (assumingNew != null) {
                      return assumingNew;
                    }
                    c.rollback();
                  }
                  return publishOnce(c, prepared, encoder, waiting, false);
                });
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
        dialect.pauseAfterConflict(attempt);
      }
    }
  }

  private record Batch(List<PublishResult> results, boolean newDeliveries) {}

  /**
   * The target endpoints whose deliveries wait (ordered per subject, or batched), from the tenants'
   * active endpoints as routing read them (cached for a second, dropped on every change), before
   * the transaction: a publish asks the database nothing more for them.
   */
  private Map<String, Endpoint> orderedOrBatched(List<PreparedEvent> prepared) {
    Map<String, Set<String>> targetsByTenant = new HashMap<>();
    for (PreparedEvent p : prepared) {
      for (DeliveryTarget target : p.targets()) {
        if (target.endpointId() != null) {
          targetsByTenant
              .computeIfAbsent(p.event().tenantId(), t -> new HashSet<>())
              .add(target.endpointId());
        }
      }
    }
    Map<String, Endpoint> waiting = new HashMap<>();
    targetsByTenant.forEach(
        (tenant, targets) -> {
          for (Endpoint e : activeEndpoints.apply(tenant)) {
            if (targets.contains(e.id())
                && (e.ordering() == Ordering.SUBJECT || e.batch() != null)) {
              waiting.put(e.id(), e);
            }
          }
        });
    return waiting;
  }

  /**
   * Stores what is new of {@code prepared}. With {@code assumingNew} it does not look for stored
   * events holding the keys first (a round trip that finds nothing in nearly every publish): the
   * insert skips an event whose key is held, and then this returns null and the caller rolls the
   * transaction back, sequences included, and runs again without the assumption.
   */
  private Batch publishOnce(
      Connection c,
      List<PreparedEvent> prepared,
      EnvelopeEncoder encoder,
      Map<String, Endpoint> waiting,
      boolean assumingNew)
      throws SQLException {
    OffsetDateTime now = utc(clock.instant());
    Map<DedupKey, Holder> existing =
        assumingNew
            ? Map.of()
            : DedupKeys.find(c, prepared.stream().map(p -> dedupKeyOf(p.event())).toList());

    // Decide, in the caller's order, which events are new and which repeat an earlier one.
    PublishResult[] results = new PublishResult[prepared.size()];
    Map<DedupKey, String> acceptedIds = new HashMap<>();
    List<String> expired = new ArrayList<>();
    TreeMap<DedupKey, PreparedEvent> accepted = new TreeMap<>();
    for (int i = 0; i < prepared.size(); i++) {
      Event event = prepared.get(i).event();
      DedupKey key = dedupKeyOf(event);
      String earlier = acceptedIds.get(key);
      if (earlier != null) {
        results[i] = new PublishResult(earlier, true);
        continue;
      }
      Holder original = existing.get(key);
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
    Map<SubjectKey, Long> next = dialect.reserveSequences(c, subjectCounts(accepted.values()));
    // Within a subject, sequences follow the caller's order.
    Map<String, Long> sequences = new HashMap<>();
    for (PreparedEvent p : prepared) {
      Event event = p.event();
      if (event.id().equals(acceptedIds.get(dedupKeyOf(event)))
          && !sequences.containsKey(event.id())) {
        sequences.put(event.id(), next.merge(subjectOf(event), 1L, Long::sum) - 1);
      }
    }

    Map<String, BatchPolicy> batched = new HashMap<>();
    waiting.forEach(
        (id, endpoint) -> {
          if (endpoint.batch() != null) {
            batched.put(id, endpoint.batch());
          }
        });
    Map<String, OffsetDateTime> batchDue = BatchWindows.due(c, batched, now);
    List<OrderedDeliveries.Chain> chains = new ArrayList<>();
    boolean newDeliveries = false;
    // Rows go in key order too: two batches inserting the same keys wait for each other in one
    // order, never in a cycle.
    try (PreparedStatement events =
            c.prepareStatement(
                "INSERT INTO events (id, tenant_id, type, idempotency_key, dedup_key, subject,"
                    + " sequence, priority, created_at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + (assumingNew ? dialect.skippingHeldKey() : ""));
        PreparedStatement deliveries =
            c.prepareStatement(
                "INSERT INTO deliveries (id, event_id, tenant_id, endpoint_id, transport, status,"
                    + " priority, attempts, next_attempt_at, created_at, updated_at, order_key,"
                    + " sequence, batched) VALUES (?, ?, ?, ?, ?, 'pending', ?, 0, ?, ?, ?, ?, ?, ?)")) {
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
          Endpoint endpoint = target.endpointId() == null ? null : waiting.get(target.endpointId());
          boolean ordered =
              endpoint != null
                  && endpoint.ordering() == Ordering.SUBJECT
                  && event.subject() != null;
          deliveries.setString(1, ids.next(Ids.DELIVERY));
          deliveries.setString(2, event.id());
          deliveries.setString(3, event.tenantId());
          deliveries.setString(4, target.endpointId());
          deliveries.setString(5, target.transport());
          deliveries.setInt(6, priority);
          // An ordered delivery waits in its chain until released below; a batched one for the
          // others of its batch.
          setTime(deliveries, 7, ordered ? null : batchDue.getOrDefault(target.endpointId(), now));
          setTime(deliveries, 8, createdAt);
          setTime(deliveries, 9, now);
          deliveries.setString(10, ordered ? event.subject() : null);
          deliveries.setLong(11, sequence);
          deliveries.setBoolean(12, batchDue.containsKey(target.endpointId()));
          deliveries.addBatch();
          if (ordered) {
            chains.add(
                new OrderedDeliveries.Chain(
                    event.tenantId(), event.subject(), target.endpointId()));
          }
          newDeliveries = true;
        }
      }
      for (int inserted : events.executeBatch()) {
        if (assumingNew && inserted != 1) {
          return null;
        }
      }
      if (newDeliveries) {
        deliveries.executeBatch();
      }
    }
    // The subjects are locked since their sequences were reserved.
    OrderedDeliveries.releaseHeads(c, dialect, chains, now, false);
    BatchWindows.releaseFull(c, batched, now);
    return new Batch(List.of(results), newDeliveries);
  }

  private static SubjectKey subjectOf(Event event) {
    return new SubjectKey(event.tenantId(), event.subject() == null ? "" : event.subject());
  }

  private static DedupKey dedupKeyOf(Event event) {
    return new DedupKey(event.tenantId(), event.idempotencyKey());
  }

  /** The number of events per subject, in key order so that sequence rows lock in one order. */
  private static TreeMap<SubjectKey, Long> subjectCounts(Collection<PreparedEvent> events) {
    TreeMap<SubjectKey, Long> counts = new TreeMap<>();
    for (PreparedEvent p : events) {
      counts.merge(subjectOf(p.event()), 1L, Long::sum);
    }
    return counts;
  }

  /**
   * Adds a pending delivery of a stored event to {@code target}, unless it has one there.
   *
   * @return whether it was added
   */
  boolean addDelivery(String tenantId, String eventId, DeliveryTarget target) {
    boolean added =
        Jdbc.inTransaction(
            dataSource, "addDelivery", c -> addedDeliveries.add(c, tenantId, eventId, target));
    if (added) {
      signal.newWork();
    }
    return added;
  }

  private static List<String> sorted(Collection<String> ids) {
    return ids.stream().distinct().sorted().toList();
  }
}
