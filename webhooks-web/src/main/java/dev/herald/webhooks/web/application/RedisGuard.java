package dev.herald.webhooks.web.application;

import dev.herald.webhooks.spi.OutboundMessage;
import dev.herald.webhooks.spi.SendOutcome;
import dev.herald.webhooks.spi.Transport;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;

/**
 * Guards Redis publishes inside the server with MicroProfile Fault Tolerance: a timeout per
 * publish, a circuit breaker that stops calling a Redis that keeps failing, and a bulkhead that
 * bounds concurrent publishes. The values match the transport's own defaults and can be changed
 * with the standard MicroProfile Fault Tolerance keys, e.g. {@code
 * dev.herald.webhooks.web.application.RedisGuard/publish/CircuitBreaker/delay=60000}.
 */
@ApplicationScoped
public class RedisGuard {

  /**
   * Publishes once.
   *
   * @throws RedisPublishFailed when Redis did not take the message, so that the circuit breaker
   *     counts it
   */
  @Timeout(value = 3, unit = ChronoUnit.SECONDS)
  @CircuitBreaker(
      requestVolumeThreshold = 5,
      failureRatio = 1.0,
      delay = 30,
      delayUnit = ChronoUnit.SECONDS,
      successThreshold = 1,
      failOn = RedisPublishFailed.class)
  @Bulkhead(16)
  public SendOutcome publish(Transport redis, OutboundMessage message) {
    SendOutcome outcome = redis.send(message);
    if (!(outcome instanceof SendOutcome.Succeeded)) {
      throw new RedisPublishFailed(outcome);
    }
    return outcome;
  }

  /** Carries a failed publish's outcome through the fault-tolerance interceptors. */
  public static final class RedisPublishFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient SendOutcome outcome;

    RedisPublishFailed(SendOutcome outcome) {
      super("Redis publish failed", null, false, false);
      this.outcome = outcome;
    }

    public SendOutcome outcome() {
      return outcome;
    }
  }
}
