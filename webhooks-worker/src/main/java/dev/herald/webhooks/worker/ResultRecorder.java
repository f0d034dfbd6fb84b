package dev.herald.webhooks.worker;

import dev.herald.webhooks.spi.DeliveryResult;
import dev.herald.webhooks.spi.HealthRules;
import dev.herald.webhooks.spi.OutboxStore;
import dev.herald.webhooks.spi.Recorded;
import dev.herald.webhooks.spi.StoreUnavailableException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Collects outcomes from the sending threads and records them in batches, so that the store sees
 * one transaction per batch instead of one per delivery. A batch that cannot be recorded after a
 * few tries is given up: its leases expire and the deliveries are sent again (at-least-once).
 */
final class ResultRecorder {
  private static final System.Logger LOG = System.getLogger(ResultRecorder.class.getName());
  private static final int MAX_BATCH = 500;
  private static final long[] BACKOFF_MILLIS = {50, 250, 1000};

  private final OutboxStore outbox;
  private final String owner;
  private final HealthRules rules;
  private final Consumer<Recorded.HealthChange> healthChanged;
  private final Runnable afterRecord;

  /** Results in groups that are recorded in one transaction: a batched request's members. */
  private final BlockingQueue<List<DeliveryResult>> queue = new LinkedBlockingQueue<>();

  private final Thread thread;
  private volatile boolean running = true;

  /**
   * @param rules how the outcomes change their endpoints' health
   * @param healthChanged told each endpoint health change a recorded batch made
   * @param afterRecord run after each batch is recorded: recorded deliveries no longer count
   *     against their endpoint's in-flight limit, so the worker may claim again
   */
  ResultRecorder(
      OutboxStore outbox,
      String owner,
      HealthRules rules,
      Consumer<Recorded.HealthChange> healthChanged,
      Runnable afterRecord) {
    this.outbox = outbox;
    this.owner = owner;
    this.rules = rules;
    this.healthChanged = healthChanged;
    this.afterRecord = afterRecord;
    this.thread = new Thread(this::run, "herald-recorder");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  void add(DeliveryResult result) {
    queue.add(List.of(result));
  }

  /** Results recorded together, in one transaction. */
  void addAll(List<DeliveryResult> results) {
    queue.add(List.copyOf(results));
  }

  /** Records what is queued, then stops. */
  void stop() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(TimeUnit.SECONDS.toMillis(30));
    List<DeliveryResult> rest = new ArrayList<>();
    for (List<DeliveryResult> group = queue.poll(); group != null; group = queue.poll()) {
      rest.addAll(group);
    }
    if (!rest.isEmpty()) {
      flush(rest);
    }
  }

  private void run() {
    List<DeliveryResult> batch = new ArrayList<>(MAX_BATCH);
    while (running) {
      try {
        List<DeliveryResult> first = queue.poll(50, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.addAll(first);
        while (batch.size() < MAX_BATCH) {
          List<DeliveryResult> next = queue.poll();
          if (next == null) {
            break;
          }
          batch.addAll(next);
        }
        flush(batch);
        batch.clear();
        afterRecord.run();
      } catch (InterruptedException e) {
        if (!running) {
          // stop() records what is left from its own thread.
          queue.add(List.copyOf(batch));
          return;
        }
      }
    }
  }

  private void flush(List<DeliveryResult> batch) {
    for (int attempt = 0; ; attempt++) {
      try {
        outbox.record(owner, List.copyOf(batch), rules).changes().forEach(healthChanged);
        return;
      } catch (RuntimeException e) {
        if (attempt == BACKOFF_MILLIS.length) {
          LOG.log(
              Level.ERROR,
              "could not record "
                  + batch.size()
                  + " outcomes; their leases will expire and they will be sent again: "
                  + e);
          return;
        }
        LOG.log(
            e instanceof StoreUnavailableException ? Level.DEBUG : Level.WARNING,
            "recording outcomes failed, trying again: {0}",
            e.toString());
        try {
          Thread.sleep(BACKOFF_MILLIS[attempt]);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
