package dev.herald.webhooks.worker;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Limits concurrent sends to one endpoint. A send over the limit waits in a short queue instead of
 * going back to the store, and the thread that finishes a send runs the next waiting one; only when
 * the queue is full too is a delivery postponed. The queue is as long as the limit, so one slow
 * endpoint holds at most twice its limit of the worker's capacity. Thread-safe.
 */
final class EndpointGate {
  private final int limit;
  private final int maxWaiting;
  private final Deque<Runnable> waiting = new ArrayDeque<>();
  private int running;

  EndpointGate(int limit, int maxWaiting) {
    this.limit = limit;
    this.maxWaiting = maxWaiting;
  }

  /**
   * Runs {@code send} now in this thread, or queues it to run after a send in progress.
   *
   * @return false when the endpoint is at its limit and its queue is full: nothing was run or
   *     queued
   */
  boolean run(Runnable send) {
    synchronized (this) {
      if (running >= limit) {
        if (waiting.size() >= maxWaiting) {
          return false;
        }
        waiting.add(send);
        return true;
      }
      running++;
    }
    Runnable next = send;
    while (next != null) {
      try {
        next.run();
      } finally {
        synchronized (this) {
          next = waiting.poll();
          if (next == null) {
            running--;
          }
        }
      }
    }
    return true;
  }
}
