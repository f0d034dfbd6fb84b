package dev.herald.webhooks.store.jpa;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.herald.webhooks.store.jpa.internal.DefaultJpaStore;
import dev.herald.webhooks.store.jpa.internal.NoQueryRetry;
import dev.herald.webhooks.store.jpa.internal.SecretCipher;
import jakarta.persistence.EntityManagerFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.eclipse.persistence.config.PersistenceUnitProperties;
import org.eclipse.persistence.jpa.PersistenceProvider;
import org.flywaydb.core.Flyway;

/**
 * Opens the JPA store: migrates the schema with Flyway, then starts EclipseLink on the same data
 * source. In Java SE use {@link #open(StoreConfig)}; a server passes its own {@link DataSource}.
 */
public final class JpaStores {
  /** The settings row holding the generated development key when HERALD_SECRETS_KEY is unset. */
  public static final String GENERATED_KEY_SETTING = "herald.internal.generated-secrets-key";

  private static final System.Logger LOG = System.getLogger(JpaStores.class.getName());

  private JpaStores() {}

  /** Opens a pooled store in Java SE. Closing the store closes the pool. */
  public static JpaStore open(StoreConfig config) {
    return open(config, Clock.systemUTC());
  }

  /** As {@link #open(StoreConfig)}, with the clock that stamps every row (tests). */
  public static JpaStore open(StoreConfig config, Clock clock) {
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("herald");
    hikari.setJdbcUrl(config.jdbcUrl());
    if (config.user() != null) {
      hikari.setUsername(config.user());
    }
    if (config.password() != null) {
      hikari.setPassword(config.password());
    }
    hikari.setMaximumPoolSize(config.poolSize());
    // Fail fast when the database is away: no thread waits long for a connection that will not
    // come (PostgreSQL's own default connect timeout is 10 s, Hikari's wait 30 s).
    hikari.setConnectionTimeout(5_000);
    if (config.isPostgres()) {
      hikari.addDataSourceProperty("connectTimeout", "5");
    }
    hikari.setDriverClassName(config.isPostgres() ? "org.postgresql.Driver" : "org.h2.Driver");
    HikariDataSource dataSource = new HikariDataSource(hikari);
    try {
      return open(dataSource, config.secretsKey(), clock, dataSource);
    } catch (RuntimeException e) {
      dataSource.close();
      throw e;
    }
  }

  /**
   * Opens a store on a data source the caller owns (a container's non-JTA data source): the store
   * demarcates its own resource-local transactions on it and never closes it.
   *
   * @param secretsKey the 32-byte key of HERALD_SECRETS_KEY, or empty in development
   */
  public static JpaStore open(DataSource dataSource, Optional<byte[]> secretsKey) {
    return open(dataSource, secretsKey, Clock.systemUTC(), () -> {});
  }

  private static JpaStore open(
      DataSource dataSource, Optional<byte[]> secretsKey, Clock clock, AutoCloseable onClose) {
    boolean postgres = isPostgres(dataSource);
    ClassLoader loader = JpaStores.class.getClassLoader();
    Flyway.configure(loader)
        .dataSource(dataSource)
        .locations(
            "classpath:db/migration/common",
            "classpath:db/migration/" + (postgres ? "postgresql" : "h2"))
        // Herald has no SQL callbacks, but Flyway scans db/callback whatever it is told; inside a
        // WAR on Liberty it logs an error for a location it cannot resolve, so the location exists
        // (with only its flyway.location marker).
        .load()
        .migrate();
    SecretCipher cipher = new SecretCipher(secretsKey.orElseGet(() -> generatedKey(dataSource)));
    Map<String, Object> properties = new HashMap<>();
    properties.put(PersistenceUnitProperties.NON_JTA_DATASOURCE, dataSource);
    properties.put(PersistenceUnitProperties.TRANSACTION_TYPE, "RESOURCE_LOCAL");
    properties.put(PersistenceUnitProperties.CLASSLOADER, loader);
    properties.put(PersistenceUnitProperties.SESSION_CUSTOMIZER, NoQueryRetry.class.getName());
    EntityManagerFactory factory =
        new PersistenceProvider().createEntityManagerFactory("herald", properties);
    if (factory == null) {
      throw new IllegalStateException(
          "persistence unit 'herald' not found: META-INF/persistence.xml of webhooks-store-jpa"
              + " is missing from the class path");
    }
    return new DefaultJpaStore(dataSource, postgres, factory, cipher, clock, onClose);
  }

  /**
   * Whether the data source is PostgreSQL (otherwise the embedded H2).
   *
   * @throws IllegalStateException for any other database
   * @throws StoreException when it cannot be reached
   */
  public static boolean isPostgres(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      String product = c.getMetaData().getDatabaseProductName();
      if (product.equalsIgnoreCase("PostgreSQL")) {
        return true;
      }
      if (product.equalsIgnoreCase("H2")) {
        return false;
      }
      throw new IllegalStateException(
          "unsupported database " + product + ": Herald's store runs on PostgreSQL or H2");
    } catch (SQLException e) {
      throw new StoreException("cannot connect to the database: " + e.getMessage(), e);
    }
  }

  /**
   * Without HERALD_SECRETS_KEY, a random key is made once and kept in the settings table, so
   * development restarts can still decrypt. That key sits beside the ciphertexts it protects:
   * production must set HERALD_SECRETS_KEY.
   */
  private static byte[] generatedKey(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      Optional<String> stored = readSetting(c);
      if (stored.isEmpty()) {
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO settings (name, value_text) SELECT ?, ? WHERE NOT EXISTS"
                    + " (SELECT 1 FROM settings WHERE name = ?)")) {
          ps.setString(1, GENERATED_KEY_SETTING);
          ps.setString(2, Base64.getEncoder().encodeToString(SecretCipher.generateKey()));
          ps.setString(3, GENERATED_KEY_SETTING);
          ps.executeUpdate();
        } catch (SQLException e) {
          if (!"23505".equals(e.getSQLState())) {
            throw e;
          }
        }
        stored = readSetting(c);
      }
      LOG.log(
          System.Logger.Level.WARNING,
          "HERALD_SECRETS_KEY is not set: endpoint secrets are encrypted with a generated key"
              + " stored in the database itself (settings '"
              + GENERATED_KEY_SETTING
              + "'). This is for development only; in production set HERALD_SECRETS_KEY to"
              + " Base64 of 32 random bytes (e.g. `openssl rand -base64 32`).");
      return Base64.getDecoder().decode(stored.orElseThrow());
    } catch (SQLException e) {
      throw new StoreException("reading the generated secrets key failed: " + e.getMessage(), e);
    }
  }

  private static Optional<String> readSetting(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT value_text FROM settings WHERE name = ?")) {
      ps.setString(1, GENERATED_KEY_SETTING);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }
}
