package dev.herald.webhooks.worker.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * The standalone worker's metric registry, written in the Prometheus text format (version 0.0.4)
 * with the names and labels the server's MicroProfile Metrics output has: counters end in {@code
 * _total}, timers are histograms in seconds, and every series carries {@code
 * mp_scope="application"}. Thread-safe.
 */
public final class PrometheusRegistry implements MetricSink {
  private static final String SCOPE = "mp_scope=\"application\"";

  private interface Series {}

  private record CounterSeries(LongAdder value) implements Series {}

  private record GaugeSeries(Supplier<Number> value) implements Series {}

  private record HistogramSeries(
      long[] bucketNanos, LongAdder[] counts, LongAdder count, DoubleAdder sumSeconds, double[] max)
      implements Series {}

  private record Family(String type, String description, Map<String, Series> byLabels) {}

  // Families by exposed name; series by their label text. Ordered for a stable output.
  private final Map<String, Family> families = new TreeMap<>();

  @Override
  public synchronized LongConsumer counter(String name, String description, String... tags) {
    CounterSeries series =
        (CounterSeries)
            family(name + "_total", "counter", description)
                .byLabels()
                .computeIfAbsent(labels(tags), k -> new CounterSeries(new LongAdder()));
    return series.value()::add;
  }

  @Override
  public synchronized void gauge(
      String name, String description, Supplier<Number> value, String... tags) {
    family(name, "gauge", description).byLabels().put(labels(tags), new GaugeSeries(value));
  }

  @Override
  public synchronized Consumer<Duration> timer(String name, String description) {
    List<Duration> buckets = HeraldMeters.DURATION_BUCKETS;
    long[] bounds = buckets.stream().mapToLong(Duration::toNanos).toArray();
    LongAdder[] counts = new LongAdder[bounds.length];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = new LongAdder();
    }
    HistogramSeries series =
        (HistogramSeries)
            family(name + "_seconds", "histogram", description)
                .byLabels()
                .computeIfAbsent(
                    "",
                    k ->
                        new HistogramSeries(
                            bounds, counts, new LongAdder(), new DoubleAdder(), new double[1]));
    return duration -> {
      long nanos = duration.toNanos();
      for (int i = 0; i < series.bucketNanos().length; i++) {
        if (nanos <= series.bucketNanos()[i]) {
          series.counts()[i].increment();
          break;
        }
      }
      series.count().increment();
      double seconds = nanos / 1e9;
      series.sumSeconds().add(seconds);
      synchronized (series.max()) {
        series.max()[0] = Math.max(series.max()[0], seconds);
      }
    };
  }

  private Family family(String name, String type, String description) {
    Family family =
        families.computeIfAbsent(name, n -> new Family(type, description, new TreeMap<>()));
    if (!family.type().equals(type)) {
      throw new IllegalArgumentException(name + " is a " + family.type() + ", not a " + type);
    }
    return family;
  }

  private static String labels(String... tags) {
    List<String> pairs = new ArrayList<>();
    for (int i = 0; i + 1 < tags.length; i += 2) {
      pairs.add(tags[i] + "=\"" + escape(tags[i + 1]) + "\"");
    }
    pairs.add(SCOPE);
    return String.join(",", pairs);
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  /** Every metric, in the Prometheus text format. */
  public synchronized String scrape() {
    StringBuilder out = new StringBuilder(4096);
    families.forEach(
        (name, family) -> {
          out.append("# HELP ").append(name).append(' ').append(family.description()).append('\n');
          out.append("# TYPE ").append(name).append(' ').append(family.type()).append('\n');
          family
              .byLabels()
              .forEach(
                  (labels, series) -> {
                    if (series instanceof CounterSeries c) {
                      sample(out, name, labels, c.value().sum());
                    } else if (series instanceof GaugeSeries g) {
                      sample(out, name, labels, g.value().get().doubleValue());
                    } else if (series instanceof HistogramSeries h) {
                      histogram(out, name, labels, h);
                    }
                  });
        });
    return out.toString();
  }

  private static void histogram(StringBuilder out, String name, String labels, HistogramSeries h) {
    String scope = labels.isEmpty() ? SCOPE : labels;
    long cumulative = 0;
    for (int i = 0; i < h.bucketNanos().length; i++) {
      cumulative += h.counts()[i].sum();
      sample(
          out,
          name + "_bucket",
          "le=\"" + number(h.bucketNanos()[i] / 1e9) + "\"," + scope,
          cumulative);
    }
    sample(out, name + "_bucket", "le=\"+Inf\"," + scope, h.count().sum());
    sample(out, name + "_count", scope, h.count().sum());
    sample(out, name + "_sum", scope, h.sumSeconds().sum());
    synchronized (h.max()) {
      sample(out, name + "_max", scope, h.max()[0]);
    }
  }

  private static void sample(StringBuilder out, String name, String labels, double value) {
    out.append(name).append('{').append(labels).append("} ").append(number(value)).append('\n');
  }

  private static String number(double value) {
    if (value == Math.rint(value) && !Double.isInfinite(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return String.format(Locale.ROOT, "%s", value);
  }
}
