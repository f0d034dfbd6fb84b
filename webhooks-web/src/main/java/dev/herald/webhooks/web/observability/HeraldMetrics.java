package dev.herald.webhooks.web.observability;

import dev.herald.webhooks.core.registry.EventTypeRegistry;
import dev.herald.webhooks.spi.AttemptRecord;
import dev.herald.webhooks.spi.ClaimedDelivery;
import dev.herald.webhooks.spi.DeliveryOperations;
import dev.herald.webhooks.spi.DeliveryResult;
import dev.herald.webhooks.spi.TenantStore;
import dev.herald.webhooks.worker.DeliveryObserver;
import dev.herald.webhooks.worker.metrics.HeraldMeters;
import dev.herald.webhooks.worker.metrics.MetricSink;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Herald's metrics ({@link HeraldMeters}, shared with the standalone worker) in the server's
 * application registry. The Prometheus output adds the suffixes: {@code webhook_deliveries} is
 * scraped as {@code webhook_deliveries_total}, the timer {@code webhook_delivery_duration} as
 * {@code webhook_delivery_duration_seconds_*} with the buckets set in
 * microprofile-config.properties.
 */
@ApplicationScoped
public class HeraldMetrics implements DeliveryObserver, MetricSink {
  @Inject MetricRegistry registry;

  private HeraldMeters meters;

  @PostConstruct
  void init() {
    meters = new HeraldMeters(this);
  }

  public void useEventTypes(EventTypeRegistry registered) {
    meters.useEventTypes(registered);
  }

  public void register(DeliveryOperations store) {
    meters.register(store);
  }

  public void published(String eventType) {
    meters.published(eventType);
  }

  @Override
  public void attempted(ClaimedDelivery delivery, AttemptRecord attempt, DeliveryResult.Next next) {
    meters.attempted(delivery, attempt, next);
  }

  @Override
  public void circuitOpened(String endpointId) {
    meters.circuitOpened(endpointId);
  }

  @Override
  public void purged(TenantStore.Purged rows) {
    meters.purged(rows);
  }

  @Override
  public LongConsumer counter(String name, String description, String... tags) {
    return registry.counter(meta(name, description), tags(tags))::inc;
  }

  @Override
  public void gauge(String name, String description, Supplier<Number> value, String... tags) {
    registry.gauge(meta(name, description), value, tags(tags));
  }

  @Override
  public Consumer<Duration> timer(String name, String description) {
    return registry.timer(meta(name, description))::update;
  }

  private static Tag[] tags(String... pairs) {
    Tag[] tags = new Tag[pairs.length / 2];
    for (int i = 0; i < tags.length; i++) {
      tags[i] = new Tag(pairs[2 * i], pairs[2 * i + 1]);
    }
    return tags;
  }

  private static Metadata meta(String name, String description) {
    return Metadata.builder().withName(name).withDescription(description).build();
  }
}
