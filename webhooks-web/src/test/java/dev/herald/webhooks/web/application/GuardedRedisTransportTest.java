package dev.herald.webhooks.web.application;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.webhooks.spi.OutboundMessage;
import dev.herald.webhooks.spi.SendOutcome;
import dev.herald.webhooks.spi.Transport;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.junit.jupiter.api.Test;

/** Whatever the fault-tolerance guard refuses becomes a retry; nothing is dropped. */
class GuardedRedisTransportTest {
  private static final OutboundMessage MESSAGE =
      new OutboundMessage(
          "dlv_1", "evt_1", "memory.created", "acme", null, 1, new byte[0], Map.of());

  private static final Transport UNUSED =
      new Transport() {
        @Override
        public SendOutcome send(OutboundMessage message) {
          throw new AssertionError("the guard decides");
        }

        @Override
        public void close() {}
      };

  private static SendOutcome sendThrough(Supplier<SendOutcome> guardBehaviour) {
    RedisGuard guard =
        new RedisGuard() {
          @Override
          public SendOutcome publish(Transport redis, OutboundMessage message) {
            return guardBehaviour.get();
          }
        };
    return new GuardedRedisTransport(UNUSED, guard).send(MESSAGE);
  }

  private static String errorType(SendOutcome outcome) {
    assertThat(outcome).isInstanceOf(SendOutcome.Retry.class);
    return ((SendOutcome.Retry) outcome).error().type();
  }

  @Test
  void openCircuitIsARetry() {
    assertThat(
            errorType(
                sendThrough(
                    () -> {
                      throw new CircuitBreakerOpenException("open");
                    })))
        .isEqualTo("redis_circuit_open");
  }

  @Test
  void fullBulkheadIsARetry() {
    assertThat(
            errorType(
                sendThrough(
                    () -> {
                      throw new BulkheadException("full");
                    })))
        .isEqualTo("redis_bulkhead_full");
  }

  @Test
  void timeoutIsARetry() {
    assertThat(
            errorType(
                sendThrough(
                    () -> {
                      throw new TimeoutException("slow");
                    })))
        .isEqualTo("redis_timeout");
  }

  @Test
  void failedPublishKeepsTheTransportsOwnOutcome() {
    SendOutcome own =
        new SendOutcome.Retry(
            null,
            Duration.ofMillis(3),
            new SendOutcome.Error("connection_refused", "refused"),
            null);
    assertThat(
            sendThrough(
                () -> {
                  throw new RedisGuard.RedisPublishFailed(own);
                }))
        .isSameAs(own);
  }

  @Test
  void successPassesThrough() {
    SendOutcome ok = new SendOutcome.Succeeded(new SendOutcome.Response(0, "1-0"), Duration.ZERO);
    assertThat(sendThrough(() -> ok)).isSameAs(ok);
  }
}
