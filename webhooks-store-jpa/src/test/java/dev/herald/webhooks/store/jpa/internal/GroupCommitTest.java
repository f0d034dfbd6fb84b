package dev.herald.webhooks.store.jpa.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

  /** A store that takes about a millisecond per group, as a transaction does, and counts groups. */
  private static final class SlowStore {
    final AtomicLong groups = new AtomicLong();
    final Map<Integer, Integer> stored = new ConcurrentHashMap<>();

    List<Integer> storeAll(List<Integer> items) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
      items.forEach(i -> stored.merge(i, 1, Integer::sum));
      groups.incrementAndGet();
      return items.stream().map(i -> i * 10).toList();
    }
  }

  @Test
  void everyCallerGetsItsOwnResultAndEveryItemIsStoredOnce() throws Exception {
    SlowStore store = new SlowStore();
    GroupCommit<Integer, Integer> group = new GroupCommit<>(store::storeAll);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<Integer>> results = submitAll(group, pool, 2_000);
      for (int i = 0; i < results.size(); i++) {
        assertThat(results.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(i * 10);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.stored).hasSize(2_000).allSatisfy((item, times) -> assertThat(times).isOne());
    assertThat(store.groups.get()).as("callers were grouped").isLessThan(2_000);
  }

  /**
   * Under a steady stream the queue is seldom empty when a group ends. A leader that kept leading
   * until it was kept its own caller for the whole stream (1,678 groups of 1,678 once); each caller
   * here returns within a few groups of submitting, leader or not. The bound leaves room for a
   * caller's thread waiting for a core after its result came (24 threads on two cores in CI).
   */
  @Test
  void underASteadyStreamNoCallerWaitsForMoreThanAFewGroups() throws Exception {
    SlowStore store = new SlowStore();
    GroupCommit<Integer, Integer> group = new GroupCommit<>(store::storeAll);
    AtomicInteger next = new AtomicInteger();
    AtomicLong worst = new AtomicLong();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    ExecutorService pool = Executors.newFixedThreadPool(24);
    try {
      List<Future<?>> callers = new ArrayList<>();
      for (int t = 0; t < 24; t++) {
        callers.add(
            pool.submit(
                () -> {
                  while (System.nanoTime() < until) {
                    long before = store.groups.get();
                    int item = next.getAndIncrement();
                    assertThat(group.submit(item)).isEqualTo(item * 10);
                    worst.accumulateAndGet(store.groups.get() - before, Math::max);
                    // Callers arrive spread out, as requests do, rather than all at once.
                    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(300));
                  }
                }));
      }
      for (Future<?> caller : callers) {
        caller.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.stored).hasSize(next.get());
    assertThat(worst.get())
        .as("groups stored while one caller waited, of %d groups", store.groups.get())
        .isLessThanOrEqualTo(20);
  }

  @Test
  void aFailingItemFailsOnlyItsCaller() throws Exception {
    GroupCommit<Integer, Integer> group =
        new GroupCommit<>(
            items -> {
              if (items.contains(13)) {
                throw new IllegalStateException("13 refused");
              }
              return items;
            });
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> results = submitAll(group, pool, 100);
      for (int i = 0; i < 100; i++) {
        if (i == 13) {
          Future<Integer> failed = results.get(i);
          assertThatThrownBy(() -> failed.get(30, TimeUnit.SECONDS))
              .hasCauseInstanceOf(IllegalStateException.class);
        } else {
          assertThat(results.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(i);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Submits items 0 to {@code count - 1}, each from a task of its own on {@code pool}. */
  private static List<Future<Integer>> submitAll(
      GroupCommit<Integer, Integer> group, ExecutorService pool, int count) {
    List<Future<Integer>> results = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int item = i;
      results.add(pool.submit(() -> group.submit(item)));
    }
    return results;
  }
}
