package dev.herald.webhooks.spi;

import java.util.List;
import java.util.Objects;

/**
 * What recording a batch of outcomes did.
 *
 * @param ignored results not recorded because their owner had lost the lease
 * @param changes the endpoints whose circuit opened or closed, or that were disabled, by this batch
 */
public record Recorded(int ignored, List<HealthChange> changes) {
  public Recorded {
    changes = List.copyOf(changes);
  }

  /**
   * One endpoint's health change worth telling operators about.
   *
   * @param circuitOpened its circuit went from closed or half-open to open
   * @param consecutiveFailures failures since its last success
   * @param disabledReason why it was disabled now, or null
   * @param circuitClosed its circuit went from open or half-open to closed
   */
  public record HealthChange(
      String tenantId,
      String endpointId,
      boolean circuitOpened,
      int consecutiveFailures,
      String disabledReason,
      boolean circuitClosed) {
    public HealthChange {
      Objects.requireNonNull(tenantId, "tenantId");
      Objects.requireNonNull(endpointId, "endpointId");
    }
  }
}
