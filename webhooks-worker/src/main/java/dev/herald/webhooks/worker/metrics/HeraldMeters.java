package dev.herald.webhooks.worker.metrics;

import dev.herald.webhooks.core.registry.EventTypeRegistry;
import dev.herald.webhooks.spi.AttemptRecord;
import dev.herald.webhooks.spi.CircuitState;
import dev.herald.webhooks.spi.ClaimedDelivery;
import dev.herald.webhooks.spi.DeliveryOperations;
import dev.herald.webhooks.spi.DeliveryResult;
import dev.herald.webhooks.spi.DeliveryTarget;
import dev.herald.webhooks.spi.TenantStore;
import dev.herald.webhooks.worker.DeliveryObserver;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * Herald's metrics (DESIGN 12), defined once for the server and the standalone worker: their names,
 * descriptions, labels and what counts them. Every label has a bounded set of values; there is no
 * per-endpoint or per-tenant label. Thread-safe.
 */
public final class HeraldMeters implements DeliveryObserver {
  /** Catalog types plus custom ones; beyond this, new types are counted as {@code other}. */
  static final int MAX_EVENT_TYPES = 100;

  static final int MAX_ERROR_TYPES = 100;

  /** The histogram buckets of {@code webhook_delivery_duration_seconds}. */
  public static final List<Duration> DURATION_BUCKETS =
      List.of(
          Duration.ofMillis(50),
          Duration.ofMillis(100),
          Duration.ofMillis(250),
          Duration.ofMillis(500),
          Duration.ofSeconds(1),
          Duration.ofMillis(2500),
          Duration.ofSeconds(5),
          Duration.ofSeconds(10),
          Duration.ofSeconds(30));

  private static final System.Logger LOG = System.getLogger(HeraldMeters.class.getName());
  private static final String[] PRIORITIES = {"high", "normal", "low"};
  private static final String DELIVERIES = "webhook_deliveries";
  private static final String FAILURES = "webhook_failures";
  private static final String REDIS = "webhook_redis_publish";
  private static final String OPENED = "webhook_circuit_breaker_opened";
  private static final String PUBLISHED = "webhook_events_published";
  private static final String PURGED = "webhook_retention_purged_rows";

  private static final Map<String, String> DESCRIPTIONS =
      Map.of(
          DELIVERIES, "Delivery attempts to endpoints, by event type and outcome",
          FAILURES, "Failed attempts, by error type",
          REDIS, "Redis publishes, by result",
          OPENED, "Endpoint circuit breakers that opened",
          PUBLISHED, "Events accepted (duplicates excluded)",
          PURGED, "Rows deleted by the retention purge and tenant erasure, by table");

  private final MetricSink sink;
  private volatile BoundedLabels eventTypes = new BoundedLabels(MAX_EVENT_TYPES);
  private final BoundedLabels errorTypes = new BoundedLabels(MAX_ERROR_TYPES);
  // A registry looks a metric up by name and tags at every call; each attempt would pay it.
  // Bounded by the label sets above.
  private final Map<String, LongConsumer> counters = new ConcurrentHashMap<>();
  private volatile Consumer<Duration> deliveryDuration;

  public HeraldMeters(MetricSink sink) {
    this.sink = Objects.requireNonNull(sink, "sink");
  }

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
    counter(OPENED);
    for (String result : new String[] {"success", "failure"}) {
      counter(REDIS, "result", result);
    }
    for (String table : new String[] {"events", "deliveries", "attempts"}) {
      counter(PURGED, "table", table);
    }
    Snapshot<List<Long>> depth = new Snapshot<>(store::queueDepthByPriority, List.of(0L, 0L, 0L));
    for (int rank = 0; rank < PRIORITIES.length; rank++) {
      int r = rank;
      sink.gauge(
          "webhook_queue_depth",
          "Deliveries waiting or being sent (pending and in flight)",
          () -> depth.get().get(r),
          "priority",
          PRIORITIES[rank]);
    }
    Snapshot<Map<CircuitState.Status, Long>> circuits =
        new Snapshot<>(store::circuitsByStatus, Map.of());
    for (CircuitState.Status status : CircuitState.Status.values()) {
      sink.gauge(
          "webhook_circuit_breaker_state",
          "Endpoints whose circuit breaker is in each state",
          () -> circuits.get().getOrDefault(status, 0L),
          "state",
          status.name().toLowerCase(Locale.ROOT));
    }
  }

  /** Counts an event that was stored (not a duplicate). */
  public void published(String eventType) {
    counter(PUBLISHED, "type", eventTypes.of(eventType)).accept(1);
  }

  private LongConsumer counter(String name, String... tags) {
    return counters.computeIfAbsent(
        name + '\u0000' + String.join("\u0000", tags),
        key -> sink.counter(name, DESCRIPTIONS.get(name), tags));
  }

  @Override
  public void attempted(ClaimedDelivery delivery, AttemptRecord attempt, DeliveryResult.Next next) {
    boolean succeeded = next instanceof DeliveryResult.Succeeded;
    if (!succeeded) {
      counter(FAILURES, "error_type", errorTypes.of(attempt.errorType())).accept(1);
    }
    if (!delivery.target().isEndpoint()) {
      if (DeliveryTarget.REDIS.equals(delivery.target().transport())) {
        counter(REDIS, "result", succeeded ? "success" : "failure").accept(1);
      }
      return;
    }
    counter(DELIVERIES, "event", eventTypes.of(delivery.eventType()), "status", status(next))
        .accept(1);
    if (attempt.duration() != null) {
      Consumer<Duration> timer = deliveryDuration;
      if (timer == null) {
        timer =
            sink.timer("webhook_delivery_duration", "Duration of delivery attempts to endpoints");
        deliveryDuration = timer;
      }
      timer.accept(attempt.duration());
    }
  }

  @Override
  public void circuitOpened(String endpointId) {
    counter(OPENED).accept(1);
  }

  @Override
  public void purged(TenantStore.Purged rows) {
    counter(PURGED, "table", "events").accept(rows.events());
    counter(PURGED, "table", "deliveries").accept(rows.deliveries());
    counter(PURGED, "table", "attempts").accept(rows.attempts());
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
