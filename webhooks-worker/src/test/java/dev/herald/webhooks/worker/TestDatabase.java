package dev.herald.webhooks.worker;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * A fresh PostgreSQL schema per test class on the server of {@code HERALD_TEST_DATABASE_URL}
 * (default: the local server). An unreachable server fails the test; it is never skipped.
 */
final class TestDatabase implements AutoCloseable {
  static final String DEFAULT_URL = "postgresql://postgres:postgres@127.0.0.1:5432/herald_test";

  private final String baseJdbcUrl;
  private final String user;
  private final String password;
  final String schema;

  TestDatabase() throws SQLException {
    String url = System.getenv().getOrDefault("HERALD_TEST_DATABASE_URL", DEFAULT_URL);
    URI uri = URI.create(url.replaceFirst("^postgres(ql)?://", "http://"));
    String[] userInfo =
        uri.getUserInfo() == null ? new String[] {"postgres"} : uri.getUserInfo().split(":", 2);
    this.user = userInfo[0];
    this.password = userInfo.length > 1 ? userInfo[1] : "";
    int port = uri.getPort() < 0 ? 5432 : uri.getPort();
    this.baseJdbcUrl = "jdbc:postgresql://" + uri.getHost() + ":" + port + uri.getPath();
    this.schema =
        "w_"
            + UUID.randomUUID()
                .toString()
                .replace("-", "")
                .substring(0, 12)
                .toLowerCase(Locale.ROOT);
    try (Connection c = DriverManager.getConnection(baseJdbcUrl, user, password);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
  }

  /** A JDBC URL with credentials whose default schema is this test's schema. */
  String jdbcUrl() {
    return baseJdbcUrl
        + "?currentSchema="
        + schema
        + "&user="
        + user
        + (password.isEmpty() ? "" : "&password=" + password);
  }

  @Override
  public void close() throws SQLException {
    try (Connection c = DriverManager.getConnection(baseJdbcUrl, user, password);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA " + schema + " CASCADE");
    }
  }
}
