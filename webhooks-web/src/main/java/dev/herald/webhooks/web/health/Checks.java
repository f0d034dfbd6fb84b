package dev.herald.webhooks.web.health;

import java.util.function.Supplier;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Health checks never throw: MicroProfile Health would leave a check that throws out of the answer.
 */
final class Checks {
  private Checks() {}

  /** The check's answer, or DOWN with the failure as its reason. */
  static HealthCheckResponse guarded(String name, Supplier<HealthCheckResponse> check) {
    try {
      return check.get();
    } catch (RuntimeException e) {
      return HealthCheckResponse.named(name)
          .down()
          .withData("error", e.getClass().getSimpleName() + ": " + e.getMessage())
          .build();
    }
  }
}
