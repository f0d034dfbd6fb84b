package dev.herald.webhooks.web.health;

import dev.herald.webhooks.store.jpa.JpaStore;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Pings the store on a thread of its own, so that a readiness check answers within its deadline
 * even while a connection attempt hangs; a probe still running is awaited, never doubled.
 */
@ApplicationScoped
public class StoreProbe {
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(
          task -> {
            Thread t = new Thread(task, "herald-store-probe");
            t.setDaemon(true);
            return t;
          });
  private CompletableFuture<Void> running;

  /** Empty when the store answered within {@code deadline}, else why not. */
  public Optional<String> check(JpaStore store, Duration deadline) {
    CompletableFuture<Void> probe;
    synchronized (this) {
      if (running == null || running.isDone()) {
        running = CompletableFuture.runAsync(() -> store.ping(deadline), thread);
      }
      probe = running;
    }
    try {
      probe.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
      return Optional.empty();
    } catch (TimeoutException e) {
      return Optional.of("the database did not answer within " + deadline.toSeconds() + " s");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      return Optional.of(cause.getClass().getSimpleName() + ": " + cause.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted");
    }
  }

  @PreDestroy
  void stop() {
    thread.shutdownNow();
  }
}
