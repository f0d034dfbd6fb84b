package dev.herald.webhooks.web.application;

import dev.herald.webhooks.spi.OutboundMessage;
import dev.herald.webhooks.spi.SendOutcome;
import dev.herald.webhooks.spi.Transport;
import java.time.Duration;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * The Redis transport behind {@link RedisGuard}: whatever the guard refuses becomes a retry, so the
 * outbox tries the publish again later and nothing is dropped.
 */
final class GuardedRedisTransport implements Transport {
  private final Transport redis;
  private final RedisGuard guard;

  GuardedRedisTransport(Transport redis, RedisGuard guard) {
    this.redis = redis;
    this.guard = guard;
  }

  @Override
  public SendOutcome send(OutboundMessage message) {
    long start = System.nanoTime();
    try {
      return guard.publish(redis, message);
    } catch (RedisGuard.RedisPublishFailed e) {
      return e.outcome();
    } catch (CircuitBreakerOpenException e) {
      return retry(start, "redis_circuit_open", "Redis keeps failing; publishes are paused");
    } catch (BulkheadException e) {
      return retry(start, "redis_bulkhead_full", "too many concurrent Redis publishes");
    } catch (TimeoutException e) {
      return retry(start, "redis_timeout", "Redis did not answer in time");
    }
  }

  private static SendOutcome retry(long start, String type, String message) {
    return new SendOutcome.Retry(
        null,
        Duration.ofNanos(System.nanoTime() - start),
        new SendOutcome.Error(type, message),
        null);
  }

  @Override
  public void close() {
    redis.close();
  }
}
