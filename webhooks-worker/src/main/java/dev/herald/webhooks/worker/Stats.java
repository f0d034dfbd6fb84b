package dev.herald.webhooks.worker;

import dev.herald.webhooks.spi.DeliveryResult;
import java.util.concurrent.atomic.LongAdder;

/** A worker's counters since start. Thread-safe. */
final class Stats {
  private final LongAdder claimed = new LongAdder();
  private final LongAdder succeeded = new LongAdder();
  private final LongAdder retried = new LongAdder();
  private final LongAdder dead = new LongAdder();
  private final LongAdder postponed = new LongAdder();

  void claimed(int count) {
    claimed.add(count);
  }

  void count(DeliveryResult.Next next) {
    if (next instanceof DeliveryResult.Succeeded) {
      succeeded.increment();
    } else if (next instanceof DeliveryResult.RetryAt) {
      retried.increment();
    } else if (next instanceof DeliveryResult.Dead) {
      dead.increment();
    } else {
      postponed.increment();
    }
  }

  DeliveryWorker.Counts snapshot() {
    return new DeliveryWorker.Counts(
        claimed.sum(), succeeded.sum(), retried.sum(), dead.sum(), postponed.sum());
  }
}
