package dev.herald.webhooks.spi;

/**
 * Sends one signed message to one destination. Implementations are thread-safe: the worker calls
 * {@link #send} concurrently from many threads. They report failures as outcomes and never throw
 * for a failure of the destination.
 */
public interface Transport extends AutoCloseable {

  /** Sends the message once, without retrying; the outbox schedules retries. */
  SendOutcome send(OutboundMessage message);

  /** Releases pooled connections. Further sends are not allowed. */
  @Override
  void close();
}
