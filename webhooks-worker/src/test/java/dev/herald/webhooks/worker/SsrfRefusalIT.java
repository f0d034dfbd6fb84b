package dev.herald.webhooks.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.webhooks.api.PublishResult;
import dev.herald.webhooks.core.circuit.CircuitBreakerPolicy;
import dev.herald.webhooks.core.retry.RetrySchedule;
import dev.herald.webhooks.spi.AttemptRecord;
import dev.herald.webhooks.spi.DeliveryStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Without an explicit exemption, a loopback endpoint is refused at send time and never contacted.
 */
class SsrfRefusalIT {

  @Test
  void loopbackEndpointIsRefusedWithoutAnExemptionAndNoConnectionIsMade() throws Exception {
    try (LoopbackReceiver receiver = new LoopbackReceiver();
        WorkerFixture fixture =
            new WorkerFixture(Map.of("herald.ssrf.allowed-ports", "*", "webhook.timeout", "5"))) {
      fixture.endpoint(receiver.url("/hook"), "*");
      fixture.startWorker(
          WorkerFixture.options(
              RetrySchedule.of(List.of(Duration.ofMillis(100))), CircuitBreakerPolicy.defaults()));
      PublishResult published = fixture.publishMemoryCreated("m-1");

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> fixture.onlyDelivery(published.eventId()).status() == DeliveryStatus.DEAD);
      String deliveryId = fixture.onlyDelivery(published.eventId()).id();
      assertThat(fixture.store.attempts(WorkerFixture.TENANT, null, deliveryId).orElseThrow())
          .extracting(AttemptRecord::errorType)
          .containsExactly("ssrf_denied");
      assertThat(receiver.requests()).isEmpty();
    }
  }
}
