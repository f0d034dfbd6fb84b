// Dead deliveries across the tenant's endpoints: look at one, retry it, or redrive them in bulk.
import { get, post, query } from "../api.js";
import { h, fill, heading, act, notify, confirmDialog, table, cell, time, field, showError } from "../ui.js";
import { remember } from "./delivery.js";

export async function render(main) {
  const body = h("tbody", { id: "dead-rows" });
  const more = h("button", { type: "button", class: "secondary", hidden: true }, "Show older");
  const empty = h("p", { class: "card muted", hidden: true }, "No dead deliveries. Everything was delivered or is still being tried.");
  let cursor = null;

  async function load(append) {
    const page = await get(`dead-letters${query({ limit: 50, cursor: append ? cursor : undefined })}`);
    cursor = page.next_cursor;
    if (!append) body.replaceChildren();
    page.items.forEach((d) => body.append(row(d)));
    more.hidden = !cursor;
    empty.hidden = body.children.length > 0;
  }

  function row(d) {
    remember(d);
    const retry = h("button", { type: "button", class: "secondary small" }, "Retry now");
    retry.addEventListener("click", () => act(retry, "Retrying", async () => {
      await post(`webhooks/${encodeURIComponent(d.endpoint_id)}/retry/${encodeURIComponent(d.id)}`);
      notify("Retry scheduled.");
      retry.closest("tr").remove();
    }));
    return h("tr", { "data-delivery": d.id },
      cell("Created", time(d.created_at)),
      cell("Endpoint", h("a", { href: `#/endpoints/${d.endpoint_id}` }, d.endpoint_id)),
      cell("Event", h("code", {}, d.event_type)),
      cell("Why", d.dead_reason || d.last_error || "—", d.last_status_code ? h("div", { class: "muted small" }, `last HTTP ${d.last_status_code}`) : null),
      cell("Attempts", d.attempts),
      cell("", h("div", { class: "row-actions" },
        h("a", { href: `#/endpoints/${d.endpoint_id}/deliveries/${d.id}`, class: "button secondary small" }, "Attempts"), retry)));
  }

  const eventType = h("select", { id: "redrive-type" }, h("option", { value: "" }, "Every event type"));
  get("event-types").then((c) => c.items.forEach((t) => eventType.append(h("option", { value: t.name }, t.name))),
    (error) => showError(error, "Loading the event types"));
  const redrive = h("button", { type: "submit", id: "redrive-all" }, "Redrive");
  const form = h("form", { class: "inline-form" }, field("Redrive dead deliveries of", eventType), redrive);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const ok = await confirmDialog("Redrive dead deliveries?",
      h("p", {}, `Every dead delivery${eventType.value ? ` of ${eventType.value}` : ""} on all your endpoints becomes pending and is sent again now.`), "Redrive");
    if (!ok) return;
    await act(redrive, "Redriving", async () => {
      const r = await post("dead-letters/redrive", { event_type: eventType.value || null });
      notify(r.count === 0 ? "Nothing to redrive." : `${r.count} deliveries are being sent again.`);
      await load(false);
    });
  });
  more.addEventListener("click", () => act(more, "Loading", () => load(true)));

  fill(main, heading("Dead letters"),
    h("p", {}, "Deliveries Herald gave up on, newest first. Fix the receiver, then retry one or redrive them all."),
    h("div", { class: "card" }, form),
    table("Dead deliveries", ["Created", "Endpoint", "Event", "Why", "Attempts", ""], [], true),
    empty, more);
  main.querySelector("tbody").replaceWith(body);
  await load(false);
}
