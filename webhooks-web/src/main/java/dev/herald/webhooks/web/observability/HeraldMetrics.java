package dev.herald.webhooks.web.observability;

import dev.herald.webhooks.core.registry.EventTypeRegistry;
import dev.herald.webhooks.spi.AttemptRecord;
import dev.herald.webhooks.spi.CircuitState;
import dev.herald.webhooks.spi.ClaimedDelivery;
import dev.herald.webhooks.spi.DeliveryOperations;
import dev.herald.webhooks.spi.DeliveryResult;
import dev.herald.webhooks.spi.DeliveryTarget;
import dev.herald.webhooks.worker.DeliveryObserver;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

/**
 * Herald's metrics (DESIGN 12) in the application registry. Names are registered without the
 * suffixes the Prometheus output adds: {@code webhook_deliveries} is scraped as {@code
 * webhook_deliveries_total}, the timer {@code webhook_delivery_duration} as {@code
 * webhook_delivery_duration_seconds_*}. Every label has a bounded set of values; there is no
 * per-endpoint or per-tenant label.
 */
@ApplicationScoped
public class HeraldMetrics implements DeliveryObserver {
  /** Catalog types plus custom ones; beyond this, new types are counted as {@code other}. */
  static final int MAX_EVENT_TYPES = 100;

  static final int MAX_ERROR_TYPES = 100;
  private static final System.Logger LOG = System.getLogger(HeraldMetrics.class.getName());
  private static final String[] PRIORITIES = {"high", "normal", "low"};

  @Inject MetricRegistry registry;

  private volatile BoundedLabels eventTypes = new BoundedLabels(MAX_EVENT_TYPES);
  private final BoundedLabels errorTypes = new BoundedLabels(MAX_ERROR_TYPES);
  // The registry looks a metric up by name and tags at every call; each attempt would pay it.
  // Bounded by the label sets above.
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private volatile Timer deliveryDuration;

  /** Only registered event types (catalog and providers) become label values. */
  public void useEventTypes(EventTypeRegistry registered) {
    eventTypes = new BoundedLabels(MAX_EVENT_TYPES, type -> registered.find(type).isPresent());
  }

  /**
   * Registers the gauges that read the store (queue depth, circuits; cached for a second), and the
   * counters whose every series is known in advance, so that they are scraped as 0 before the first
   * event rather than missing.
   */
  public void register(DeliveryOperations store) {
    registry.counter(
        meta("webhook_circuit_breaker_opened", "Endpoint circuit breakers that opened"));
    for (String result : new String[] {"success", "failure"}) {
      registry.counter(
          meta("webhook_redis_publish", "Redis publishes, by result"), new Tag("result", result));
    }
    Snapshot<List<Long>> depth = new Snapshot<>(store::queueDepthByPriority, List.of(0L, 0L, 0L));
    for (int rank = 0; rank < PRIORITIES.length; rank++) {
      int r = rank;
      registry.gauge(
          Metadata.builder()
              .withName("webhook_queue_depth")
              .withDescription("Deliveries waiting or being sent (pending and in flight)")
              .build(),
          () -> depth.get().get(r),
          new Tag("priority", PRIORITIES[rank]));
    }
    Snapshot<Map<CircuitState.Status, Long>> circuits =
        new Snapshot<>(store::circuitsByStatus, Map.of());
    for (CircuitState.Status status : CircuitState.Status.values()) {
      registry.gauge(
          Metadata.builder()
              .withName("webhook_circuit_breaker_state")
              .withDescription("Endpoints whose circuit breaker is in each state")
              .build(),
          () -> circuits.get().getOrDefault(status, 0L),
          new Tag("state", status.name().toLowerCase(Locale.ROOT)));
    }
  }

  /** Counts an event that was stored (not a duplicate). */
  public void published(String eventType) {
    counter(
            "webhook_events_published",
            "Events accepted (duplicates excluded)",
            "type",
            eventTypes.of(eventType))
        .inc();
  }

  private Counter counter(String name, String description, String... tags) {
    return counters.computeIfAbsent(
        name + '\u0000' + String.join("\u0000", tags),
        key -> {
          Tag[] t = new Tag[tags.length / 2];
          for (int i = 0; i < t.length; i++) {
            t[i] = new Tag(tags[2 * i], tags[2 * i + 1]);
          }
          return registry.counter(meta(name, description), t);
        });
  }

  @Override
  public void attempted(ClaimedDelivery delivery, AttemptRecord attempt, DeliveryResult.Next next) {
    boolean succeeded = next instanceof DeliveryResult.Succeeded;
    if (!succeeded) {
      counter(
              "webhook_failures",
              "Failed attempts, by error type",
              "error_type",
              errorTypes.of(attempt.errorType()))
          .inc();
    }
    if (!delivery.target().isEndpoint()) {
      if (DeliveryTarget.REDIS.equals(delivery.target().transport())) {
        counter(
                "webhook_redis_publish",
                "Redis publishes, by result",
                "result",
                succeeded ? "success" : "failure")
            .inc();
      }
      return;
    }
    counter(
            "webhook_deliveries",
            "Delivery attempts to endpoints, by event type and outcome",
            "event",
            eventTypes.of(delivery.eventType()),
            "status",
            status(next))
        .inc();
    if (attempt.duration() != null) {
      Timer timer = deliveryDuration;
      if (timer == null) {
        timer =
            registry.timer(
                meta("webhook_delivery_duration", "Duration of delivery attempts to endpoints"));
        deliveryDuration = timer;
      }
      timer.update(attempt.duration());
    }
  }

  @Override
  public void circuitOpened(String endpointId) {
    registry
        .counter(meta("webhook_circuit_breaker_opened", "Endpoint circuit breakers that opened"))
        .inc();
  }

  /** {@code succeeded}, {@code retrying} (a retry is scheduled) or {@code dead}. */
  static String status(DeliveryResult.Next next) {
    if (next instanceof DeliveryResult.Succeeded) {
      return "succeeded";
    }
    if (next instanceof DeliveryResult.Dead) {
      return "dead";
    }
    return "retrying";
  }

  private static Metadata meta(String name, String description) {
    return Metadata.builder().withName(name).withDescription(description).build();
  }

  /**
   * A store value read at most once a second, so that one scrape queries the store once per gauge
   * group. While the store fails, the last value read stands: a scrape must not fail with it.
   */
  private static final class Snapshot<T> {
    private static final long TTL_NANOS = 1_000_000_000L;
    private final Supplier<T> source;
    private T value;
    private long readAt;

    Snapshot(Supplier<T> source, T initial) {
      this.source = source;
      this.value = initial;
      this.readAt = System.nanoTime() - 2 * TTL_NANOS;
    }

    synchronized T get() {
      long now = System.nanoTime();
      if (now - readAt > TTL_NANOS) {
        readAt = now;
        try {
          value = source.get();
        } catch (RuntimeException e) {
          LOG.log(
              System.Logger.Level.WARNING,
              "reading a metric from the store failed: {0}",
              e.toString());
        }
      }
      return value;
    }
  }
}
