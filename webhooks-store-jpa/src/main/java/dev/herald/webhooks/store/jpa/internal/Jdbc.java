package dev.herald.webhooks.store.jpa.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.List;
import javax.sql.DataSource;

/** Small JDBC helpers: one transaction per call, UTC microsecond timestamps. */
final class Jdbc {
  static final String UNIQUE_VIOLATION = "23505";

  private Jdbc() {}

  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /** Runs {@code work} in one transaction: commits on return, rolls back on any exception. */
  static <T> T inTransaction(DataSource dataSource, String operation, Work<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        StoreFailures.reachable();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          connection.rollback();
        } catch (SQLException rollback) {
          e.addSuppressed(rollback);
        }
        throw e;
      } finally {
        connection.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw StoreFailures.of(operation, e);
    }
  }

  /** Runs {@code work} on a connection in auto-commit mode: each statement is its own. */
  static <T> T autoCommit(DataSource dataSource, String operation, Work<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      if (!connection.getAutoCommit()) {
        connection.setAutoCommit(true);
      }
      T result = work.run(connection);
      StoreFailures.reachable();
      return result;
    } catch (SQLException e) {
      throw StoreFailures.of(operation, e);
    }
  }

  /** PostgreSQL's deadlock_detected, and H2's deadlock. */
  static boolean isDeadlock(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql
          && ("40P01".equals(sql.getSQLState()) || "40001".equals(sql.getSQLState()))) {
        return true;
      }
    }
    return false;
  }

  static boolean isUniqueViolation(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
  }

  static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }

  /** Binds {@code values} as strings to the parameters from {@code from} on. */
  static void bind(PreparedStatement ps, int from, List<String> values) throws SQLException {
    for (int i = 0; i < values.size(); i++) {
      ps.setString(from + i, values.get(i));
    }
  }

  static void setInt(PreparedStatement ps, int index, Integer value) throws SQLException {
    ps.setObject(index, value, Types.INTEGER);
  }

  static void setTime(PreparedStatement ps, int index, OffsetDateTime value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      ps.setObject(index, value);
    }
  }

  /** {@code ?, ?, ?} for an IN list. */
  static String placeholders(int n) {
    return String.join(", ", Collections.nCopies(n, "?"));
  }

  /** Splits {@code items} into chunks of at most {@code size}. */
  static <T> List<List<T>> chunks(List<T> items, int size) {
    List<List<T>> out = new java.util.ArrayList<>();
    for (int i = 0; i < items.size(); i += size) {
      out.add(items.subList(i, Math.min(items.size(), i + size)));
    }
    return out;
  }

  static String truncate(String text, int maxChars) {
    return text == null || text.length() <= maxChars ? text : text.substring(0, maxChars);
  }

  /** Cuts {@code text} so its UTF-8 form fits in {@code maxBytes}, never splitting a character. */
  static String truncateUtf8(String text, int maxBytes) {
    if (text == null || text.length() * 3 <= maxBytes) {
      return text;
    }
    int bytes = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (bytes + size > maxBytes) {
        return text.substring(0, i);
      }
      bytes += size;
      i += Character.charCount(cp);
    }
    return text;
  }
}
