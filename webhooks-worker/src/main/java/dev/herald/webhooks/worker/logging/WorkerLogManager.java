package dev.herald.webhooks.worker.logging;

import java.util.logging.LogManager;

/**
 * The worker's {@link LogManager}: once the worker has set its handlers up, {@link #reset()} no
 * longer removes them. The JDK's own shutdown hook resets logging while the other hooks run, so the
 * worker's shutdown hook would otherwise log its outcome into nothing. Chosen with the system
 * property {@code java.util.logging.manager} before any logging happens.
 */
public final class WorkerLogManager extends LogManager {
  private static volatile boolean configured;

  /** From now on, handlers stay until the process exits. */
  public static void keepHandlersUntilExit() {
    configured = true;
  }

  @Override
  public void reset() {
    if (!configured) {
      super.reset();
    }
  }
}
