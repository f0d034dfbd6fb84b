// Operator: the migration phase (global and per tenant) and the parity report that says whether
// moving on from dual is safe. Every change is confirmed with what it does.
import { get, put, del, query } from "../api.js";
import { h, fill, heading, act, notify, confirmDialog, table, cell, time, field, pill, statusPill } from "../ui.js";
import { chartBox, parityChart } from "../charts.js";

export const PHASES = {
  "redis-only": {
    label: "Redis only",
    does: "Events go to Redis only, as the old system did; no webhooks are sent. This is the rollback position.",
  },
  dual: {
    label: "Dual",
    does: "Every event goes to webhooks and to Redis. Use the parity report to compare the two sides before moving on.",
  },
  "webhook-primary": {
    label: "Webhook primary",
    does: "Webhooks are primary; an event goes to Redis only when its webhook delivery went dead or met an open circuit.",
  },
  "webhook-only": {
    label: "Webhook only",
    does: "Webhooks only; nothing goes to Redis any more.",
  },
};
const NOTE = "The change applies to events published from now on, on every server and worker within one poll interval. Events already accepted keep their routing; nothing is lost or sent twice.";

export async function render(main) {
  let chart = null;
  const current = h("div", { id: "phase-current" });
  const reportBox = h("div", { id: "parity" });
  const parity = chartBox("chart-parity", "Events routed to both sides");

  const phase = h("select", { id: "phase-select" }, Object.entries(PHASES).map(([v, p]) => h("option", { value: v }, `${p.label} (${v})`)));
  const tenant = h("input", { type: "text", id: "phase-tenant", placeholder: "all tenants" });
  const explain = h("p", { class: "hint", id: "phase-explain" });
  const syncExplain = () => fill(explain, PHASES[phase.value].does);
  phase.addEventListener("change", syncExplain);
  const change = h("button", { type: "submit", id: "change-phase" }, "Change phase");
  const form = h("form", { class: "card" },
    h("h2", {}, "Change the phase"),
    h("div", { class: "row" }, field("New phase", phase), field("Only for tenant (optional)", tenant, "Leave empty to change the global phase.")),
    explain,
    h("div", { class: "actions" }, change));

  async function loadPhase() {
    const m = await get("admin/migration");
    phase.value = m.phase;
    syncExplain();
    const overrides = Object.entries(m.tenant_overrides || {});
    const reset = h("button", { type: "button", class: "secondary", id: "reset-phase", hidden: m.source !== "operator" }, `Back to the configured phase (${m.configured})`);
    reset.addEventListener("click", async () => {
      const ok = await confirmDialog(`Return to ${m.configured}?`,
        [h("p", {}, "The operator's choice is removed; every process follows HERALD_MIGRATION_PHASE again."),
          h("p", {}, PHASES[m.configured] ? PHASES[m.configured].does : ""), h("p", {}, NOTE)], "Reset");
      if (!ok) return;
      await act(reset, "Resetting the phase", async () => {
        await del("admin/migration");
        notify(`Phase back to ${m.configured}.`);
        await loadPhase();
      });
    });
    fill(current, h("div", { class: "card" },
      h("dl", { class: "facts" },
        h("dt", {}, "Phase in force"), h("dd", {}, pill(m.phase, "info"), " ", h("span", { id: "phase-value" }, PHASES[m.phase] ? PHASES[m.phase].label : m.phase)),
        h("dt", {}, "What it does"), h("dd", {}, PHASES[m.phase] ? PHASES[m.phase].does : ""),
        h("dt", {}, "Set by"), h("dd", {}, m.source === "operator" ? "an operator (stored in the database)" : "configuration (HERALD_MIGRATION_PHASE)"),
        h("dt", {}, "Configured"), h("dd", {}, m.configured)),
      reset,
      overrides.length === 0 ? null : table("Tenants with their own phase", ["Tenant", "Phase", ""], overrides.map(([t, p]) => {
        const remove = h("button", { type: "button", class: "secondary small" }, "Follow the global phase");
        remove.addEventListener("click", async () => {
          const ok = await confirmDialog(`Tenant ${t} follows the global phase?`, [h("p", {}, `Its override (${p}) is removed; it follows ${m.phase}.`), h("p", {}, NOTE)], "Remove override");
          if (!ok) return;
          await act(remove, "Removing the override", async () => {
            await del(`admin/migration/tenants/${encodeURIComponent(t)}`);
            await loadPhase();
          });
        });
        return h("tr", {}, cell("Tenant", t), cell("Phase", p), cell("", remove));
      }))));
  }

  const since = h("select", { id: "parity-since" }, ["1h", "24h", "7d"].map((s) => h("option", { value: s, selected: s === "24h" }, `Last ${s}`)));
  async function loadReport() {
    const r = await get(`admin/migration/report${query({ since: since.value, limit: 20 })}`);
    if (chart) chart.destroy();
    const share = (n) => (r.events ? `${((n / r.events) * 100).toFixed(1)} %` : "—");
    fill(reportBox,
      h("p", {}, `Events routed to both webhooks and Redis from ${time(r.from)} to ${time(r.to)}: `, h("strong", {}, r.events)),
      h("div", { class: "charts two" },
        table("Parity", ["Outcome", "Events", "Share"], [
          ["Delivered on both sides", r.both_succeeded], ["Webhooks only", r.webhook_only],
          ["Redis only", r.redis_only], ["Neither yet", r.neither],
        ].map(([label, n]) => h("tr", {}, cell("Outcome", label), cell("Events", n), cell("Share", share(n))))),
        parity.element),
      r.mismatches.length === 0 ? null : table("Latest events not delivered on both sides", ["Accepted", "Tenant", "Event", "Webhooks", "Redis"],
        r.mismatches.map((e) => h("tr", {},
          cell("Accepted", time(e.created_at)), cell("Tenant", e.tenant_id),
          cell("Event", h("code", {}, e.event_type), h("div", { class: "muted small" }, e.event_id)),
          cell("Webhooks", `${e.webhook_succeeded}/${e.webhook_deliveries} delivered`),
          cell("Redis", e.redis_status ? statusPill(String(e.redis_status).toLowerCase()) : "—")))));
    chart = parityChart(parity.canvas, r);
  }
  since.addEventListener("change", () => loadReport().catch((e) => notify(e.message, "error")));

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const target = phase.value;
    const who = tenant.value.trim();
    const ok = await confirmDialog(`Switch ${who ? `tenant ${who}` : "everyone"} to ${PHASES[target].label}?`,
      [h("p", {}, PHASES[target].does), h("p", {}, NOTE)], `Switch to ${target}`);
    if (!ok) return;
    await act(change, "Changing the phase", async () => {
      await put("admin/migration", who ? { phase: target, tenant_id: who } : { phase: target });
      notify(`Phase changed to ${target}${who ? ` for ${who}` : ""}.`);
      await loadPhase();
    });
  });

  fill(main, heading("Migration"),
    h("p", {}, "Where events go while receivers move from Redis to webhooks (docs/migration.md explains the phases)."),
    current, form,
    h("section", { "aria-labelledby": "parity-title" },
      h("div", { class: "heading" }, h("h2", { id: "parity-title" }, "Parity report"), field("Window", since)),
      reportBox));
  await Promise.all([loadPhase(), loadReport()]);
  return () => chart && chart.destroy();
}
