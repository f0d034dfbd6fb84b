package dev.herald.webhooks.core.migration;

import dev.herald.webhooks.api.MigrationPhase;
import dev.herald.webhooks.core.routing.PhaseSelection;
import dev.herald.webhooks.spi.SettingsStore;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The migration phase in force, globally and per tenant. The configured phase ({@code
 * HERALD_MIGRATION_PHASE}) applies until an operator sets another; operator changes are stored in
 * the {@link SettingsStore}, and each process re-reads them at most one refresh interval later, so
 * every server and worker agrees within one poll interval without a restart. Removing the stored
 * phase returns to the configured one. Thread-safe.
 */
public final class MigrationPhases implements Supplier<PhaseSelection> {
  private static final System.Logger LOG = System.getLogger(MigrationPhases.class.getName());

  /** The operator's global phase. */
  public static final String GLOBAL_KEY = "herald.migration.phase";

  /** Prefix of per-tenant overrides: {@code herald.migration.phase.tenant.<tenant id>}. */
  public static final String TENANT_PREFIX = "herald.migration.phase.tenant.";

  private record Snapshot(PhaseSelection selection, Instant readAt) {}

  private final SettingsStore settings;
  private final MigrationPhase configured;
  private final Duration refreshEvery;
  private final Clock clock;
  private volatile Snapshot snapshot;
  private final ReentrantLock refreshing = new ReentrantLock();

  public MigrationPhases(
      SettingsStore settings, MigrationPhase configured, Duration refreshEvery, Clock clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.configured = Objects.requireNonNull(configured, "configured");
    this.refreshEvery = Objects.requireNonNull(refreshEvery, "refreshEvery");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * The phases in force, read from the store at most once per refresh interval; while the store
   * cannot be read, the phases last read.
   */
  @Override
  public PhaseSelection get() {
    Snapshot current = snapshot;
    Instant now = clock.instant();
    if (current != null && current.readAt().plus(refreshEvery).isAfter(now)) {
      return current.selection();
    }
    // One caller reads; the others go on with the phases last read meanwhile.
    if (current != null && !refreshing.tryLock()) {
      return current.selection();
    }
    if (current == null) {
      refreshing.lock();
    }
    try {
      current = snapshot;
      if (current != null && current.readAt().plus(refreshEvery).isAfter(now)) {
        return current.selection();
      }
      try {
        current = new Snapshot(read(), now);
      } catch (RuntimeException e) {
        if (current == null) {
          throw e;
        }
        // The store is away: keep the phases last read until it answers again.
        current = new Snapshot(current.selection(), now);
      }
      snapshot = current;
      return current.selection();
    } finally {
      refreshing.unlock();
    }
  }

  /** The phase the configuration gives, used while no operator has set one. */
  public MigrationPhase configured() {
    return configured;
  }

  /** Sets the global phase for every process. */
  public void setGlobal(MigrationPhase phase) {
    settings.put(GLOBAL_KEY, phase.wireName());
    LOG.log(Level.INFO, "migration phase set to {0}", phase.wireName());
    snapshot = null;
  }

  /** Returns to the configured phase. */
  public void resetGlobal() {
    settings.remove(GLOBAL_KEY);
    LOG.log(Level.INFO, "migration phase reset to the configured {0}", configured.wireName());
    snapshot = null;
  }

  /** Overrides the phase of one tenant; {@code null} removes the override. */
  public void setTenant(String tenantId, MigrationPhase phase) {
    if (phase == null) {
      settings.remove(TENANT_PREFIX + tenantId);
    } else {
      settings.put(TENANT_PREFIX + tenantId, phase.wireName());
    }
    LOG.log(
        Level.INFO,
        "migration phase of tenant {0} set to {1}",
        tenantId,
        phase == null ? "the global phase" : phase.wireName());
    snapshot = null;
  }

  private PhaseSelection read() {
    MigrationPhase global = settings.get(GLOBAL_KEY).map(this::parse).orElse(configured);
    Map<String, MigrationPhase> overrides = new HashMap<>();
    settings
        .byPrefix(TENANT_PREFIX)
        .forEach(
            (key, value) -> overrides.put(key.substring(TENANT_PREFIX.length()), parse(value)));
    return new PhaseSelection(global, overrides);
  }

  /** A stored value is written by {@link #setGlobal}; if someone broke it, keep delivering. */
  private MigrationPhase parse(String stored) {
    try {
      return MigrationPhase.fromWireName(stored);
    } catch (IllegalArgumentException e) {
      LOG.log(
          Level.ERROR,
          "stored migration phase is invalid, using the configured one: {0}",
          e.getMessage());
      return configured;
    }
  }
}
