// The tenant's endpoints at a glance: state (active, disabled and why, circuit), success rate and
// latency over the last 24 hours.
import { get, query } from "../api.js";
import { h, fill, heading, table, cell, pill, percent, ms, time, showError } from "../ui.js";

export async function render(main) {
  const [page, circuits] = await Promise.all([
    get(`webhooks${query({ limit: 100 })}`),
    get("insights/circuits"),
  ]);
  const circuitOf = new Map(circuits.items.map((c) => [c.endpoint_id, c]));
  const rows = page.items.map((endpoint) => row(endpoint, circuitOf.get(endpoint.id)));
  fill(
    main,
    heading("Endpoints", h("a", { href: "#/endpoints/new", class: "button", id: "new-endpoint" }, "New endpoint")),
    page.items.length === 0
      ? h("div", { class: "card empty" },
          h("p", {}, "No endpoints yet. An endpoint is a URL of yours that Herald sends signed events to."),
          h("a", { href: "#/endpoints/new", class: "button" }, "Create your first endpoint"))
      : table("Your endpoints, with the last 24 hours", ["Endpoint", "State", "Events", "Success (24 h)", "Latency p50 / p95", "Last success"],
          rows.map((r) => r.tr), true),
    page.next_cursor ? h("p", { class: "muted" }, "Showing the first 100 endpoints.") : null
  );
  // Statistics arrive per endpoint, so the list shows at once and fills in.
  await Promise.all(rows.map((r) => r.loadStats()));
}

export function stateOf(endpoint, circuit) {
  const parts = [];
  if (endpoint.state === "pending_validation") {
    parts.push(pill("pending validation", "wait"));
    if (endpoint.disabled_reason) parts.push(h("span", { class: "reason" }, endpoint.disabled_reason));
  } else if (endpoint.active) {
    parts.push(pill("active", "good"));
  } else {
    parts.push(pill("disabled", "bad"));
    if (endpoint.disabled_reason) parts.push(h("span", { class: "reason" }, endpoint.disabled_reason));
  }
  if (circuit && circuit.status === "open") {
    parts.push(pill("circuit open", "bad"), h("span", { class: "reason" }, `since ${time(circuit.opened_at)}`));
  } else if (circuit && circuit.status === "half_open") {
    parts.push(pill("circuit half-open", "wait"));
  } else if (circuit && circuit.consecutive_failures > 0) {
    parts.push(pill(`${circuit.consecutive_failures} failing`, "wait"));
  }
  return h("div", { class: "state" }, parts);
}

function row(endpoint, circuit) {
  const success = h("div", {}, h("span", { class: "muted" }, "…"));
  const latency = h("div", {}, h("span", { class: "muted" }, "…"));
  const tr = h(
    "tr",
    { "data-endpoint": endpoint.id },
    cell("Endpoint",
      h("a", { href: `#/endpoints/${endpoint.id}`, class: "url" }, endpoint.url),
      endpoint.description ? h("div", { class: "muted" }, endpoint.description) : null),
    cell("State", stateOf(endpoint, circuit)),
    cell("Events", h("div", { class: "chips" }, endpoint.event_types.map((t) => h("code", {}, t)))),
    cell("Success (24 h)", success),
    cell("Latency p50 / p95", latency),
    cell("Last success", time(endpoint.last_success_at))
  );
  async function loadStats() {
    try {
      const stats = await get(`webhooks/${encodeURIComponent(endpoint.id)}/stats?window=24h`);
      const counts = stats.deliveries_by_status || {};
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      fill(success, stats.attempts ? percent(stats.success_rate) : h("span", { class: "muted" }, "no attempts"),
        total ? h("div", { class: "muted" }, total === 1 ? "1 delivery" : `${total} deliveries`) : null);
      const l = stats.latency_ms || {};
      fill(latency, stats.attempts ? `${ms(l.p50)} / ${ms(l.p95)}` : "—");
    } catch (error) {
      fill(success, h("span", { class: "error-text" }, "unavailable"));
      fill(latency, "—");
      showError(error, `Loading statistics of ${endpoint.url}`);
    }
  }
  return { tr, loadStats };
}
