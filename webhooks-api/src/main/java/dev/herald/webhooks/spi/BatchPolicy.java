package dev.herald.webhooks.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * Batched delivery to an endpoint (DESIGN 16, {@code batch}): one request carries up to {@code
 * maxEvents} events, sent once that many wait or the oldest has waited {@code maxWait}.
 *
 * @param maxEvents 1 to {@value #MAX_EVENTS} events per request
 * @param maxWait 0 to 60 seconds
 */
public record BatchPolicy(int maxEvents, Duration maxWait) {
  public static final int MAX_EVENTS = 1000;
  public static final Duration MAX_WAIT = Duration.ofSeconds(60);

  public BatchPolicy {
    if (maxEvents < 1 || maxEvents > MAX_EVENTS) {
      throw new IllegalArgumentException(
          "max_events must be between 1 and " + MAX_EVENTS + ", was " + maxEvents);
    }
    Objects.requireNonNull(maxWait, "maxWait");
    if (maxWait.isNegative() || maxWait.compareTo(MAX_WAIT) > 0) {
      throw new IllegalArgumentException(
          "max_wait_ms must be between 0 and "
              + MAX_WAIT.toMillis()
              + ", was "
              + maxWait.toMillis());
    }
  }
}
