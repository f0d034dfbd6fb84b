package dev.herald.webhooks.core.routing;

import dev.herald.webhooks.api.MigrationPhase;
import java.util.Map;
import java.util.Objects;

/**
 * The global migration phase and per-tenant overrides, as one immutable value that the router
 * reads. The store keeps it so every process agrees.
 */
public record PhaseSelection(MigrationPhase global, Map<String, MigrationPhase> tenantOverrides) {
  public PhaseSelection {
    Objects.requireNonNull(global, "global");
    tenantOverrides = Map.copyOf(tenantOverrides);
  }

  public static PhaseSelection of(MigrationPhase global) {
    return new PhaseSelection(global, Map.of());
  }

  /** The phase that applies to {@code tenantId}: its override, else the global phase. */
  public MigrationPhase phaseFor(String tenantId) {
    return tenantOverrides.getOrDefault(tenantId, global);
  }
}
