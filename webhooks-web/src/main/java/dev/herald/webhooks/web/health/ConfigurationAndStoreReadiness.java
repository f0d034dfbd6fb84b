package dev.herald.webhooks.web.health;

import dev.herald.webhooks.core.migration.MigrationPhases;
import dev.herald.webhooks.spi.SettingsStore;
import dev.herald.webhooks.store.jpa.JpaStore;
import dev.herald.webhooks.web.application.HeraldConfiguration;
import dev.herald.webhooks.web.application.HeraldRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the configuration is valid and the store answers a cheap query. A configuration
 * problem is DOWN with one {@code problem-N} entry per invalid key.
 */
@Readiness
@ApplicationScoped
public class ConfigurationAndStoreReadiness implements HealthCheck {
  @Inject HeraldConfiguration configuration;
  @Inject HeraldRuntime runtime;

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder builder = HealthCheckResponse.named("herald-store");
    List<String> problems = configuration.problems();
    if (!problems.isEmpty()) {
      builder.down().withData("configuration", "invalid");
      for (int i = 0; i < problems.size(); i++) {
        builder.withData("problem-" + (i + 1), problems.get(i));
      }
      return builder.build();
    }
    Optional<JpaStore> store = runtime.store();
    if (store.isEmpty()) {
      return builder.down().withData("error", runtime.notRunningReason()).build();
    }
    builder.withData("database", store.get().isPostgres() ? "postgresql" : "h2");
    try {
      // Reads one settings row: touches the schema, not only the pool.
      SettingsStore settings = store.get();
      settings.get(MigrationPhases.GLOBAL_KEY);
      return builder.up().build();
    } catch (RuntimeException e) {
      return builder
          .down()
          .withData("error", e.getClass().getSimpleName() + ": " + e.getMessage())
          .build();
    }
  }
}
