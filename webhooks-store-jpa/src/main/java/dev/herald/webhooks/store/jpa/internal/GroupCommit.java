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
 * flush instead of sixteen. Each caller still returns only after its own item is stored. A leader
 * leads only until its own item is stored, then hands the lead to the oldest waiting caller: under
 * a steady stream the queue is seldom empty, and a leader that stayed until it was would keep its
 * own caller waiting for many groups. When a group fails, each of its items is stored alone, so
 * that only the caller whose item failed sees the failure. Thread-safe.
 */
final class GroupCommit<T, R> {
  private static final int GROUP_MAX = 500;

  /** One caller's item, its result, and the signal that asks it to lead. */
  private static final class Pending<T, R> {
    final T item;
    final CompletableFuture<R> result = new CompletableFuture<>();
    volatile CompletableFuture<Void> turn = new CompletableFuture<>();

    Pending(T item) {
      this.item = item;
    }
  }

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
    Pending<T, R> me = new Pending<>(item);
    waiting.add(me);
    try {
      lead(me);
      // Whoever holds the lead now stores this item, or hands the lead on to the oldest waiting
      // caller when its own is stored (see lead()): this one, unless it was stored before.
      while (!me.result.isDone()) {
        CompletableFuture<Void> turn = me.turn;
        CompletableFuture.anyOf(me.result, turn).get();
        if (!me.result.isDone()) {
          me.turn = new CompletableFuture<>();
          lead(me);
        }
      }
      return me.result.get();
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
   * Stores what is waiting, unless another caller leads, until {@code me} is stored; then hands the
   * lead to the oldest waiting caller. The lead is let go before looking at the queue: a caller
   * that queued its item before that look is asked to lead (or is behind one that is, and is stored
   * with it), and one that queued after it finds the lead free or taken by a leader that will look
   * in turn. So a caller that finds the lead taken can block until its result or its turn, without
   * polling. Only a caller that led hands on: one that found the lead taken waits.
   */
  private void lead(Pending<T, R> me) {
    while (!me.result.isDone() && !waiting.isEmpty() && leader.tryLock()) {
      try {
        while (!me.result.isDone()) {
          List<Pending<T, R>> group = drain();
          if (group.isEmpty()) {
            break;
          }
          store(group);
        }
      } finally {
        leader.unlock();
      }
      Pending<T, R> next = waiting.peek();
      if (next != null && me.result.isDone()) {
        next.turn.complete(null);
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
        List<R> results = storeAll.apply(group.stream().map(p -> p.item).toList());
        for (int i = 0; i < group.size(); i++) {
          group.get(i).result.complete(results.get(i));
        }
        return;
      } catch (RuntimeException e) {
        // One item may be what failed: store each alone below.
      }
    }
    for (Pending<T, R> p : group) {
      try {
        p.result.complete(storeAll.apply(List.of(p.item)).get(0));
      } catch (Throwable e) {
        // Every caller of the group waits on its result: none may be left without one.
        p.result.completeExceptionally(e);
      }
    }
  }
}
