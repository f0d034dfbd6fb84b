package dev.herald.webhooks.benchmarks.load;

import dev.herald.webhooks.core.json.JsonReader;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/** Writes {@code docs/benchmarks.md} and its plots from the JSON results of one run. */
final class Report {
  private final Path results;
  private final Path doc;
  private final Args args;
  private final Map<String, Map<String, Object>> figures = new LinkedHashMap<>();
  private Map<String, Object> server = Map.of();

  Report(Args a) {
    results = Path.of(a.get("results", "benchmarks/target/results"));
    doc = Path.of(a.get("doc", "docs/benchmarks.md"));
    args = a;
  }

  @SuppressWarnings("unchecked")
  private void load() throws IOException {
    for (String scenario : List.of("server", "inproc", "queue", "claim")) {
      Path file = results.resolve(scenario + ".json");
      if (!Files.exists(file)) {
        continue;
      }
      Map<String, Object> root = JsonReader.readObject(Files.readString(file));
      if (scenario.equals("server")) {
        server = root;
      }
      ((Map<String, Object>) root.get("figures"))
          .forEach((k, v) -> figures.put(k, (Map<String, Object>) v));
    }
    Path jmh = results.resolve("jmh.json");
    if (Files.exists(jmh)) {
      for (Object o : (List<Object>) JsonReader.read(Files.readString(jmh))) {
        Map<String, Object> b = (Map<String, Object>) o;
        String name = (String) b.get("benchmark");
        name = name.substring(name.lastIndexOf('.') + 1);
        Map<String, Object> metric = (Map<String, Object>) b.get("primaryMetric");
        List<Double> raw = new ArrayList<>();
        for (Object fork : (List<Object>) metric.get("rawData")) {
          for (Object v : (List<Object>) fork) {
            raw.add(((Number) v).doubleValue());
          }
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("title", name);
        f.put("unit", "ops/s");
        f.put("runs", raw);
        f.put("median", Results.median(raw));
        f.put("min", raw.stream().mapToDouble(d -> d).min().orElse(Double.NaN));
        f.put("max", raw.stream().mapToDouble(d -> d).max().orElse(Double.NaN));
        figures.put("jmh_" + name, f);
      }
    }
  }

  private Double median(String key) {
    Map<String, Object> f = figures.get(key);
    return f == null || f.get("median") == null ? null : ((Number) f.get("median")).doubleValue();
  }

  private String cell(String key, String fmt) {
    Map<String, Object> f = figures.get(key);
    if (f == null || f.get("median") == null || ((List<?>) f.get("runs")).isEmpty()) {
      return "not measured";
    }
    double med = ((Number) f.get("median")).doubleValue();
    double min = ((Number) f.get("min")).doubleValue();
    double max = ((Number) f.get("max")).doubleValue();
    int n = ((List<?>) f.get("runs")).size();
    String unit = (String) f.get("unit");
    if (n == 1) {
      return String.format(fmt, med) + " " + unit;
    }
    return String.format(fmt, med)
        + " "
        + unit
        + " ("
        + String.format(fmt, min)
        + "–"
        + String.format(fmt, max)
        + ", n="
        + n
        + ")";
  }

  private static String met(Boolean ok) {
    return ok == null ? "—" : ok ? "yes" : "**no**";
  }

  private static Boolean all(Boolean... parts) {
    for (Boolean p : parts) {
      if (p == null) {
        return null;
      }
      if (!p) {
        return false;
      }
    }
    return true;
  }

  private Boolean atLeast(String key, double target) {
    Double v = median(key);
    return v == null || v.isNaN() ? null : v >= target;
  }

  private Boolean below(String key, double target) {
    Double v = median(key);
    return v == null || v.isNaN() ? null : v < target;
  }

  void write() throws Exception {
    load();
    Path dir = doc.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    boolean latencyPlot = latencyChart(dir.resolve("benchmarks-latency.png"));
    boolean throughputPlot = throughputChart(dir.resolve("benchmarks-throughput.png"));

    Double receiver = median("receiver_capacity");
    Double e2e = median("e2e_rate");
    Boolean e2eVsReceiver =
        receiver == null || e2e == null || receiver.isNaN() ? null : e2e >= 0.5 * receiver;
    String verifyKey = "jmh_verifyStandard1KiB";
    String signKey = "jmh_signStandard1KiB";

    StringBuilder md = new StringBuilder();
    md.append("# Benchmarks\n\n")
        .append("Herald measured against its targets, a peer (db-scheduler) and the machine's own")
        .append(" limits (the loopback receiver's capacity measured with `wrk`). Every figure here")
        .append(" comes from one run of `benchmarks/run`; each is the median of several runs, with")
        .append(" the lowest and highest run in brackets.\n\n")
        .append("## Reproduce\n\n")
        .append("```sh\nbenchmarks/run            # about ")
        .append(args.get("expected-minutes", "15"))
        .append(" minutes; rewrites this page and its plots\n")
        .append("benchmarks/run --quick    # the main figures in under 3 minutes, one short run")
        .append(" each (benchmarks/target/quick.md)\n")
        .append("BENCH_JFR=/tmp/herald.jfr benchmarks/run --quick   # and a JFR profile of the")
        .append(" server\n```\n\n")
        .append("It needs JDK 17 and PostgreSQL at `BENCH_DATABASE_URL` (default")
        .append(" `postgresql://postgres:postgres@127.0.0.1:5432/herald_bench`, dropped and")
        .append(" created again); it installs `wrk` with `apt-get` when missing and run as root,")
        .append(" builds the server and the benchmarks, runs the server on port 9301 (the")
        .append(" receiver on 9302), and leaves the raw JSON in `benchmarks/target/results`.\n\n");

    md.append("## Conditions of this run\n\n");
    Path env = results.resolve("environment.txt");
    if (Files.exists(env)) {
      md.append("```\n").append(Files.readString(env).strip()).append("\n```\n\n");
    }
    String note = args.get("note", "");
    if (!note.isBlank()) {
      md.append(note).append("\n\n");
    }

    md.append("## Results against the targets\n\n")
        .append("| figure | target | measured: median (min–max, runs) | met? |\n")
        .append("|---|---|---|---|\n");
    row(
        md,
        "REST ingest, durable, one subscribed endpoint (single-event `POST /api/v1/events`)",
        ">= 5,000 events/s, p99 < 20 ms",
        cell("ingest_rate", "%,.0f") + "; p99 " + cell("ingest_p99", "%.1f"),
        all(atLeast("ingest_rate", 5000), below("ingest_p99", 20)));
    row(
        md,
        "server CPU per single-event publish / per `GET /health/live`, same run, no endpoint",
        "<= 1.5 x",
        cell("cpu_publish_vs_health", "%.2f")
            + " ("
            + cell("cpu_publish", "%,.0f")
            + " vs "
            + cell("cpu_health", "%,.0f")
            + " us)",
        below("cpu_publish_vs_health", 1.5000001));
    row(
        md,
        "batch route (`POST /api/v1/events/batch`, 100 events per request, no endpoint)",
        ">= 20,000 events/s",
        cell("batch_route_rate", "%,.0f") + "; server CPU per event " + cell("cpu_batch", "%,.1f"),
        atLeast("batch_route_rate", 20000));
    row(
        md,
        "in-process batch publish (`EventPublisher.publishAll`)",
        ">= 20,000 events/s",
        cell("inproc_batch_rate", "%,.0f"),
        atLeast("inproc_batch_rate", 20000));
    row(
        md,
        "end-to-end signed deliveries to a loopback receiver",
        ">= 8,000/s and >= 0.5 x receiver capacity",
        cell("e2e_rate", "%,.0f")
            + "; receiver alone (wrk): "
            + cell("receiver_capacity", "%,.0f")
            + (receiver != null && e2e != null && !receiver.isNaN()
                ? String.format("; ratio %.2f", e2e / receiver)
                : ""),
        all(atLeast("e2e_rate", 8000), e2eVsReceiver));
    row(
        md,
        "publish-to-receipt latency at a steady 1,000 events/s (from the intended send time)",
        "p50 < 10 ms, p99 < 50 ms",
        "p50 " + cell("latency_p50", "%.1f") + "; p99 " + cell("latency_p99", "%.1f"),
        all(below("latency_p50", 10), below("latency_p99", 50)));
    row(
        md,
        "queue claim+complete vs db-scheduler no-op tasks, same PostgreSQL",
        ">= 2x db-scheduler",
        "Herald "
            + cell("queue_herald", "%,.0f")
            + "; db-scheduler "
            + cell("queue_dbscheduler", "%,.0f")
            + "; ratio "
            + cell("queue_ratio", "%.2f"),
        atLeast("queue_ratio", 2));
    row(
        md,
        "sign a 1 KiB body, one thread (JMH)",
        ">= 1,000,000/s per core",
        cell(signKey, "%,.0f"),
        atLeast(signKey, 1_000_000));
    row(
        md,
        "verify a 1 KiB body, one thread (JMH)",
        ">= 1,000,000/s per core",
        cell(verifyKey, "%,.0f"),
        atLeast(verifyKey, 1_000_000));
    row(
        md,
        "claim latency with 1,000,000 pending vs a small queue",
        "<= 2x",
        "p50 "
            + cell("claim_big_p50", "%.2f")
            + " vs "
            + cell("claim_small_p50", "%.2f")
            + "; ratio "
            + cell("claim_ratio_p50", "%.2f"),
        below("claim_ratio_p50", 2.0000001));
    row(
        md,
        "server heap during the end-to-end run",
        "<= 512 MiB",
        "used, max of 1 s samples: "
            + cell("e2e_heap_used_max", "%.0f")
            + "; committed: "
            + cell("e2e_heap_committed_max", "%.0f"),
        below("e2e_heap_used_max", 512.0000001));
    md.append("\n");

    md.append("## Every figure\n\n| figure | median | runs |\n|---|---|---|\n");
    figures.forEach(
        (k, f) ->
            md.append("| ")
                .append(f.get("title"))
                .append(" | ")
                .append(
                    f.get("median") == null
                        ? "—"
                        : String.format(
                            "%,.2f %s", ((Number) f.get("median")).doubleValue(), f.get("unit")))
                .append(" | ")
                .append(runs(f))
                .append(" |\n"));
    md.append("\n");

    if (latencyPlot || throughputPlot) {
      md.append("## Plots\n\n");
      if (latencyPlot) {
        md.append("![latency percentiles](benchmarks-latency.png)\n\n");
      }
      if (throughputPlot) {
        md.append("![receipts per second and server heap](benchmarks-throughput.png)\n\n");
      }
    }
    Path findings = results.resolve("findings.md");
    if (Files.exists(findings)) {
      md.append(Files.readString(findings).strip()).append("\n");
    } else {
      Path kept = args.get("findings", "").isBlank() ? null : Path.of(args.get("findings", ""));
      if (kept != null && Files.exists(kept)) {
        md.append(Files.readString(kept).strip()).append("\n");
      }
    }
    Files.writeString(doc, md.toString(), StandardCharsets.UTF_8);
    System.out.println("[harness] wrote " + doc);
  }

  private static String runs(Map<String, Object> f) {
    List<String> out = new ArrayList<>();
    for (Object r : (List<?>) f.get("runs")) {
      double d = ((Number) r).doubleValue();
      out.add(d >= 1000 ? String.format("%,.0f", d) : String.format("%.2f", d));
    }
    return out.size() > 12 ? out.size() + " iterations" : String.join(", ", out);
  }

  private static void row(
      StringBuilder md, String figure, String target, String value, Boolean ok) {
    md.append("| ")
        .append(figure)
        .append(" | ")
        .append(target)
        .append(" | ")
        .append(value)
        .append(" | ")
        .append(met(ok))
        .append(" |\n");
  }

  @SuppressWarnings("unchecked")
  private boolean latencyChart(Path file) throws IOException {
    List<Object> runs = (List<Object>) server.get("latency_runs");
    if (runs == null || runs.isEmpty()) {
      return false;
    }
    // HdrHistogram's percentile plot: x is 1 / (1 - percentile) on a log axis, so that p50, p90,
    // p99 and p99.9 are equally far apart, and y is logarithmic, so that one slow run does not
    // flatten the others.
    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(450)
            .title("Latency at a steady 1,000 events/s, each run (from the intended send time)")
            .xAxisTitle("percentile: 2 = p50, 10 = p90, 100 = p99, 1,000 = p99.9, 10,000 = p99.99")
            .yAxisTitle("ms (log)")
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setYAxisLogarithmic(true);
    int i = 1;
    for (Object o : runs) {
      Map<String, Object> run = (Map<String, Object>) o;
      for (String kind : List.of("publish_to_receipt", "publish_response")) {
        Map<String, Object> pct = (Map<String, Object>) run.get(kind);
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (double p : Results.PERCENTILES) {
          Object value = pct == null ? null : pct.get(Results.label(p));
          if (p < 100 && value instanceof Number n) {
            x.add(1 / (1 - p / 100));
            y.add(Math.max(0.01, n.doubleValue()));
          }
        }
        if (!x.isEmpty()) {
          chart.addSeries(
              (kind.equals("publish_to_receipt") ? "publish→receipt" : "publish response")
                  + " run "
                  + i,
              x,
              y);
        }
      }
      i++;
    }
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    return true;
  }

  @SuppressWarnings("unchecked")
  private boolean throughputChart(Path file) throws IOException {
    List<Object> perSecond = (List<Object>) server.get("receipts_per_second");
    if (perSecond == null || perSecond.isEmpty()) {
      return false;
    }
    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(450)
            .title("Requests verified by the receiver per second, and server heap")
            .xAxisTitle("seconds since the receiver started")
            .yAxisTitle("per second / MiB")
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    chart.getStyler().setMarkerSize(0);
    List<Double> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    for (int s = 0; s < perSecond.size(); s++) {
      x.add((double) s);
      y.add(((Number) perSecond.get(s)).doubleValue());
    }
    chart.addSeries("verified requests/s (wrk, ingest, end to end, latency phases)", x, y);
    List<Object> heap = (List<Object>) server.get("heap_samples");
    if (heap != null && !heap.isEmpty()) {
      List<Double> hx = new ArrayList<>();
      List<Double> hy = new ArrayList<>();
      for (Object o : heap) {
        Map<String, Object> s = (Map<String, Object>) o;
        Object used = s.get("used_mib");
        if (used instanceof Number n && !Double.isNaN(n.doubleValue())) {
          hx.add(((Number) s.get("second")).doubleValue());
          hy.add(n.doubleValue());
        }
      }
      if (!hx.isEmpty()) {
        chart.addSeries("server heap used (MiB)", hx, hy).setLineColor(Color.RED);
      }
    }
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    return true;
  }
}
