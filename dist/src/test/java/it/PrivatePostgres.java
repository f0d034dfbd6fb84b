package it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of this test's own on a free loopback port, so that a test can crash and
 * restart it without touching the shared server. The binaries are those of the newest version under
 * {@code /usr/lib/postgresql} (or the directory of {@code -Dherald.it.postgres.bin}). As root,
 * initdb and pg_ctl run as the {@code postgres} user ({@code runuser}), on a data directory under
 * the temporary directory that belongs to that user. Trust authentication, no fsync: a throwaway
 * cluster.
 */
final class PrivatePostgres implements AutoCloseable {
  private static final Path INSTALLATIONS = Path.of("/usr/lib/postgresql");
  private static final String USER = "postgres";
  private static final Duration START_DEADLINE = Duration.ofSeconds(60);
  private static final Duration COMMAND_DEADLINE = Duration.ofSeconds(90);

  final int port;
  private final Path bin;
  private final boolean asRoot;
  private final Path dir;
  private boolean initialized;
  private boolean databaseCreated;

  PrivatePostgres() throws IOException, InterruptedException {
    bin = binaries();
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    asRoot = runningAsRoot();
    dir = Files.createTempDirectory("herald-pg");
    if (asRoot) {
      // initdb refuses root; the postgres user owns the cluster (and can reach it under /tmp).
      UserPrincipal postgres =
          dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(USER);
      Files.setOwner(dir, postgres);
    }
  }

  /** {@code jdbc:postgresql://127.0.0.1:PORT/herald}, user {@code postgres}, no password. */
  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/herald";
  }

  /** {@code postgresql://postgres@127.0.0.1:PORT/herald}, as DATABASE_URL takes it. */
  String databaseUrl() {
    return "postgresql://" + USER + "@127.0.0.1:" + port + "/herald";
  }

  /**
   * Creates the cluster on the first call, starts it and waits until it takes connections; the
   * first start also creates the database {@code herald}.
   */
  void start() throws IOException, InterruptedException {
    if (!initialized) {
      run(
          "initdb",
          "-D",
          dir.toString(),
          "-A",
          "trust",
          "-U",
          USER,
          "--no-sync",
          "-E",
          "UTF8",
          "--locale=C");
      initialized = true;
    }
    run(
        "pg_ctl",
        "-D",
        dir.toString(),
        "-l",
        dir.resolve("log").toString(),
        "-o",
        "-p " + port + " -c listen_addresses=127.0.0.1 -k " + dir + " -c fsync=off",
        "-w",
        "start");
    await()
        .atMost(START_DEADLINE)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(() -> accepts("postgres"));
    if (!databaseCreated) {
      try (Connection c = connect("postgres");
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE herald");
      } catch (SQLException e) {
        throw new IllegalStateException("could not create the database herald: " + log(), e);
      }
      databaseCreated = true;
    }
  }

  /** {@code pg_ctl stop -m immediate}: the server dies as in a crash; the port refuses. */
  void crash() throws IOException, InterruptedException {
    run("pg_ctl", "-D", dir.toString(), "-m", "immediate", "-w", "stop");
  }

  /** Starts the cluster again after {@link #crash()}; it recovers from its WAL. */
  void restart() throws IOException, InterruptedException {
    if (!initialized) {
      throw new IllegalStateException("restart() before start()");
    }
    start();
  }

  /** Whether a connection to the given database succeeds now. */
  boolean accepts(String database) {
    try (Connection c = connect(database)) {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  private Connection connect(String database) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", USER);
    properties.setProperty("connectTimeout", "2");
    properties.setProperty("socketTimeout", "10");
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + port + "/" + database, properties);
  }

  /** The server's log so far, for failure messages. */
  String log() {
    try {
      Path log = dir.resolve("log");
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no log)";
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  /** Stops the server at once (a failure is ignored) and deletes the cluster; idempotent. */
  @Override
  public void close() throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try {
      if (initialized) {
        run("pg_ctl", "-D", dir.toString(), "-m", "immediate", "-w", "stop");
      }
    } catch (IOException | IllegalStateException e) {
      // Already stopped (crashed and not restarted), or never started.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Runs one of the PostgreSQL programs, as the postgres user when root; fails on exit != 0. */
  private void run(String program, String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    if (asRoot) {
      command.addAll(List.of("runuser", "-u", USER, "--"));
    }
    command.add(bin.resolve(program).toString());
    command.addAll(List.of(arguments));
    // The working directory must be one the postgres user can enter, which the checkout may not be.
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    process.getOutputStream().close();
    // pg_ctl gives the server /dev/null and the log file, so the pipe ends when pg_ctl does.
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(COMMAND_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " did not finish:\n" + output);
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          String.join(" ", command)
              + " failed with exit code "
              + process.exitValue()
              + ":\n"
              + output
              + "\nserver log:\n"
              + log());
    }
  }

  /** The bin directory of the newest PostgreSQL under /usr/lib/postgresql, or the property's. */
  private static Path binaries() throws IOException {
    String chosen = System.getProperty("herald.it.postgres.bin");
    if (chosen != null) {
      return requirePrograms(Path.of(chosen));
    }
    if (Files.isDirectory(INSTALLATIONS)) {
      try (Stream<Path> versions = Files.list(INSTALLATIONS)) {
        Path newest =
            versions
                .filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                .filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                .filter(v -> Files.isExecutable(v.resolve("bin/pg_ctl")))
                .max(
                    Comparator.comparingDouble(v -> Double.parseDouble(v.getFileName().toString())))
                .orElse(null);
        if (newest != null) {
          return newest.resolve("bin");
        }
      }
    }
    throw new IllegalStateException(
        "no PostgreSQL server binaries: this test needs initdb and pg_ctl under "
            + INSTALLATIONS
            + "/<version>/bin (the Debian/Ubuntu postgresql package), or their directory as"
            + " -Dherald.it.postgres.bin");
  }

  private static Path requirePrograms(Path dir) {
    for (String program : List.of("initdb", "pg_ctl")) {
      if (!Files.isExecutable(dir.resolve(program))) {
        throw new IllegalStateException(
            "no PostgreSQL program " + program + " in " + dir + " (-Dherald.it.postgres.bin)");
      }
    }
    return dir;
  }

  private static boolean runningAsRoot() throws IOException, InterruptedException {
    try {
      Process id = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
      String uid = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (id.waitFor() == 0) {
        return uid.equals("0");
      }
    } catch (IOException e) {
      // No id program: fall back on the user name.
    }
    return "root".equals(System.getProperty("user.name"));
  }
}
