package dev.herald.webhooks.worker;

import dev.herald.webhooks.api.MigrationPhase;
import dev.herald.webhooks.core.export.TenantNdjson;
import dev.herald.webhooks.core.migration.MigrationPhases;
import dev.herald.webhooks.core.routing.PhaseSelection;
import dev.herald.webhooks.core.time.DurationText;
import dev.herald.webhooks.spi.MigrationReport;
import dev.herald.webhooks.spi.TenantStore;
import dev.herald.webhooks.store.jpa.JpaStore;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Operator commands of the worker jar, on the database of {@code DATABASE_URL}:
 *
 * <pre>
 * phase                                   show the phase in force, and per-tenant overrides
 * phase set PHASE [--tenant ID]           redis-only | dual | webhook-primary | webhook-only
 * phase reset [--tenant ID]               back to HERALD_MIGRATION_PHASE (or the global phase)
 * migration-report [--since 1h] [--tenant ID]
 * tenant delete ID                        delete the tenant and erase all its data
 * tenant export ID                        every row of the tenant as NDJSON on standard output
 * </pre>
 *
 * Every running server and worker picks a phase change up within one poll interval.
 */
final class AdminCommand {
  static final String USAGE =
      """
      usage: java -jar webhooks-worker.jar                 run a worker
             java -jar webhooks-worker.jar phase           show the migration phase
             java -jar webhooks-worker.jar phase set PHASE [--tenant ID]
             java -jar webhooks-worker.jar phase reset [--tenant ID]
             java -jar webhooks-worker.jar migration-report [--since 1h] [--tenant ID]
             java -jar webhooks-worker.jar tenant delete ID
             java -jar webhooks-worker.jar tenant export ID > acme.ndjson
      PHASE is one of: redis-only, dual, webhook-primary, webhook-only""";

  private final JpaStore store;
  private final MigrationPhases phases;
  private final PrintStream out;
  private final Clock clock;

  AdminCommand(JpaStore store, MigrationPhase configured, PrintStream out, Clock clock) {
    this.store = store;
    this.phases = new MigrationPhases(store, configured, Duration.ZERO, clock);
    this.out = out;
    this.clock = clock;
  }

  static boolean handles(String[] args) {
    return args.length > 0 && List.of("phase", "migration-report", "tenant").contains(args[0]);
  }

  /**
   * @throws IllegalArgumentException on bad arguments, with a message for the operator
   */
  void run(String[] args) {
    String tenant = option(args, "--tenant");
    if (args[0].equals("migration-report")) {
      report(option(args, "--since"), tenant);
      return;
    }
    if (args[0].equals("tenant")) {
      tenantCommand(args);
      return;
    }
    if (args.length == 1) {
      show();
      return;
    }
    switch (args[1]) {
      case "set" -> {
        if (args.length < 3 || args[2].startsWith("--")) {
          throw new IllegalArgumentException("phase set needs a phase\n" + USAGE);
        }
        MigrationPhase phase = MigrationPhase.fromWireName(args[2]);
        if (tenant == null) {
          phases.setGlobal(phase);
        } else {
          phases.setTenant(tenant, phase);
        }
      }
      case "reset" -> {
        if (tenant == null) {
          phases.resetGlobal();
        } else {
          phases.setTenant(tenant, null);
        }
      }
      default ->
          throw new IllegalArgumentException("unknown phase command '" + args[1] + "'\n" + USAGE);
    }
    show();
  }

  private void show() {
    PhaseSelection selection = phases.get();
    out.println(
        "migration phase: "
            + selection.global().wireName()
            + (store.get(MigrationPhases.GLOBAL_KEY).isEmpty()
                ? " (from configuration)"
                : " (set by an operator)"));
    selection.tenantOverrides().entrySet().stream()
        .sorted(java.util.Map.Entry.comparingByKey())
        .forEach(e -> out.println("  tenant " + e.getKey() + ": " + e.getValue().wireName()));
  }

  private void report(String since, String tenant) {
    Duration window =
        since == null
            ? Duration.ofHours(1)
            : DurationText.parse(since)
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "--since takes a duration such as 1h, 30m or 2d"));
    Instant to = clock.instant();
    MigrationReport report = store.migrationReport(tenant, to.minus(window), to, 20);
    out.printf(
        "events routed to webhooks and Redis since %s%s: %d%n",
        report.from(), tenant == null ? "" : " (tenant " + tenant + ")", report.events());
    out.printf("  delivered on both sides: %d%n", report.bothSucceeded());
    out.printf("  webhooks only:           %d%n", report.webhookOnly());
    out.printf("  Redis only:              %d%n", report.redisOnly());
    out.printf("  neither yet:             %d%n", report.neither());
    for (MigrationReport.EventParity p : report.mismatches()) {
      out.printf(
          "  %s %s %s webhooks %d/%d, redis %s%n",
          p.createdAt(),
          p.eventId(),
          p.eventType(),
          p.webhookSucceeded(),
          p.webhookDeliveries(),
          p.redisStatus() == null ? "-" : p.redisStatus().wireName());
    }
  }

  private void tenantCommand(String[] args) {
    if (args.length != 3 || !List.of("delete", "export").contains(args[1])) {
      throw new IllegalArgumentException("tenant takes delete ID or export ID\n" + USAGE);
    }
    String id = args[2];
    if (args[1].equals("export")) {
      if (!store.exportTenant(id, new TenantNdjson(out))) {
        throw new IllegalArgumentException("no tenant " + id);
      }
      out.flush();
      return;
    }
    if (!store.deleteTenant(id)) {
      throw new IllegalArgumentException("no tenant " + id);
    }
    TenantStore.Purged erased = store.eraseDeletedTenant(id, Housekeeping.BATCH_SIZE);
    out.printf(
        "deleted tenant %s: %d events, %d deliveries and %d attempts erased with its keys,"
            + " endpoints and settings%n",
        id, erased.events(), erased.deliveries(), erased.attempts());
  }

  private static String option(String[] args, String name) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return null;
  }
}
