package dev.herald.webhooks.store.jpa.internal;

import static dev.herald.webhooks.store.jpa.internal.Jdbc.instant;
import static dev.herald.webhooks.store.jpa.internal.Jdbc.utc;

import dev.herald.webhooks.core.ids.Ids;
import dev.herald.webhooks.spi.ApiKeyStore.ApiKeyInfo;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** API key rows through JPA: the hash is the lookup key, every listing is scoped by tenant. */
final class ApiKeys {
  static final String ID_PREFIX = "key_";

  private final Jpa jpa;
  private final DataSource dataSource;
  private final Clock clock;
  private final Ids ids;

  ApiKeys(Jpa jpa, DataSource dataSource, Clock clock) {
    this.jpa = jpa;
    this.dataSource = dataSource;
    this.clock = clock;
    this.ids = new Ids(clock);
  }

  ApiKeyInfo save(String tenantId, String description, String keyHash) {
    ApiKeyEntity entity = new ApiKeyEntity();
    entity.id = ids.next(ID_PREFIX);
    entity.tenantId = tenantId;
    entity.description = description;
    entity.keyHash = keyHash;
    entity.createdAt = utc(clock.instant());
    jpa.inTransaction(
        "issue API key",
        em -> {
          em.persist(entity);
          return null;
        });
    return info(entity);
  }

  /** Runs on every API request: one plain JDBC query, without an EntityManager. */
  Optional<ApiKeyInfo> findByHash(String keyHash) {
    return Jdbc.autoCommit(
        dataSource,
        "find API key",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT id, tenant_id, description, created_at, last_used_at FROM api_keys"
                      + " WHERE key_hash = ?")) {
            ps.setString(1, keyHash);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                return Optional.empty();
              }
              return Optional.of(
                  new ApiKeyInfo(
                      rs.getString(1),
                      rs.getString(2),
                      rs.getString(3),
                      instant(rs.getObject(4, OffsetDateTime.class)),
                      instant(rs.getObject(5, OffsetDateTime.class))));
            }
          }
        });
  }

  List<ApiKeyInfo> list(String tenantId) {
    return jpa.read(
        "list API keys",
        em ->
            em
                .createQuery(
                    "SELECT k FROM ApiKeyEntity k WHERE k.tenantId = :t ORDER BY k.createdAt, k.id",
                    ApiKeyEntity.class)
                .setParameter("t", tenantId)
                .getResultList()
                .stream()
                .map(ApiKeys::info)
                .toList());
  }

  boolean revoke(String tenantId, String keyId) {
    return jpa.inTransaction(
            "revoke API key",
            em ->
                em.createQuery("DELETE FROM ApiKeyEntity k WHERE k.id = :id AND k.tenantId = :t")
                    .setParameter("id", keyId)
                    .setParameter("t", tenantId)
                    .executeUpdate())
        > 0;
  }

  void touch(String keyId, Instant now) {
    jpa.inTransaction(
        "touch API key",
        em ->
            em.createQuery("UPDATE ApiKeyEntity k SET k.lastUsedAt = :now WHERE k.id = :id")
                .setParameter("now", utc(now))
                .setParameter("id", keyId)
                .executeUpdate());
  }

  private static ApiKeyInfo info(ApiKeyEntity entity) {
    return new ApiKeyInfo(
        entity.id,
        entity.tenantId,
        entity.description,
        instant(entity.createdAt),
        instant(entity.lastUsedAt));
  }
}
