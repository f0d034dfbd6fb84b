package dev.herald.webhooks.worker;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Per test: a loopback receiver, and a store on a fresh PostgreSQL schema whose HTTP transport may
 * reach it.
 */
abstract class WorkerWithReceiverTest {
  LoopbackReceiver receiver;
  WorkerFixture fixture;

  @BeforeEach
  void openReceiverAndStore() throws Exception {
    receiver = new LoopbackReceiver();
    fixture = new WorkerFixture(WorkerFixture.loopbackAllowed());
  }

  @AfterEach
  void closeReceiverAndStore() throws Exception {
    fixture.close();
    receiver.close();
  }
}
