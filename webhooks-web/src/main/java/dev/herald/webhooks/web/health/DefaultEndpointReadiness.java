package dev.herald.webhooks.web.health;

import dev.herald.webhooks.web.application.HeraldRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * DOWN when {@code WEBHOOK_URL} names a default endpoint that could not be set up (a URL the SSRF
 * policy refuses); UP otherwise, including when there is no default endpoint.
 */
@Readiness
@ApplicationScoped
public class DefaultEndpointReadiness implements HealthCheck {
  @Inject HeraldRuntime runtime;

  @Override
  public HealthCheckResponse call() {
    return Checks.guarded("herald-default-endpoint", this::check);
  }

  private HealthCheckResponse check() {
    return runtime
        .defaultEndpointProblem()
        .map(
            problem ->
                HealthCheckResponse.named("herald-default-endpoint")
                    .down()
                    .withData("problem", problem)
                    .build())
        .orElseGet(() -> HealthCheckResponse.up("herald-default-endpoint"));
  }
}
