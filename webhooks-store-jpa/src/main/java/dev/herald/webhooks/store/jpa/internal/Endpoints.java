package dev.herald.webhooks.store.jpa.internal;

import static dev.herald.webhooks.store.jpa.internal.Jdbc.instant;
import static dev.herald.webhooks.store.jpa.internal.Jdbc.utc;

import dev.herald.webhooks.api.SignatureProfile;
import dev.herald.webhooks.core.ids.Ids;
import dev.herald.webhooks.spi.BatchPolicy;
import dev.herald.webhooks.spi.CircuitState;
import dev.herald.webhooks.spi.Endpoint;
import dev.herald.webhooks.spi.EndpointFormat;
import dev.herald.webhooks.spi.EndpointStore;
import dev.herald.webhooks.spi.NewEndpoint;
import dev.herald.webhooks.spi.Ordering;
import dev.herald.webhooks.spi.Page;
import dev.herald.webhooks.spi.SigningSecret;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.TypedQuery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Endpoint CRUD with JPA. The active endpoints of a tenant are read on every publish, so they are
 * cached for one second and dropped on every write made through this store.
 */
final class Endpoints {
  private static final long CACHE_NANOS = 1_000_000_000L;

  private record Cached(List<Endpoint> endpoints, long loadedAt) {}

  private final Jpa jpa;
  private final SecretCipher cipher;
  private final Clock clock;
  private final Ids ids;
  private final Map<String, Cached> active = new ConcurrentHashMap<>();

  Endpoints(Jpa jpa, SecretCipher cipher, Clock clock) {
    this.jpa = jpa;
    this.cipher = cipher;
    this.clock = clock;
    this.ids = new Ids(clock);
  }

  Endpoint create(NewEndpoint spec) {
    if (spec.maxInFlight() < 1) {
      throw new IllegalArgumentException("maxInFlight must be >= 1, was " + spec.maxInFlight());
    }
    EndpointEntity e = new EndpointEntity();
    e.id = ids.next(Ids.ENDPOINT);
    e.tenantId = spec.tenantId();
    e.url = spec.url();
    e.transport = spec.transport();
    e.eventTypes = EndpointCodec.eventTypes(spec.eventTypes());
    e.signatureProfile = spec.signatureProfile().name();
    e.headerPrefix = spec.headerPrefix();
    e.description = spec.description();
    e.customHeaders = EndpointCodec.headers(spec.customHeaders());
    e.retryDelays = EndpointCodec.delays(spec.retryDelays());
    e.maxInFlight = spec.maxInFlight();
    e.rateLimitPerSecond = spec.rateLimitPerSecond();
    e.filter = spec.filter();
    e.ordering = spec.ordering().wireName();
    e.format = spec.format().wireName();
    setBatch(e, spec.batch());
    // An endpoint asking for a handshake gets nothing until its validation allows Herald.
    e.handshake = spec.handshake();
    e.active = !spec.handshake();
    e.disabledReason = spec.handshake() ? Endpoint.PENDING_VALIDATION : null;
    e.createdAt = utc(clock.instant());
    e.secrets = seal(e.id, List.of(new SigningSecret(spec.secret(), null)));
    jpa.inTransaction(
        "create endpoint",
        em -> {
          em.persist(e);
          // Claims lock this row to keep the endpoint's limits across processes.
          CircuitStateEntity gate = new CircuitStateEntity();
          gate.endpointId = e.id;
          gate.status = CircuitState.Status.CLOSED.name();
          em.persist(gate);
          return null;
        });
    active.remove(spec.tenantId());
    return toEndpoint(e);
  }

  Optional<Endpoint> find(String tenantId, String endpointId) {
    return jpa.read("find endpoint", em -> entity(em, tenantId, endpointId, false))
        .map(this::toEndpoint);
  }

  List<Endpoint> activeEndpoints(String tenantId) {
    long now = System.nanoTime();
    Cached cached = active.get(tenantId);
    if (cached != null && now - cached.loadedAt() < CACHE_NANOS) {
      return cached.endpoints();
    }
    List<Endpoint> loaded =
        jpa.read(
            "active endpoints",
            em ->
                em
                    .createQuery(
                        "SELECT e FROM EndpointEntity e WHERE e.tenantId = :t AND e.active = true"
                            + " ORDER BY e.createdAt, e.id",
                        EndpointEntity.class)
                    .setParameter("t", tenantId)
                    .getResultList()
                    .stream()
                    .map(this::toEndpoint)
                    .toList());
    active.put(tenantId, new Cached(loaded, now));
    return loaded;
  }

  Page<Endpoint> list(String tenantId, String cursor, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, was " + limit);
    }
    Cursor after = cursor == null ? null : Cursor.decode(cursor);
    List<EndpointEntity> rows =
        jpa.read(
            "list endpoints",
            em -> {
              TypedQuery<EndpointEntity> q =
                  em.createQuery(
                      "SELECT e FROM EndpointEntity e WHERE e.tenantId = :t"
                          + (after == null
                              ? ""
                              : " AND (e.createdAt < :c OR (e.createdAt = :c AND e.id < :id))")
                          + " ORDER BY e.createdAt DESC, e.id DESC",
                      EndpointEntity.class);
              q.setParameter("t", tenantId);
              if (after != null) {
                q.setParameter("c", after.createdAt());
                q.setParameter("id", after.id());
              }
              return q.setMaxResults(limit + 1).getResultList();
            });
    List<Endpoint> items = new ArrayList<>();
    for (int i = 0; i < Math.min(limit, rows.size()); i++) {
      items.add(toEndpoint(rows.get(i)));
    }
    String next = null;
    if (rows.size() > limit) {
      EndpointEntity last = rows.get(limit - 1);
      next = new Cursor(last.createdAt, last.id).encode();
    }
    return new Page<>(items, next);
  }

  /** Reads the tenant's active endpoints again at its next publish. */
  void forgetActive(String tenantId) {
    active.remove(tenantId);
  }

  void disable(String tenantId, String endpointId, String reason) {
    jpa.inTransaction(
        "disable endpoint",
        em ->
            em.createQuery(
                    "UPDATE EndpointEntity e SET e.active = false, e.disabledReason = :r"
                        + " WHERE e.tenantId = :t AND e.id = :id")
                .setParameter("r", Jdbc.truncate(reason, 1000))
                .setParameter("t", tenantId)
                .setParameter("id", endpointId)
                .executeUpdate());
    active.remove(tenantId);
  }

  Optional<Endpoint> update(
      String tenantId, String endpointId, EndpointStore.EndpointChanges changes) {
    Optional<EndpointEntity> updated =
        jpa.inTransaction(
            "update endpoint",
            em -> {
              Optional<EndpointEntity> found = entity(em, tenantId, endpointId, true);
              found.ifPresent(
                  e -> {
                    if (changes.url() != null) {
                      e.url = changes.url();
                    }
                    if (changes.eventTypes() != null) {
                      e.eventTypes = EndpointCodec.eventTypes(changes.eventTypes());
                    }
                    if (changes.signatureProfile() != null) {
                      e.signatureProfile = changes.signatureProfile().name();
                    }
                    if (changes.headerPrefix() != null) {
                      e.headerPrefix = changes.headerPrefix();
                    }
                    if (changes.description() != null) {
                      e.description = changes.description();
                    }
                    if (changes.customHeaders() != null) {
                      e.customHeaders = EndpointCodec.headers(changes.customHeaders());
                    }
                    if (changes.retryDelays() != null) {
                      e.retryDelays = EndpointCodec.delays(changes.retryDelays().orElse(null));
                    }
                    if (changes.maxInFlight() != null) {
                      if (changes.maxInFlight() < 1) {
                        throw new IllegalArgumentException(
                            "maxInFlight must be >= 1, was " + changes.maxInFlight());
                      }
                      e.maxInFlight = changes.maxInFlight();
                    }
                    if (changes.filter() != null) {
                      e.filter = changes.filter().orElse(null);
                    }
                    if (changes.rateLimitPerSecond() != null) {
                      e.rateLimitPerSecond = changes.rateLimitPerSecond().orElse(null);
                    }
                    if (changes.batch() != null) {
                      setBatch(e, changes.batch().orElse(null));
                    }
                    if (changes.format() != null) {
                      e.format = changes.format().wireName();
                    }
                    if (changes.ordering() != null) {
                      if (changes.ordering() == Ordering.NONE
                          && !Ordering.NONE.wireName().equals(e.ordering)) {
                        OrderedDeliveries.releaseAll(em, e.id, clock.instant());
                      }
                      e.ordering = changes.ordering().wireName();
                    }
                  });
              return found;
            });
    active.remove(tenantId);
    return updated.map(this::toEndpoint);
  }

  boolean enable(String tenantId, String endpointId) {
    int n =
        jpa.inTransaction(
            "enable endpoint",
            em ->
                em.createQuery(
                        "UPDATE EndpointEntity e SET e.active = true, e.disabledReason = NULL"
                            + " WHERE e.tenantId = :t AND e.id = :id")
                    .setParameter("t", tenantId)
                    .setParameter("id", endpointId)
                    .executeUpdate());
    active.remove(tenantId);
    return n == 1;
  }

  Optional<Endpoint> rotateSecret(
      String tenantId, String endpointId, String newSecret, Instant previousExpiresAt) {
    Instant now = clock.instant();
    Optional<EndpointEntity> rotated =
        jpa.inTransaction(
            "rotate secret",
            em -> {
              Optional<EndpointEntity> found = entity(em, tenantId, endpointId, true);
              found.ifPresent(
                  e -> {
                    List<SigningSecret> next = new ArrayList<>();
                    next.add(new SigningSecret(newSecret, null));
                    for (SigningSecret s : open(e.id, e.secrets)) {
                      if (s.expiresAt() == null) {
                        next.add(new SigningSecret(s.value(), previousExpiresAt));
                      } else if (s.activeAt(now)) {
                        next.add(s);
                      }
                    }
                    next.removeIf(s -> !s.activeAt(now));
                    e.secrets = seal(e.id, next);
                  });
              return found;
            });
    active.remove(tenantId);
    return rotated.map(this::toEndpoint);
  }

  boolean delete(String tenantId, String endpointId) {
    OffsetDateTime now = utc(clock.instant());
    boolean deleted =
        jpa.inTransaction(
            "delete endpoint",
            em -> {
              int n =
                  em.createQuery(
                          "DELETE FROM EndpointEntity e WHERE e.tenantId = :t AND e.id = :id")
                      .setParameter("t", tenantId)
                      .setParameter("id", endpointId)
                      .executeUpdate();
              if (n == 0) {
                return false;
              }
              // In-flight ones too: a worker's later result for them is ignored as a lost lease.
              em.createQuery(
                      "UPDATE DeliveryEntity d SET d.status = 'dead',"
                          + " d.deadReason = 'endpoint deleted', d.nextAttemptAt = NULL,"
                          + " d.leaseOwner = NULL, d.leaseUntil = NULL, d.updatedAt = :now"
                          + " WHERE d.tenantId = :t AND d.endpointId = :id"
                          + " AND d.status IN ('pending', 'in_flight')")
                  .setParameter("now", now)
                  .setParameter("t", tenantId)
                  .setParameter("id", endpointId)
                  .executeUpdate();
              em.createQuery("DELETE FROM CircuitStateEntity c WHERE c.endpointId = :id")
                  .setParameter("id", endpointId)
                  .executeUpdate();
              return true;
            });
    active.remove(tenantId);
    return deleted;
  }

  void forgetTenant(String tenantId) {
    active.remove(tenantId);
  }

  private static Optional<EndpointEntity> entity(
      EntityManager em, String tenantId, String endpointId, boolean lock) {
    EndpointEntity e =
        lock
            ? em.find(EndpointEntity.class, endpointId, LockModeType.PESSIMISTIC_WRITE)
            : em.find(EndpointEntity.class, endpointId);
    return e != null && e.tenantId.equals(tenantId) ? Optional.of(e) : Optional.empty();
  }

  private byte[] seal(String endpointId, List<SigningSecret> secrets) {
    return cipher.encrypt(EndpointCodec.secrets(secrets), aad(endpointId));
  }

  private List<SigningSecret> open(String endpointId, byte[] sealed) {
    return EndpointCodec.secrets(cipher.decrypt(sealed, aad(endpointId)));
  }

  private static String aad(String endpointId) {
    return "endpoint:" + endpointId;
  }

  private Endpoint toEndpoint(EndpointEntity e) {
    Instant now = clock.instant();
    List<SigningSecret> secrets =
        open(e.id, e.secrets).stream().filter(s -> s.activeAt(now)).toList();
    return new Endpoint(
        e.id,
        e.tenantId,
        e.url,
        e.transport,
        EndpointCodec.eventTypes(e.eventTypes),
        SignatureProfile.valueOf(e.signatureProfile),
        e.headerPrefix,
        secrets,
        EndpointCodec.headers(e.customHeaders),
        EndpointCodec.delays(e.retryDelays),
        e.maxInFlight,
        e.rateLimitPerSecond,
        e.active,
        e.disabledReason,
        instant(e.failingSince),
        e.description,
        instant(e.lastSuccessAt),
        instant(e.createdAt),
        e.filter,
        Ordering.fromWireName(e.ordering),
        e.batchMaxEvents == null
            ? null
            : new BatchPolicy(e.batchMaxEvents, Duration.ofMillis(e.batchMaxWaitMs)),
        EndpointFormat.fromWireName(e.format),
        e.handshake);
  }

  private static void setBatch(EndpointEntity e, BatchPolicy batch) {
    e.batchMaxEvents = batch == null ? null : batch.maxEvents();
    e.batchMaxWaitMs = batch == null ? null : (int) batch.maxWait().toMillis();
  }
}
