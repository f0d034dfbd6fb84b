package dev.herald.webhooks.web.health;

import dev.herald.webhooks.store.jpa.JpaStore;
import dev.herald.webhooks.web.application.HeraldConfiguration;
import dev.herald.webhooks.web.application.HeraldRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the configuration is valid and the store answers a cheap query within {@value
 * #DEADLINE_SECONDS} s (plain JDBC, on a probe thread: the check itself never hangs). A
 * configuration problem is DOWN with one {@code problem-N} entry per invalid key. Never throws.
 */
@Readiness
@ApplicationScoped
public class ConfigurationAndStoreReadiness implements HealthCheck {
  @Inject HeraldConfiguration configuration;
  @Inject HeraldRuntime runtime;
  @Inject StoreProbe probe;

  static final int DEADLINE_SECONDS = 2;

  @Override
  public HealthCheckResponse call() {
    return Checks.guarded("herald-store", this::check);
  }

  private HealthCheckResponse check() {
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
    Optional<String> failure = probe.check(store.get(), Duration.ofSeconds(DEADLINE_SECONDS));
    return failure.isEmpty()
        ? builder.up().build()
        : builder.down().withData("error", failure.get()).build();
  }
}
