package dev.herald.webhooks.store.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.webhooks.api.Priority;
import dev.herald.webhooks.spi.CircuitState;
import dev.herald.webhooks.spi.ClaimedDelivery;
import dev.herald.webhooks.spi.DeliveryResult;
import dev.herald.webhooks.spi.Endpoint;
import dev.herald.webhooks.spi.HealthRules;
import dev.herald.webhooks.spi.NewEndpoint;
import dev.herald.webhooks.spi.Recorded;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The contract on PostgreSQL from {@code HERALD_TEST_DATABASE_URL}, in a fresh schema dropped
 * afterwards. An unreachable server fails the run: it is never skipped.
 */
class PostgresStoreIT extends StoreContractTest {
  static final String DEFAULT_URL = "postgresql://postgres:postgres@127.0.0.1:5432/herald_test";

  private StoreConfig base;
  private String schema;

  @Override
  StoreConfig createDatabase() throws Exception {
    String url = System.getenv().getOrDefault("HERALD_TEST_DATABASE_URL", DEFAULT_URL);
    base = StoreConfig.fromDatabaseUrl(url, Path.of("unused"), 10, Optional.empty());
    byte[] random = new byte[6];
    new SecureRandom().nextBytes(random);
    schema = "t_" + HexFormat.of().formatHex(random);
    try (Connection c = DriverManager.getConnection(base.jdbcUrl(), base.user(), base.password());
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    String jdbcUrl =
        base.jdbcUrl() + (base.jdbcUrl().contains("?") ? "&" : "?") + "currentSchema=" + schema;
    return new StoreConfig(jdbcUrl, base.user(), base.password(), 10, Optional.empty());
  }

  @Override
  void dropDatabase() throws Exception {
    if (schema != null) {
      try (Connection c =
              DriverManager.getConnection(base.jdbcUrl(), base.user(), base.password());
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA " + schema + " CASCADE");
      }
    }
  }

  @Test
  void otherProcessesHearPublishesThroughNotify() throws Exception {
    CountDownLatch heard = new CountDownLatch(1);
    try (JpaStore second = JpaStores.open(config, clock);
        AutoCloseable subscription = second.onNewWork(heard::countDown)) {
      assertThat(second.isPostgres()).isTrue();
      // The listener thread may not have run LISTEN yet: publish until it hears one.
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(15))
          .pollInterval(java.time.Duration.ofMillis(200))
          .until(
              () -> {
                publish("acme", Priority.NORMAL, 1);
                return heard.await(0, TimeUnit.MILLISECONDS);
              });
    }
  }

  /** Not a benchmark gate: prints the time so regressions are visible in the build log. */
  @Test
  void claimsAndRecordsTenThousandDeliveriesInBatchesOfHundred() {
    for (int i = 0; i < 1000; i++) {
      publish("acme", Priority.NORMAL, 10);
    }
    long start = System.nanoTime();
    int done = 0;
    while (true) {
      java.util.List<dev.herald.webhooks.spi.ClaimedDelivery> batch = store.claim("w", 100, LEASE);
      if (batch.isEmpty()) {
        break;
      }
      store.record(
          "w",
          batch.stream()
              .map(
                  d ->
                      new dev.herald.webhooks.spi.DeliveryResult(
                          d.deliveryId(),
                          attempt(200, null),
                          new dev.herald.webhooks.spi.DeliveryResult.Succeeded()))
              .toList());
      done += batch.size();
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.printf("claim+record of %d deliveries in batches of 100: %d ms%n", done, millis);
    assertThat(done).isEqualTo(10_000);
  }

  /**
   * A success to a healthy endpoint is recorded without its gate; when another process records the
   * endpoint's first failure meanwhile (committed while the success waits for the endpoint's row),
   * the success is recorded again under the gate, so that circuit and failing-since stay one
   * history: the later success clears both.
   */
  @Test
  void aSuccessRacingAnotherProcessesFailureIsRecordedAgainUnderTheGate() throws Exception {
    Endpoint endpoint =
        store.create(NewEndpoint.http("acme", "https://x.example/h", List.of("*"), "whsec_a"));
    publishTo("acme", endpoint.id());
    ClaimedDelivery claimed = store.claim("w", 1, LEASE).get(0);
    Instant failedAt = clock.instant().minusSeconds(30);
    try (Connection other =
        DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password())) {
      // What another process's record of a first failure writes, not yet committed.
      other.setAutoCommit(false);
      try (Statement s = other.createStatement()) {
        s.executeUpdate(
            "UPDATE circuit_states SET consecutive_failures = 1 WHERE endpoint_id = '"
                + endpoint.id()
                + "'");
        s.executeUpdate(
            "UPDATE endpoints SET failing_since = TIMESTAMPTZ '"
                + failedAt
                + "' WHERE id = '"
                + endpoint.id()
                + "'");
      }
      CompletableFuture<Recorded> success =
          CompletableFuture.supplyAsync(
              () ->
                  store.record(
                      "w",
                      List.of(
                          new DeliveryResult(
                              claimed.deliveryId(),
                              attempt(200, null),
                              new DeliveryResult.Succeeded())),
                      HealthRules.DEFAULTS));
      Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(10))
          .until(() -> waitingForALock(other));
      other.commit();
      assertThat(success.get(10, TimeUnit.SECONDS).ignored()).isZero();
    }
    assertThat(store.load(endpoint.id())).isEqualTo(CircuitState.INITIAL);
    assertThat(store.find("acme", endpoint.id()).orElseThrow().failingSince()).isNull();
    assertThat(store.claim("w", 1, LEASE)).isEmpty();
  }

  private static boolean waitingForALock(Connection other) throws SQLException {
    try (Statement s = other.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND wait_event_type = 'Lock' AND query LIKE 'UPDATE endpoints%'")) {
      rs.next();
      return rs.getInt(1) > 0;
    }
  }
}
