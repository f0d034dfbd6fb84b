package dev.herald.webhooks.transport.redis.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Limits concurrent publishes, as MicroProfile's {@code @Bulkhead} does in the server, so that a
 * slow Redis cannot hold every worker thread. Thread-safe.
 */
public final class Bulkhead {

  private final int capacity;
  private final Semaphore permits;
  private final Duration maxWait;

  /**
   * @param capacity concurrent calls allowed, >= 1
   * @param maxWait how long {@link #tryEnter} waits for a slot, >= 0
   */
  public Bulkhead(int capacity, Duration maxWait) {
    Objects.requireNonNull(maxWait, "maxWait");
    if (capacity < 1) {
      throw new IllegalArgumentException("Capacity must be >= 1");
    }
    if (maxWait.isNegative()) {
      throw new IllegalArgumentException("Max wait must be >= 0");
    }
    this.capacity = capacity;
    this.permits = new Semaphore(capacity);
    this.maxWait = maxWait;
  }

  /** Takes a slot, waiting at most the max wait; false when the bulkhead stayed full. */
  public boolean tryEnter() {
    try {
      return permits.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Gives back a slot taken by {@link #tryEnter}. */
  public void exit() {
    permits.release();
  }

  public int capacity() {
    return capacity;
  }

  /** Slots free now. */
  public int available() {
    return permits.availablePermits();
  }
}
