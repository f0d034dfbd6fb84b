package dev.herald.webhooks.web.health;

import dev.herald.webhooks.web.application.HeraldConfiguration;
import dev.herald.webhooks.web.application.HeraldRuntime;
import dev.herald.webhooks.worker.DeliveryWorker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * Live while the delivery worker's claim thread runs. With an invalid configuration the worker is
 * never started and this stays UP: a restart would not fix the configuration, and readiness already
 * reports it. A worker that died, or a store that could not be opened, is DOWN so that an
 * orchestrator restarts the server.
 */
@Liveness
@ApplicationScoped
public class WorkerLiveness implements HealthCheck {
  @Inject HeraldConfiguration configuration;
  @Inject HeraldRuntime runtime;

  @Override
  public HealthCheckResponse call() {
    return Checks.guarded("herald-worker", this::check);
  }

  private HealthCheckResponse check() {
    HealthCheckResponseBuilder builder = HealthCheckResponse.named("herald-worker");
    if (!configuration.problems().isEmpty()) {
      return builder.up().withData("worker", "not started: invalid configuration").build();
    }
    if (runtime.workerDisabled()) {
      return builder.up().withData("worker", "disabled: HERALD_WORKER_ENABLED=false").build();
    }
    Optional<DeliveryWorker> worker = runtime.worker();
    if (worker.isEmpty()) {
      return builder.down().withData("worker", runtime.notRunningReason()).build();
    }
    builder.withData("worker", worker.get().workerId());
    return worker.get().isAlive() ? builder.up().build() : builder.down().build();
  }
}
