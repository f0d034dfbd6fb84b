package dev.herald.webhooks.store.jpa.internal;

import static dev.herald.webhooks.store.jpa.internal.Jdbc.instant;
import static dev.herald.webhooks.store.jpa.internal.Jdbc.utc;

import dev.herald.webhooks.spi.CircuitState;
import jakarta.persistence.LockModeType;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/**
 * Circuit states: read-modify-write under a row lock ({@code SELECT ... FOR UPDATE}), so concurrent
 * updates from any process are applied one after the other.
 */
final class Circuits {
  private final Jpa jpa;
  private final DataSource dataSource;

  Circuits(Jpa jpa, DataSource dataSource) {
    this.jpa = jpa;
    this.dataSource = dataSource;
  }

  CircuitState load(String endpointId) {
    return jpa.read(
        "load circuit state",
        em -> {
          CircuitStateEntity e = em.find(CircuitStateEntity.class, endpointId);
          return e == null ? CircuitState.INITIAL : state(e);
        });
  }

  CircuitState update(String endpointId, UnaryOperator<CircuitState> transition) {
    ensureRow(endpointId);
    return jpa.inTransaction(
        "update circuit state",
        em -> {
          CircuitStateEntity e =
              em.find(CircuitStateEntity.class, endpointId, LockModeType.PESSIMISTIC_WRITE);
          if (e == null) {
            // Deleted with its endpoint between ensureRow and the lock: start over from INITIAL.
            e = new CircuitStateEntity();
            e.endpointId = endpointId;
            write(e, CircuitState.INITIAL);
            em.persist(e);
          }
          CircuitState next = transition.apply(state(e));
          write(e, next);
          return next;
        });
  }

  /** Inserts the initial row if absent; losing that race to another process is fine. */
  private void ensureRow(String endpointId) {
    Jdbc.autoCommit(
        dataSource,
        "update circuit state",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO circuit_states (endpoint_id, status, consecutive_failures)"
                      + " SELECT ?, 'CLOSED', 0 WHERE NOT EXISTS"
                      + " (SELECT 1 FROM circuit_states WHERE endpoint_id = ?)")) {
            ps.setString(1, endpointId);
            ps.setString(2, endpointId);
            ps.executeUpdate();
          } catch (SQLException e) {
            if (!Jdbc.UNIQUE_VIOLATION.equals(e.getSQLState())) {
              throw e;
            }
          }
          return null;
        });
  }

  private static CircuitState state(CircuitStateEntity e) {
    return new CircuitState(
        CircuitState.Status.valueOf(e.status), e.consecutiveFailures, instant(e.openedAt));
  }

  private static void write(CircuitStateEntity e, CircuitState s) {
    e.status = s.status().name();
    e.consecutiveFailures = s.consecutiveFailures();
    e.openedAt = s.openedAt() == null ? null : utc(s.openedAt());
  }
}
