package dev.herald.webhooks.worker;

import dev.herald.webhooks.spi.TenantStore;
import dev.herald.webhooks.spi.TenantStore.Purged;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The jobs that keep the database from growing without bound, run by every server and worker
 * process but by one at a time: every {@code interval}, the process that takes the job's lease in
 * the store purges events older than the retention whose deliveries are all finished (dead letters
 * included), in batches, and finishes erasing deleted tenants. The lease runs for one interval, so
 * across all processes the purge runs about once per interval; if its holder dies, another process
 * takes over when the lease runs out.
 */
public final class Housekeeping implements AutoCloseable {
  static final String JOB = "retention-purge";

  /** Events deleted per transaction. */
  public static final int BATCH_SIZE = 500;

  private static final System.Logger LOG = System.getLogger(Housekeeping.class.getName());

  /** What one run deleted. */
  public record Run(Instant cutoff, Purged purged, Purged erased, Duration took) {}

  private final TenantStore store;
  private final Duration retention;
  private final Duration interval;
  private final int batchSize;
  private final String holder;
  private final Clock clock;
  private final DeliveryObserver observer;
  private ScheduledExecutorService scheduler;

  /**
   * @param holder this process's name in the lease (the worker id)
   */
  public Housekeeping(
      TenantStore store,
      Duration retention,
      Duration interval,
      int batchSize,
      String holder,
      Clock clock,
      DeliveryObserver observer) {
    this.store = Objects.requireNonNull(store, "store");
    this.retention = Objects.requireNonNull(retention, "retention");
    this.interval = Objects.requireNonNull(interval, "interval");
    this.batchSize = batchSize;
    this.holder = Objects.requireNonNull(holder, "holder");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.observer = Objects.requireNonNull(observer, "observer");
  }

  /**
   * Runs the jobs every interval, the first time within a minute (at a random point, so that
   * processes started together do not all ask for the lease at once).
   */
  public synchronized void start() {
    if (scheduler != null) {
      return;
    }
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "herald-housekeeping");
              t.setDaemon(true);
              return t;
            });
    long firstMillis =
        ThreadLocalRandom.current().nextLong(Math.min(interval.toMillis(), 60_000) + 1);
    scheduler.scheduleWithFixedDelay(
        this::runQuietly, firstMillis, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Erases a tenant just deleted without waiting for the next run. */
  public synchronized void eraseSoon(String tenantId) {
    if (scheduler != null) {
      scheduler.execute(() -> erase(tenantId));
    }
  }

  private void runQuietly() {
    try {
      runOnce();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "housekeeping failed, next try in {0}: {1}", interval, e.toString());
    }
  }

  /**
   * Runs the jobs now if this process can take the lease.
   *
   * @return what was deleted, or empty when another process holds the lease
   */
  public Optional<Run> runOnce() {
    if (!store.tryLease(JOB, holder, interval)) {
      return Optional.empty();
    }
    Instant started = clock.instant();
    Instant cutoff = started.minus(retention);
    Purged purged = store.purgeEventsOlderThan(cutoff, batchSize);
    observer.purged(purged);
    Purged erased = Purged.NONE;
    for (String tenant : store.deletedTenants()) {
      erased = erased.plus(erase(tenant));
    }
    Run run = new Run(cutoff, purged, erased, Duration.between(started, clock.instant()));
    LOG.log(
        Level.INFO,
        "retention purge: deleted {0} events, {1} deliveries and {2} attempts created before {3}"
            + " in {4} ms",
        purged.events(),
        purged.deliveries(),
        purged.attempts(),
        cutoff,
        run.took().toMillis());
    return Optional.of(run);
  }

  private Purged erase(String tenantId) {
    try {
      Purged erased = store.eraseDeletedTenant(tenantId, batchSize);
      observer.purged(erased);
      LOG.log(
          Level.INFO,
          "erased deleted tenant {0}: {1} events, {2} deliveries, {3} attempts",
          tenantId,
          erased.events(),
          erased.deliveries(),
          erased.attempts());
      return erased;
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "erasing deleted tenant {0} failed, the next run goes on: {1}",
          tenantId,
          e.toString());
      return Purged.NONE;
    }
  }

  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
  }
}
