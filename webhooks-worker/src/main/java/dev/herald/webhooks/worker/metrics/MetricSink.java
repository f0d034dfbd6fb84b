package dev.herald.webhooks.worker.metrics;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * Where {@link HeraldMeters} registers Herald's metrics: MicroProfile Metrics in the server, {@link
 * PrometheusRegistry} in the standalone worker. Names are given without the suffixes of the
 * Prometheus output ({@code _total}, {@code _seconds}); tags are name, value pairs.
 */
public interface MetricSink {

  /** Registers a counter (or finds the one registered); the result adds to it. */
  LongConsumer counter(String name, String description, String... tags);

  /** Registers a gauge read from {@code value} at each scrape. */
  void gauge(String name, String description, Supplier<Number> value, String... tags);

  /**
   * Registers a timer, scraped as a histogram in seconds with the buckets of {@link
   * HeraldMeters#DURATION_BUCKETS}; the result records one duration.
   */
  Consumer<Duration> timer(String name, String description);
}
