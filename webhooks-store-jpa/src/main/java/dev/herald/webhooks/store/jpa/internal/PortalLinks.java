package dev.herald.webhooks.store.jpa.internal;

import static dev.herald.webhooks.store.jpa.internal.Jdbc.instant;
import static dev.herald.webhooks.store.jpa.internal.Jdbc.setTime;
import static dev.herald.webhooks.store.jpa.internal.Jdbc.utc;

import dev.herald.webhooks.core.ids.Ids;
import dev.herald.webhooks.spi.ApiKeyStore.PortalLinkInfo;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Portal link rows, with plain JDBC: the hash is the lookup key, every listing is per tenant. */
final class PortalLinks {
  static final String ID_PREFIX = "prt_";
  private static final String COLUMNS = "id, tenant_id, created_at, expires_at";

  private final DataSource dataSource;
  private final Ids ids;

  PortalLinks(DataSource dataSource, Clock clock) {
    this.dataSource = dataSource;
    this.ids = new Ids(clock);
  }

  Optional<PortalLinkInfo> save(
      String tenantId, String tokenHash, Instant now, Instant expiresAt, int maxLive) {
    PortalLinkInfo link = new PortalLinkInfo(ids.next(ID_PREFIX), tenantId, now, expiresAt);
    return Jdbc.inTransaction(
        dataSource,
        "issue portal link",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM portal_links WHERE expires_at <= ?")) {
            setTime(ps, 1, utc(now));
            ps.executeUpdate();
          }
          try (PreparedStatement ps =
              c.prepareStatement("SELECT COUNT(*) FROM portal_links WHERE tenant_id = ?")) {
            ps.setString(1, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              if (rs.getLong(1) >= maxLive) {
                return Optional.<PortalLinkInfo>empty();
              }
            }
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO portal_links ("
                      + COLUMNS
                      + ", token_hash) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, link.id());
            ps.setString(2, tenantId);
            setTime(ps, 3, utc(link.createdAt()));
            setTime(ps, 4, utc(expiresAt));
            ps.setString(5, tokenHash);
            ps.executeUpdate();
          }
          return Optional.of(link);
        });
  }

  /** Runs on every request of a portal session: one query, without an EntityManager. */
  Optional<PortalLinkInfo> findByHash(String tokenHash) {
    return Jdbc.autoCommit(
        dataSource,
        "find portal link",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT " + COLUMNS + " FROM portal_links WHERE token_hash = ?")) {
            ps.setString(1, tokenHash);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(link(rs)) : Optional.empty();
            }
          }
        });
  }

  List<PortalLinkInfo> list(String tenantId, Instant now) {
    return Jdbc.autoCommit(
        dataSource,
        "list portal links",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM portal_links WHERE tenant_id = ? AND expires_at > ?"
                      + " ORDER BY created_at, id")) {
            ps.setString(1, tenantId);
            setTime(ps, 2, utc(now));
            List<PortalLinkInfo> links = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                links.add(link(rs));
              }
            }
            return links;
          }
        });
  }

  boolean revoke(String tenantId, String linkId) {
    return Jdbc.autoCommit(
        dataSource,
        "revoke portal link",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM portal_links WHERE id = ? AND tenant_id = ?")) {
            ps.setString(1, linkId);
            ps.setString(2, tenantId);
            return ps.executeUpdate() > 0;
          }
        });
  }

  private static PortalLinkInfo link(ResultSet rs) throws SQLException {
    return new PortalLinkInfo(
        rs.getString(1),
        rs.getString(2),
        instant(rs.getObject(3, OffsetDateTime.class)),
        instant(rs.getObject(4, OffsetDateTime.class)));
  }
}
