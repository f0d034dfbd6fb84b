package it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Chooses the test server's database before Arquillian starts it, by writing the server's {@code
 * bootstrap.properties}: {@code herald.it.db=postgresql} (the default) gives it a fresh schema on
 * the PostgreSQL of {@code HERALD_TEST_DATABASE_URL}; {@code herald.it.db=h2} the embedded default.
 */
public class TestServerDatabase implements LauncherSessionListener {
  static final String DEFAULT_URL = "postgresql://postgres:postgres@127.0.0.1:5432/herald_test";

  /** The database the test server runs on: {@code postgresql} or {@code h2}. */
  static String kind() {
    return System.getProperty("herald.it.db", "postgresql");
  }

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    String serverDir = System.getProperty("herald.test.server.dir");
    if (serverDir == null) {
      return; // not the dist module's failsafe run
    }
    Properties bootstrap = new Properties();
    if (kind().equals("postgresql")) {
      bootstrap.putAll(freshPostgresSchema());
    } else if (!kind().equals("h2")) {
      throw new IllegalArgumentException("herald.it.db must be postgresql or h2, was " + kind());
    }
    try {
      Path file = Path.of(serverDir, "bootstrap.properties");
      StringBuilder text = new StringBuilder("# Written by it.TestServerDatabase for this run\n");
      bootstrap.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
      Files.writeString(file, text, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Drops and creates this checkout's schema; returns the server variables that select it. */
  private static Properties freshPostgresSchema() {
    String url = System.getenv().getOrDefault("HERALD_TEST_DATABASE_URL", DEFAULT_URL);
    URI uri = URI.create(url.replaceFirst("^postgres(ql)?://", "http://"));
    String[] userInfo =
        uri.getUserInfo() == null ? new String[] {"postgres"} : uri.getUserInfo().split(":", 2);
    String user = userInfo[0];
    String password = userInfo.length > 1 ? userInfo[1] : "";
    String jdbcUrl =
        "jdbc:postgresql://"
            + uri.getHost()
            + ":"
            + (uri.getPort() < 0 ? 5432 : uri.getPort())
            + uri.getPath();
    // One schema per test server port, so that checkouts running side by side do not meet.
    String schema = "herald_it_" + System.getProperty("herald.it.port", "9181");
    try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "the server tests need PostgreSQL at " + jdbcUrl + " (HERALD_TEST_DATABASE_URL)", e);
    }
    Properties variables = new Properties();
    variables.setProperty("herald.db.kind", "postgresql");
    variables.setProperty("herald.db.url", jdbcUrl + "?currentSchema=" + schema);
    variables.setProperty("herald.db.user", user);
    variables.setProperty("herald.db.password", password);
    return variables;
  }
}
