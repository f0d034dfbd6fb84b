package dev.herald.webhooks.store.jpa.internal;

import dev.herald.webhooks.spi.StoreUnavailableException;
import dev.herald.webhooks.store.jpa.StoreException;
import java.lang.System.Logger.Level;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Turns a database failure into a typed store exception, and follows whether the database is
 * reachable: one WARNING when it stops answering, one INFO when it answers again, instead of a
 * stack trace per failed operation. Thread-safe.
 */
public final class StoreFailures {
  private static final System.Logger LOG = System.getLogger(StoreFailures.class.getName());

  /**
   * PostgreSQL's shutdown and start-up states (57P01-57P03), too many connections (53300), and H2's
   * closed database and broken connection; class 08 (connection exceptions) is checked apart.
   */
  private static final Set<String> UNAVAILABLE_STATES =
      Set.of("57P01", "57P02", "57P03", "53300", "90098", "90121", "90067");

  /** When the database was first seen unreachable, or null while it answers. */
  private static final AtomicReference<Instant> DOWN_SINCE = new AtomicReference<>();

  private StoreFailures() {}

  /**
   * The exception to throw for {@code failure} of {@code operation}: a {@link
   * StoreUnavailableException} when the database cannot be reached, else a {@link StoreException}.
   */
  public static RuntimeException of(String operation, Throwable failure) {
    if (isUnavailability(failure)) {
      unreachable(failure);
      return new StoreUnavailableException(
          operation + " failed: the database is unreachable (" + rootMessage(failure) + ")",
          failure);
    }
    return new StoreException(operation + " failed: " + failure.getMessage(), failure);
  }

  /** Whether {@code failure} says the database cannot be reached, rather than refused the work. */
  public static boolean isUnavailability(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof StoreUnavailableException
          || t instanceof SQLTransientConnectionException
          || t instanceof SQLRecoverableException) {
        return true;
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        if (state.startsWith("08") || UNAVAILABLE_STATES.contains(state)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Called after each operation that reached the database. */
  static void reachable() {
    Instant since = DOWN_SINCE.get();
    if (since != null && DOWN_SINCE.compareAndSet(since, null)) {
      LOG.log(
          Level.INFO,
          "The database answers again, after "
              + Duration.between(since, Instant.now()).toSeconds()
              + " s unreachable");
    }
  }

  private static void unreachable(Throwable failure) {
    if (DOWN_SINCE.compareAndSet(null, Instant.now())) {
      LOG.log(
          Level.WARNING,
          "The database is unreachable ("
              + rootMessage(failure)
              + "); API calls that need it answer 503 and deliveries wait until it is back");
    }
  }

  /** Whether the database was unreachable at the last operation that tried it. */
  public static boolean isDown() {
    return DOWN_SINCE.get() != null;
  }

  private static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : ": " + message.strip());
  }
}
