// The operator's overview across tenants: backlog by priority, dead letters, unhealthy circuits.
import { get } from "../api.js";
import { h, fill, heading, table, cell, pill, time, act, stat } from "../ui.js";
import { chartBox, queueChart } from "../charts.js";

export async function render(main) {
  let chart = null;
  const content = h("div");
  const queue = chartBox("chart-queue", "Deliveries waiting, by priority");

  async function load() {
    const o = await get("insights/overview");
    if (chart) chart.destroy();
    fill(content,
      h("div", { class: "stats" },
        stat("Waiting", o.waiting, "pending or in flight"),
        stat("Dead letters", o.dead_letters, "across tenants"),
        stat("Open circuits", o.open_circuits, `${o.circuits.length} endpoints failing`),
        stat("Tenants", o.tenants)),
      h("div", { class: "charts" }, queue.element),
      h("h2", {}, "Circuits"),
      o.circuits.length === 0
        ? h("p", { class: "card muted" }, "Every endpoint's circuit is closed and none is failing.")
        : table("Endpoints whose circuit is open, half-open or failing", ["Tenant", "Endpoint", "Circuit", "Failures", "Opened", "Endpoint state"],
            o.circuits.map((c) => h("tr", {},
              cell("Tenant", h("a", { href: `#/tenants/${c.tenant_id}` }, c.tenant_id)),
              cell("Endpoint", h("span", { class: "url" }, c.url), h("div", { class: "muted small" }, c.endpoint_id)),
              cell("Circuit", pill(c.status.replace("_", "-"), c.status === "open" ? "bad" : "wait")),
              cell("Failures", c.consecutive_failures),
              cell("Opened", time(c.opened_at)),
              cell("Endpoint state", c.active ? "active" : "disabled")))));
    chart = queueChart(queue.canvas, o.queue_depth);
  }
  const refresh = h("button", { type: "button", class: "secondary", id: "refresh-overview" }, "Refresh");
  refresh.addEventListener("click", () => act(refresh, "Refreshing", load));
  fill(main, heading("Overview", refresh), content);
  await load();
  return () => chart && chart.destroy();
}

