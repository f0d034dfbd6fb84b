package dev.herald.webhooks.store.jpa.internal;

import static dev.herald.webhooks.store.jpa.internal.Jdbc.placeholders;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Stored events by the idempotency keys their de-duplication column still holds. */
final class DedupKeys {
  private static final int IN_LIST = 500;

  private DedupKeys() {}

  /** A tenant's idempotency key. */
  record DedupKey(String tenantId, String key) implements Comparable<DedupKey> {
    @Override
    public int compareTo(DedupKey o) {
      int byTenant = tenantId.compareTo(o.tenantId);
      return byTenant != 0 ? byTenant : key.compareTo(o.key);
    }
  }

  /** The stored event holding a key. */
  record Holder(String id, OffsetDateTime createdAt) {}

  /** The stored events holding any of {@code keys}, one query per tenant and 500 keys. */
  static Map<DedupKey, Holder> find(Connection c, Collection<DedupKey> keys) throws SQLException {
    Map<String, List<String>> keysByTenant = new TreeMap<>();
    for (DedupKey key : keys) {
      keysByTenant.computeIfAbsent(key.tenantId(), t -> new ArrayList<>()).add(key.key());
    }
    Map<DedupKey, Holder> found = new HashMap<>();
    for (Map.Entry<String, List<String>> tenant : keysByTenant.entrySet()) {
      List<String> sorted = tenant.getValue().stream().distinct().sorted().toList();
      for (List<String> chunk : Jdbc.chunks(sorted, IN_LIST)) {
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
                  new Holder(rs.getString(2), rs.getObject(3, OffsetDateTime.class)));
            }
          }
        }
      }
    }
    return found;
  }
}
