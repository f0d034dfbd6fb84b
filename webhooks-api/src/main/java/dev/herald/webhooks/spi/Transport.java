package dev.herald.webhooks.spi;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Sends one signed message to one destination. Implementations are thread-safe: the worker calls
 * {@link #send} concurrently from many threads. They report failures as outcomes and never throw
 * for a failure of the destination.
 */
public interface Transport extends AutoCloseable {

  /** Sends the message once, without retrying; the outbox schedules retries. */
  SendOutcome send(OutboundMessage message);

  /**
   * How long from now this transport refuses every send ({@link SendOutcome.Refused}), e.g. while
   * its circuit breaker is open; zero when it would try. The worker claims none of its deliveries
   * meanwhile, so that a long outage costs no work per waiting delivery.
   */
  default Duration pausedFor() {
    return Duration.ZERO;
  }

  /**
   * Sends the CloudEvents webhook validation request to {@code destination}: an {@code OPTIONS}
   * with {@code headers} ({@code WebHook-Request-Origin}, maybe {@code WebHook-Request-Rate}),
   * under the same guards as {@link #send}. Empty when this transport has no such request.
   */
  default Optional<HandshakeAnswer> validate(String destination, Map<String, String> headers) {
    return Optional.empty();
  }

  /** Releases pooled connections. Further sends are not allowed. */
  @Override
  void close();
}
