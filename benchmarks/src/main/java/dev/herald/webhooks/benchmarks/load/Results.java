package dev.herald.webhooks.benchmarks.load;

import dev.herald.webhooks.core.json.JsonWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** One scenario's figures, written as JSON for the report and printed as a table. */
final class Results {
  private final Map<String, Object> root = new LinkedHashMap<>();
  private final Map<String, Object> figures = new LinkedHashMap<>();

  Results(String scenario) {
    root.put("scenario", scenario);
    root.put("figures", figures);
  }

  /** A figure measured in several runs: the runs, their median, minimum and maximum. */
  Map<String, Object> figure(String key, String title, String unit, List<Double> measured) {
    // A run that measured nothing (NaN) is left out, not written as a figure.
    List<Double> runs = measured.stream().filter(v -> !v.isNaN()).toList();
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("title", title);
    f.put("unit", unit);
    f.put("runs", List.copyOf(runs));
    f.put("median", runs.isEmpty() ? null : median(runs));
    f.put("min", runs.isEmpty() ? null : Collections.min(runs));
    f.put("max", runs.isEmpty() ? null : Collections.max(runs));
    figures.put(key, f);
    System.out.printf(
        "  %-60s median %12.1f %-8s (runs %s)%n", title, median(runs), unit, format(runs));
    return f;
  }

  void put(String key, Object value) {
    root.put(key, value);
  }

  void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(root.get("scenario") + ".json");
    Files.writeString(
        file, JsonWriter.write(root, JsonWriter.Style.COMPACT), StandardCharsets.UTF_8);
    System.out.println("  wrote " + file);
  }

  static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  static String format(List<Double> runs) {
    List<String> out = new ArrayList<>();
    for (double r : runs) {
      out.add(String.format("%.1f", r));
    }
    return String.join(", ", out);
  }

  static final double[] PERCENTILES = {50, 75, 90, 95, 99, 99.5, 99.9, 99.99, 100};

  /** Percentiles of a histogram of microseconds, in milliseconds; null when it is empty. */
  static Map<String, Object> percentilesMillis(Histogram h) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (double p : PERCENTILES) {
      out.put(label(p), h.getTotalCount() == 0 ? null : h.getValueAtPercentile(p) / 1000.0);
    }
    out.put("count", h.getTotalCount());
    return out;
  }

  static String label(double p) {
    return p == 100
        ? "max"
        : "p" + (p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p));
  }
}
