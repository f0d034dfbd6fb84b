package dev.herald.webhooks.store.jpa.internal;

import static dev.herald.webhooks.store.jpa.internal.Jdbc.instant;

import dev.herald.webhooks.spi.AttemptRecord;
import dev.herald.webhooks.spi.DeliveryStatus;
import dev.herald.webhooks.spi.DeliveryTarget;
import dev.herald.webhooks.spi.DeliveryView;
import dev.herald.webhooks.spi.Page;
import jakarta.persistence.TypedQuery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Delivery history through JPA queries, always scoped by tenant. */
final class History {
  private final Jpa jpa;

  History(Jpa jpa) {
    this.jpa = jpa;
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

  Page<DeliveryView> deliveriesOfEndpoint(
      String tenantId, String endpointId, DeliveryStatus status, String cursor, int limit) {
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
                          + " WHERE e.id = d.eventId AND d.tenantId = :t AND d.endpointId = :ep"
                          + (status == null ? "" : " AND d.status = :s")
                          + (after == null
                              ? ""
                              : " AND (d.createdAt < :c OR (d.createdAt = :c AND d.id < :id))")
                          + " ORDER BY d.createdAt DESC, d.id DESC",
                      Object[].class);
              q.setParameter("t", tenantId).setParameter("ep", endpointId);
              if (status != null) {
                q.setParameter("s", status.wireName());
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

  List<AttemptRecord> attempts(String tenantId, String deliveryId) {
    return jpa.read(
        "attempts",
        em ->
            em
                .createQuery(
                    "SELECT a FROM AttemptEntity a, DeliveryEntity d"
                        + " WHERE d.id = a.deliveryId AND d.tenantId = :t AND a.deliveryId = :id"
                        + " ORDER BY a.number",
                    AttemptEntity.class)
                .setParameter("t", tenantId)
                .setParameter("id", deliveryId)
                .getResultList()
                .stream()
                .map(
                    a ->
                        new AttemptRecord(
                            a.number,
                            instant(a.startedAt),
                            Duration.ofMillis(a.durationMs),
                            a.statusCode,
                            a.responseExcerpt,
                            a.errorType,
                            a.errorMessage))
                .toList());
  }

  private static DeliveryView view(Object[] row) {
    DeliveryEntity d = (DeliveryEntity) row[0];
    DeliveryStatus status = DeliveryStatus.fromWireName(d.status);
    boolean finished = status == DeliveryStatus.SUCCEEDED || status == DeliveryStatus.DEAD;
    return new DeliveryView(
        d.id,
        d.eventId,
        (String) row[1],
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
