// One delivery's attempts: when, how long, the status code, the start of the response, the error.
import { get, post } from "../api.js";
import { h, fill, heading, act, notify, table, cell, statusPill, time, ms, showError } from "../ui.js";

/** Deliveries seen in a history list, so their page can show more than the attempts. */
const seen = new Map();
export function remember(delivery) {
  seen.set(delivery.id, delivery);
}

export async function render(main, endpointId, deliveryId) {
  const base = `webhooks/${encodeURIComponent(endpointId)}`;
  const list = h("div", { id: "attempts" });
  const summary = h("div");
  const retry = h("button", { type: "button", id: "retry-delivery" }, "Retry now");

  /** The delivery's state now: through its event when known, else from the latest history. */
  async function current() {
    const known = seen.get(deliveryId);
    if (known) {
      const event = await get(`events/${encodeURIComponent(known.event_id)}`);
      return event.deliveries.find((d) => d.id === deliveryId) || known;
    }
    const page = await get(`${base}/deliveries?limit=100`);
    return page.items.find((d) => d.id === deliveryId);
  }

  async function load() {
    const [attempts, delivery] = await Promise.all([
      get(`${base}/deliveries/${encodeURIComponent(deliveryId)}/attempts`),
      current(),
    ]);
    if (delivery) remember(delivery);
    fill(summary, delivery ? facts(delivery) : null);
    retry.hidden = delivery ? !(delivery.status === "dead" || delivery.status === "pending") : false;
    fill(list, attempts.items.length === 0
      ? h("p", { class: "card muted" }, "No attempts yet: the delivery is waiting for its first send.")
      : table("Attempts, oldest first", ["#", "Started", "Duration", "Status code", "Response", "Error"],
          attempts.items.map((a) => h("tr", { "data-attempt": a.number, class: a.error_type ? "failed" : "ok" },
            cell("#", a.number),
            cell("Started", time(a.started_at)),
            cell("Duration", ms(a.duration_ms)),
            cell("Status code", a.status_code ? h("span", { class: a.status_code < 300 ? "good-text" : "error-text" }, a.status_code) : "—"),
            cell("Response", a.response_excerpt ? h("pre", { class: "excerpt" }, a.response_excerpt) : h("span", { class: "muted" }, "empty")),
            cell("Error", a.error_type ? [h("code", {}, a.error_type), h("div", {}, a.error_message || "")] : "—")))));
  }

  retry.addEventListener("click", () => act(retry, "Retrying", async () => {
    await post(`${base}/retry/${encodeURIComponent(deliveryId)}`);
    notify("Retry scheduled: the delivery is sent again now.");
    setTimeout(() => load().catch((error) => showError(error, "Refreshing the attempts")), 1500);
  }));
  const reload = h("button", { type: "button", class: "secondary", id: "reload-attempts" }, "Refresh");
  reload.addEventListener("click", () => act(reload, "Refreshing", load));

  fill(main,
    h("p", { class: "crumbs" }, h("a", { href: "#/endpoints" }, "Endpoints"), " / ",
      h("a", { href: `#/endpoints/${endpointId}` }, endpointId), " / ", deliveryId),
    heading("Delivery", reload, retry),
    summary,
    h("section", { "aria-label": "Attempts" }, h("h2", {}, "Attempts"), list));
  await load();
}

function facts(d) {
  const row = (k, v) => [h("dt", {}, k), h("dd", {}, v)];
  return h("div", { class: "card" }, h("dl", { class: "facts" },
    row("Status", statusPill(d.status)),
    row("Event", [h("code", {}, d.event_type), " ", h("code", { class: "muted" }, d.event_id)]),
    row("Attempts", d.attempts),
    row("Created", time(d.created_at)),
    d.next_attempt_at ? row("Next attempt", time(d.next_attempt_at)) : null,
    d.dead_reason ? row("Dead because", d.dead_reason) : null,
    d.last_error ? row("Last error", d.last_error) : null,
    row("Id", h("code", {}, d.id))));
}
