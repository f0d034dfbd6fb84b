package dev.herald.webhooks.worker;

import dev.herald.webhooks.spi.Endpoint;
import dev.herald.webhooks.spi.EndpointDirectory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Endpoints read from the store at most once per second each, so a burst of deliveries to one
 * endpoint costs one query. Changes (rotation, disabling) reach the worker within that second.
 */
final class EndpointCache {
  private static final Duration TTL = Duration.ofSeconds(1);

  private record Entry(Optional<Endpoint> endpoint, Instant loadedAt) {}

  private final EndpointDirectory directory;
  private final Clock clock;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  EndpointCache(EndpointDirectory directory, Clock clock) {
    this.directory = directory;
    this.clock = clock;
  }

  Optional<Endpoint> find(String tenantId, String endpointId) {
    Instant now = clock.instant();
    Entry entry = entries.get(endpointId);
    if (entry == null || entry.loadedAt().plus(TTL).isBefore(now)) {
      entry = new Entry(directory.find(tenantId, endpointId), now);
      entries.put(endpointId, entry);
    }
    return entry.endpoint();
  }

  void invalidate(String endpointId) {
    entries.remove(endpointId);
  }
}
