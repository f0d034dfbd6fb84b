// Charts with Chart.js (from its WebJar, loaded by index.html as window.Chart). Every chart also
// gets a text summary as its accessible name, for people who do not see it.
import { h } from "./ui.js";

export const COLORS = {
  good: "#1a7f37",
  bad: "#cf222e",
  wait: "#9a6700",
  p50: "#0969da",
  p95: "#bc4c00",
  p99: "#8250df",
  grid: "rgba(0,0,0,0.08)",
};

/** A canvas in a sized box (Chart.js needs a positioned parent to be responsive). */
export function chartBox(id, title) {
  const canvas = h("canvas", { id, role: "img" });
  return { canvas, element: h("figure", { class: "chart" }, h("figcaption", {}, title), h("div", { class: "chart-area" }, canvas)) };
}

function chartLib() {
  if (!window.Chart) throw new Error("the chart library did not load (webjars/chartjs)");
  return window.Chart;
}

/** Minutes of [from, to), each with the matching item or undefined. */
function minutes(from, to, items) {
  const byStart = new Map(items.map((i) => [new Date(i.start).getTime(), i]));
  const first = Math.floor(new Date(from).getTime() / 60000) * 60000;
  const last = new Date(to).getTime();
  const out = [];
  for (let t = first; t < last; t += 60000) out.push([t, byStart.get(t)]);
  return out;
}

function label(t) {
  return new Date(t).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
}

const common = {
  responsive: true,
  maintainAspectRatio: false,
  animation: false,
  interaction: { mode: "index", intersect: false },
  plugins: { legend: { position: "bottom" } },
};

/** Attempts per minute, stacked by outcome. */
export function outcomeChart(canvas, timeline) {
  const slots = minutes(timeline.from, timeline.to, timeline.items);
  const ok = timeline.items.reduce((a, i) => a + i.succeeded, 0);
  const failed = timeline.items.reduce((a, i) => a + i.failed, 0);
  canvas.setAttribute("aria-label", `Attempts per minute: ${ok} succeeded and ${failed} failed in the window.`);
  const Chart = chartLib();
  return new Chart(canvas, {
    type: "bar",
    data: {
      labels: slots.map(([t]) => label(t)),
      datasets: [
        { label: "Succeeded", data: slots.map(([, i]) => (i ? i.succeeded : 0)), backgroundColor: COLORS.good, stack: "s" },
        { label: "Failed", data: slots.map(([, i]) => (i ? i.failed : 0)), backgroundColor: COLORS.bad, stack: "s" },
      ],
    },
    options: {
      ...common,
      scales: {
        x: { stacked: true, ticks: { maxTicksLimit: 8, autoSkip: true }, grid: { display: false } },
        y: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: "attempts" }, grid: { color: COLORS.grid } },
      },
    },
  });
}

/** Latency percentiles per minute. */
export function latencyChart(canvas, timeline) {
  const slots = minutes(timeline.from, timeline.to, timeline.items);
  const worst = timeline.items.reduce((a, i) => Math.max(a, i.latency_ms.p99), 0);
  canvas.setAttribute("aria-label", timeline.items.length
    ? `Attempt latency per minute; the slowest minute's p99 was ${worst} ms.`
    : "Attempt latency per minute: no attempts in the window.");
  const Chart = chartLib();
  const line = (name, key, color) => ({
    label: name,
    data: slots.map(([, i]) => (i ? i.latency_ms[key] : null)),
    borderColor: color,
    backgroundColor: color,
    pointRadius: 3,
    spanGaps: true,
  });
  return new Chart(canvas, {
    type: "line",
    data: {
      labels: slots.map(([t]) => label(t)),
      datasets: [line("p50", "p50", COLORS.p50), line("p95", "p95", COLORS.p95), line("p99", "p99", COLORS.p99)],
    },
    options: {
      ...common,
      scales: {
        x: { ticks: { maxTicksLimit: 8, autoSkip: true }, grid: { display: false } },
        y: { beginAtZero: true, title: { display: true, text: "ms" }, grid: { color: COLORS.grid } },
      },
    },
  });
}

/** The parity report's four counts as one horizontal bar each. */
export function parityChart(canvas, report) {
  const labels = ["Delivered on both", "Webhooks only", "Redis only", "Neither yet"];
  const values = [report.both_succeeded, report.webhook_only, report.redis_only, report.neither];
  canvas.setAttribute("aria-label", labels.map((l, i) => `${l}: ${values[i]}`).join(", "));
  const Chart = chartLib();
  return new Chart(canvas, {
    type: "bar",
    data: {
      labels,
      datasets: [{ label: "events", data: values, backgroundColor: [COLORS.good, COLORS.wait, COLORS.p50, COLORS.bad] }],
    },
    options: {
      ...common,
      indexAxis: "y",
      plugins: { legend: { display: false } },
      scales: { x: { beginAtZero: true, ticks: { precision: 0 }, grid: { color: COLORS.grid } }, y: { grid: { display: false } } },
    },
  });
}

/** Waiting deliveries by priority. */
export function queueChart(canvas, depth) {
  const labels = ["High", "Normal", "Low"];
  const values = [depth.high, depth.normal, depth.low];
  canvas.setAttribute("aria-label", `Deliveries waiting: ${labels.map((l, i) => `${l} ${values[i]}`).join(", ")}`);
  const Chart = chartLib();
  return new Chart(canvas, {
    type: "bar",
    data: { labels, datasets: [{ label: "waiting", data: values, backgroundColor: [COLORS.bad, COLORS.p50, COLORS.wait] }] },
    options: { ...common, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
}
