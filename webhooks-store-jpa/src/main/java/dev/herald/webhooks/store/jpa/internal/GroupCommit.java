package dev.herald.webhooks.store.jpa.internal;

import dev.herald.webhooks.store.jpa.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Stores concurrent callers' items together: the first caller to find no group in progress becomes
 * the leader and stores every waiting item in one call, the others wait for it. A lone caller pays
 * nothing extra; sixteen concurrent callers pay about one transaction's round trips and one WAL
 * flush instead of sixteen. Each caller still returns only after its own item is stored. When a
 * group fails, each of its items is stored alone, so that only the caller whose item failed sees
 * the failure. Thread-safe.
 */
final class GroupCommit<T, R> {
  private static final int GROUP_MAX = 500;

  private record Pending<T, R>(T item, CompletableFuture<R> result) {}

  private final Function<List<T>, List<R>> storeAll;
  private final ConcurrentLinkedQueue<Pending<T, R>> waiting = new ConcurrentLinkedQueue<>();
  private final ReentrantLock leader = new ReentrantLock();

  /**
   * @param storeAll stores the items in one transaction and returns their results in order
   */
  GroupCommit(Function<List<T>, List<R>> storeAll) {
    this.storeAll = storeAll;
  }

  R submit(T item) {
    Pending<T, R> me = new Pending<>(item, new CompletableFuture<>());
    waiting.add(me);
    lead();
    try {
      // Whoever holds the lead now stores this item: every leader looks at the queue again after
      // letting go of the lead (see lead()), and this item was queued before that.
      return me.result().get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new StoreException("store failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("store interrupted", e);
    }
  }

  /**
   * Stores what is waiting unless another caller leads. A leader drains the queue, lets go, and
   * looks again: an item queued while it was letting go would otherwise wait for a leader that has
   * gone. So a caller that finds the lead taken can block until its result, without polling.
   */
  private void lead() {
    while (!waiting.isEmpty() && leader.tryLock()) {
      try {
        for (List<Pending<T, R>> group = drain(); !group.isEmpty(); group = drain()) {
          store(group);
        }
      } finally {
        leader.unlock();
      }
    }
  }

  private List<Pending<T, R>> drain() {
    List<Pending<T, R>> group = new ArrayList<>();
    for (Pending<T, R> p = waiting.poll(); p != null; p = waiting.poll()) {
      group.add(p);
      if (group.size() == GROUP_MAX) {
        break;
      }
    }
    return group;
  }

  private void store(List<Pending<T, R>> group) {
    if (group.size() > 1) {
      try {
        List<R> results = storeAll.apply(group.stream().map(Pending::item).toList());
        for (int i = 0; i < group.size(); i++) {
          group.get(i).result().complete(results.get(i));
        }
        return;
      } catch (RuntimeException e) {
        // One item may be what failed: store each alone below.
      }
    }
    for (Pending<T, R> p : group) {
      try {
        p.result().complete(storeAll.apply(List.of(p.item())).get(0));
      } catch (Throwable e) {
        // Every caller of the group waits on its result: none may be left without one.
        p.result().completeExceptionally(e);
      }
    }
  }
}
