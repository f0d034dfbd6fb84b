package dev.herald.webhooks.store.jpa.internal;

import dev.herald.webhooks.store.jpa.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
    while (!me.result().isDone()) {
      if (leader.tryLock()) {
        try {
          // Store everything waiting, including what arrives meanwhile, so that nobody who queued
          // behind this leader is left waiting for a leader that has gone.
          for (List<Pending<T, R>> group = drain(); !group.isEmpty(); group = drain()) {
            store(group);
          }
        } finally {
          leader.unlock();
        }
      } else {
        try {
          me.result().get(1, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          // the leader is busy with an earlier group: try to lead the next one
        } catch (ExecutionException e) {
          break;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new StoreException("store interrupted", e);
        }
      }
    }
    try {
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
