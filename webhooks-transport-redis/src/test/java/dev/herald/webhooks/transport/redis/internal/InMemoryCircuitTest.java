package dev.herald.webhooks.transport.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.webhooks.core.circuit.CircuitBreakerPolicy;
import dev.herald.webhooks.spi.CircuitState.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class InMemoryCircuitTest {

  private static final class MutableClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final MutableClock clock = new MutableClock();
  private final InMemoryCircuit circuit =
      new InMemoryCircuit(new CircuitBreakerPolicy(2, Duration.ofSeconds(30)), clock);

  @Test
  void opensAtTheThresholdAndRefusesUntilTheOpenDurationPasses() {
    circuit.onFailure();
    assertThat(circuit.isOpen()).isFalse();
    circuit.onFailure();

    assertThat(circuit.isOpen()).isTrue();
    assertThat(circuit.tryAcquire()).isFalse();
    assertThat(circuit.retryAfter()).isEqualTo(Duration.ofSeconds(30));

    clock.now = clock.now.plusSeconds(29);
    assertThat(circuit.tryAcquire()).isFalse();
  }

  @Test
  void halfOpenLetsExactlyOneProbeThrough() {
    circuit.onFailure();
    circuit.onFailure();
    clock.now = clock.now.plusSeconds(30);

    assertThat(circuit.tryAcquire()).isTrue();
    assertThat(circuit.state().status()).isEqualTo(Status.HALF_OPEN);
    assertThat(circuit.tryAcquire()).isFalse();
    assertThat(circuit.isOpen()).isTrue();

    circuit.onSuccess();
    assertThat(circuit.state().status()).isEqualTo(Status.CLOSED);
    assertThat(circuit.tryAcquire()).isTrue();
  }

  @Test
  void failedProbeReopensFromNow() {
    circuit.onFailure();
    circuit.onFailure();
    clock.now = clock.now.plusSeconds(31);
    assertThat(circuit.tryAcquire()).isTrue();

    circuit.onFailure();

    assertThat(circuit.state().status()).isEqualTo(Status.OPEN);
    assertThat(circuit.retryAfter()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void neutralResultFreesTheProbeWithoutClosing() {
    circuit.onFailure();
    circuit.onFailure();
    clock.now = clock.now.plusSeconds(30);
    assertThat(circuit.tryAcquire()).isTrue();

    circuit.onNeutral();

    assertThat(circuit.state().status()).isEqualTo(Status.HALF_OPEN);
    assertThat(circuit.tryAcquire()).isTrue();
  }
}
