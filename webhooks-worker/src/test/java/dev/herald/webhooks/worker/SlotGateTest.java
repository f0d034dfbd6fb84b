package dev.herald.webhooks.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SlotGateTest {
  @Test
  void neverRunsMoreSendsAtOnceThanItsSlotsAndRunsEveryOne() throws Exception {
    SlotGate gate = new SlotGate();
    gate.grant(3);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger highest = new AtomicInteger();
    AtomicInteger ran = new AtomicInteger();
    ExecutorService threads = Executors.newFixedThreadPool(8);
    CountDownLatch done = new CountDownLatch(40);
    for (int i = 0; i < 40; i++) {
      gate.hold();
      threads.execute(
          () ->
              gate.run(
                  () -> {
                    highest.accumulateAndGet(running.incrementAndGet(), Math::max);
                    try {
                      Thread.sleep(5);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                    running.decrementAndGet();
                    ran.incrementAndGet();
                    gate.done();
                    done.countDown();
                  }));
    }
    assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
    threads.shutdown();
    assertThat(ran.get()).isEqualTo(40);
    assertThat(highest.get()).isBetween(1, 3);
    assertThat(gate.idle()).isTrue();
  }

  @Test
  void fewerSlotsTakeEffectAsSendsFinish() {
    SlotGate gate = new SlotGate();
    gate.grant(2);
    List<String> order = new ArrayList<>();
    // One send runs and, while it runs, two more are queued behind the second slot's absence.
    gate.run(
        () -> {
          gate.run(() -> order.add("second"));
          gate.grant(1);
          gate.run(() -> order.add("third"));
          order.add("first");
        });
    assertThat(order).containsExactly("second", "first", "third");
  }
}
