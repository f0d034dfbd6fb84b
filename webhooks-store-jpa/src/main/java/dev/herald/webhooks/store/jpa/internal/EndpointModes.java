package dev.herald.webhooks.store.jpa.internal;

import static dev.herald.webhooks.store.jpa.internal.Jdbc.bind;
import static dev.herald.webhooks.store.jpa.internal.Jdbc.placeholders;

import dev.herald.webhooks.spi.BatchPolicy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** How new deliveries to an endpoint wait: ordered per subject, batched, or neither. */
record EndpointModes(boolean ordered, BatchPolicy batch) {
  private static final int IN_LIST = 500;

  /** The modes of those of these endpoints that are ordered or batched; the others are absent. */
  static Map<String, EndpointModes> read(Connection c, Collection<String> endpointIds)
      throws SQLException {
    Map<String, EndpointModes> out = new HashMap<>();
    for (List<String> chunk : Jdbc.chunks(new ArrayList<>(new TreeSet<>(endpointIds)), IN_LIST)) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT id, ordering, batch_max_events, batch_max_wait_ms FROM endpoints WHERE id IN ("
                  + placeholders(chunk.size())
                  + ") AND (ordering <> 'none' OR batch_max_events IS NOT NULL)")) {
        bind(ps, 1, chunk);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            int maxEvents = rs.getInt(3);
            BatchPolicy batch =
                rs.wasNull() ? null : new BatchPolicy(maxEvents, Duration.ofMillis(rs.getInt(4)));
            out.put(rs.getString(1), new EndpointModes("subject".equals(rs.getString(2)), batch));
          }
        }
      }
    }
    return out;
  }
}
