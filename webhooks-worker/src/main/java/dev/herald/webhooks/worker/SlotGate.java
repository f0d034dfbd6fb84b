package dev.herald.webhooks.worker;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * This worker's slots of one endpoint: at most {@link #slots} sends to it at once. The claim that
 * handed out the deliveries granted the slots, from the endpoint's {@code max_in_flight} shared by
 * every process. A send over the limit waits in a queue and runs on the thread of a send that
 * finishes. Thread-safe.
 */
final class SlotGate {
  private final Deque<Runnable> waiting = new ArrayDeque<>();
  private int slots;
  private int running;
  private int held;

  /** The slots granted by the latest claim; a smaller number takes effect as sends finish. */
  synchronized void grant(int slots) {
    if (slots > 0) {
      this.slots = slots;
    }
  }

  /** One more delivery of the endpoint is held by this worker. */
  synchronized void hold() {
    held++;
  }

  /** A held delivery is done (sent, or given back). */
  synchronized void done() {
    held--;
  }

  /** Whether this worker holds none of the endpoint's deliveries: its slots can go back. */
  synchronized boolean idle() {
    return held == 0;
  }

  /** Runs {@code send} now in this thread, or queues it to run after a send in progress. */
  void run(Runnable send) {
    synchronized (this) {
      if (running >= Math.max(1, slots)) {
        waiting.add(send);
        return;
      }
      running++;
    }
    Runnable next = send;
    while (next != null) {
      try {
        next.run();
      } finally {
        synchronized (this) {
          next = running > Math.max(1, slots) ? null : waiting.poll();
          if (next == null) {
            running--;
          }
        }
      }
    }
  }
}
