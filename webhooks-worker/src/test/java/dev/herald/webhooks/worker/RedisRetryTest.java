package dev.herald.webhooks.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.webhooks.spi.DeliveryResult;
import dev.herald.webhooks.spi.SendOutcome;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RedisRetryTest {
  private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
  private static final SendOutcome.Error DOWN =
      new SendOutcome.Error("redis_connection_refused", "Connection refused");
  private static final SendOutcome FAILED = new SendOutcome.Retry(null, Duration.ZERO, DOWN, null);

  @Test
  void aFailureIsTriedAgainWhenTheCircuitNextLetsAPublishThroughHoweverOldTheDelivery() {
    RedisRetry retry = new RedisRetry(null);
    Instant yearOld = NOW.minus(Duration.ofDays(365));
    assertThat(retry.next(FAILED, yearOld, Duration.ofSeconds(5), NOW))
        .isEqualTo(new DeliveryResult.RetryAt(NOW.plusSeconds(5)));
    assertThat(retry.next(FAILED, yearOld, Duration.ZERO, NOW))
        .as("circuit still closed: soon, never in a tight loop")
        .isEqualTo(new DeliveryResult.RetryAt(NOW.plus(RedisRetry.MIN_WAIT)));
  }

  @Test
  void aRefusalWaitsWithoutAnAttempt() {
    SendOutcome refused =
        new SendOutcome.Refused(
            Duration.ZERO,
            new SendOutcome.Error("redis_circuit_open", "open"),
            Duration.ofSeconds(4));
    assertThat(
            new RedisRetry(Duration.ofMinutes(1))
                .next(refused, NOW.minusSeconds(3600), Duration.ZERO, NOW))
        .as("even past the maximum age: a refusal is no failure")
        .isEqualTo(new DeliveryResult.Postponed(NOW.plusSeconds(4)));
  }

  @Test
  void onlyTheOperatorsMaximumAgeOrAFailureForGoodDeadLetters() {
    RedisRetry retry = new RedisRetry(Duration.ofHours(2));
    assertThat(retry.next(FAILED, NOW.minus(Duration.ofMinutes(119)), Duration.ZERO, NOW))
        .isInstanceOf(DeliveryResult.RetryAt.class);
    assertThat(retry.next(FAILED, NOW.minus(Duration.ofMinutes(121)), Duration.ZERO, NOW))
        .isInstanceOf(DeliveryResult.Dead.class)
        .extracting(next -> ((DeliveryResult.Dead) next).reason())
        .asString()
        .startsWith("older than HERALD_REDIS_MAX_AGE (PT2H)");
    SendOutcome wrongType =
        new SendOutcome.Failed(
            null, Duration.ZERO, new SendOutcome.Error("redis_wrongtype", "WRONGTYPE"), false);
    assertThat(new RedisRetry(null).next(wrongType, NOW, Duration.ZERO, NOW))
        .isInstanceOf(DeliveryResult.Dead.class);
  }
}
