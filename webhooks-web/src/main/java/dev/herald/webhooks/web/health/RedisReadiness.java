package dev.herald.webhooks.web.health;

import dev.herald.webhooks.api.MigrationPhase;
import dev.herald.webhooks.core.config.HeraldSettings;
import dev.herald.webhooks.core.migration.MigrationPhases;
import dev.herald.webhooks.core.routing.PhaseSelection;
import dev.herald.webhooks.transport.redis.RedisUrl;
import dev.herald.webhooks.web.application.HeraldConfiguration;
import dev.herald.webhooks.web.application.HeraldRuntime;
import dev.herald.webhooks.web.internal.RedisPing;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Redis is checked only when some phase in force sends to it ({@code redis-only}, {@code dual},
 * {@code webhook-primary}) and {@code REDIS_URL} is set; then an unreachable Redis is DOWN. In
 * {@code webhook-only} Redis is not needed and the check is UP without connecting. Never throws.
 */
@Readiness
@ApplicationScoped
public class RedisReadiness implements HealthCheck {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  @Inject HeraldConfiguration configuration;
  @Inject HeraldRuntime runtime;

  @Override
  public HealthCheckResponse call() {
    try {
      return check();
    } catch (RuntimeException e) {
      // The phases in force come from the store: with the database away they cannot be read,
      // and the store check says so. Redis itself is not known to be down.
      return HealthCheckResponse.named("herald-redis")
          .up()
          .withData("checked", false)
          .withData("reason", "the phase in force cannot be read: " + e.getClass().getSimpleName())
          .build();
    }
  }

  private HealthCheckResponse check() {
    HealthCheckResponseBuilder builder = HealthCheckResponse.named("herald-redis");
    Optional<HeraldSettings> settings = configuration.settings();
    Optional<MigrationPhases> phases = runtime.phases();
    if (settings.isEmpty() || phases.isEmpty()) {
      // The store check reports why Herald is not running; Redis is not the cause.
      return builder.up().withData("checked", false).build();
    }
    PhaseSelection selection = phases.get().get();
    boolean needed =
        selection.global().needsRedis()
            || selection.tenantOverrides().values().stream().anyMatch(MigrationPhase::needsRedis);
    builder.withData("phase", selection.global().wireName());
    if (!needed || settings.get().redisUrl().isEmpty()) {
      return builder.up().withData("checked", false).build();
    }
    RedisUrl url;
    try {
      url = RedisUrl.parse(settings.get().redisUrl().get());
    } catch (IllegalArgumentException e) {
      return builder.down().withData("error", e.getMessage()).build();
    }
    builder.withData("checked", true).withData("redis", url.redacted());
    Optional<String> failure = RedisPing.anyNodeAnswers(url, TIMEOUT);
    return failure.isEmpty()
        ? builder.up().build()
        : builder.down().withData("error", failure.get()).build();
  }
}
