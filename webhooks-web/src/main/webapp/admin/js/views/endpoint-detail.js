// One endpoint: its state and statistics, charts of the recent attempts, the actions on it (edit,
// disable/enable, rotate the secret, delete, send a test event) and its delivery history.
import { get, post, patch, del, query } from "../api.js";
import {
  h, fill, heading, act, notify, confirmDialog, copyButton, table, cell, statusPill,
  percent, ms, time, field, showError, stat,
} from "../ui.js";
import { stateOf } from "./endpoints.js";
import { chartBox, outcomeChart, latencyChart } from "../charts.js";
import { remember } from "./delivery.js";

const WATCH_MS = 30000;
const WATCH_EVERY_MS = 1000;

export async function render(main, id) {
  const path = `webhooks/${encodeURIComponent(id)}`;
  const timers = new Set();
  const charts = [];
  let endpoint = await get(path);
  const circuits = await get("insights/circuits");
  const circuit = () => circuits.items.find((c) => c.endpoint_id === id);

  const stateBox = h("div");
  const statsBox = h("div", { class: "stats", id: "endpoint-stats" });
  const secretBox = h("div", { id: "rotated" });
  const watchBox = h("div", { id: "test-watch", "aria-live": "polite" });
  const history = deliveryHistory(id);

  const toggle = h("button", { type: "button", class: "secondary", id: "toggle-active" });
  const renderState = () => {
    fill(stateBox, details(endpoint, circuit()));
    const pending = endpoint.state === "pending_validation";
    toggle.textContent = pending ? "Validate" : endpoint.active ? "Disable" : "Enable";
    toggle.id = pending ? "validate-endpoint" : "toggle-active";
  };
  toggle.addEventListener("click", () => {
    if (endpoint.state === "pending_validation") {
      return act(toggle, "Sending the validation request", async () => {
        endpoint = await post(`${path}/validate`);
        notify(endpoint.state === "pending_validation" ? `Still waiting: ${endpoint.disabled_reason}` : "Validated: the endpoint is active.");
        renderState();
      });
    }
    return act(toggle, endpoint.active ? "Disabling" : "Enabling", async () => {
      endpoint = await patch(path, { active: !endpoint.active });
      notify(endpoint.active ? "Endpoint enabled: deliveries resume." : "Endpoint disabled: nothing is sent until you enable it.");
      renderState();
    });
  });

  const testButton = h("button", { type: "button", id: "send-test" }, "Send test event");
  testButton.addEventListener("click", () => act(testButton, "Sending a test event", async () => {
    const sent = await post(`${path}/test`);
    watch(sent.event_id);
  }));

  const rotate = h("button", { type: "button", class: "secondary", id: "rotate-secret" }, "Rotate secret");
  rotate.addEventListener("click", async () => {
    const ok = await confirmDialog("Rotate the signing secret?",
      h("p", {}, "Herald creates a new secret and signs with both the new and the previous one for a grace period, so your receiver keeps verifying while you update it."),
      "Rotate");
    if (!ok) return;
    await act(rotate, "Rotating the secret", async () => {
      const rotated = await post(`${path}/rotate-secret`);
      if (rotated.public_key) {
        fill(secretBox, h("div", { class: "card secret-once", id: "secret-once" },
          h("h2", {}, "New public key"),
          h("div", { class: "secret-row" }, h("code", { class: "secret", id: "endpoint-new-public-key" }, rotated.public_key), copyButton(rotated.public_key, "Copy public key")),
          h("p", { role: "note" }, "Requests carry signatures of both keys until ", time(rotated.previous_secret_expires_at), ": give your receivers the new key before then."),
          h("button", { type: "button", class: "secondary", onclick: () => fill(secretBox) }, "Done")));
        secretBox.querySelector("button").focus();
        return;
      }
      fill(secretBox, h("div", { class: "card secret-once", id: "secret-once" },
        h("h2", {}, "New secret"),
        h("div", { class: "secret-row" }, h("code", { class: "secret", id: "endpoint-secret" }, rotated.secret), copyButton(rotated.secret, "Copy secret")),
        h("p", { class: "warning", role: "note" }, h("strong", {}, "Copy it now: "),
          "it is not shown again. The previous secret keeps signing until ", time(rotated.previous_secret_expires_at), "."),
        h("button", { type: "button", class: "secondary", onclick: () => fill(secretBox) }, "I have stored it")));
      secretBox.querySelector("button").focus();
    });
  });

  const remove = h("button", { type: "button", class: "danger", id: "delete-endpoint" }, "Delete");
  remove.addEventListener("click", async () => {
    const ok = await confirmDialog("Delete this endpoint?",
      [h("p", {}, "Herald stops sending to ", h("code", {}, endpoint.url), " at once."),
        h("p", {}, "Its pending deliveries become dead (reason: endpoint deleted). This cannot be undone.")],
      "Delete endpoint", true);
    if (!ok) return;
    await act(remove, "Deleting", async () => {
      await del(path);
      notify("Endpoint deleted.");
      location.hash = "#/endpoints";
    });
  });

  /** Follows a test event (GET /events/{id}) until its delivery succeeded or went dead. */
  function watch(eventId) {
    const started = Date.now();
    fill(watchBox, h("p", { class: "notice ok" }, "Test event ", h("code", {}, eventId), " sent; waiting for its delivery…"));
    const tick = async () => {
      timers.delete(timer);
      const event = await get(`events/${encodeURIComponent(eventId)}`);
      const found = event.deliveries.find((d) => d.endpoint_id === id);
      await history.refresh(eventId);
      if (found && (found.status === "succeeded" || found.status === "dead")) {
        fill(watchBox, h("p", { class: `notice ${found.status === "succeeded" ? "ok" : "error"}` },
          "Test event ", h("code", {}, eventId), found.status === "succeeded"
            ? ` delivered (HTTP ${found.last_status_code ?? "?"}).`
            : ` failed: ${found.dead_reason || found.last_error || "dead"}.`,
          " ", h("a", { href: `#/endpoints/${id}/deliveries/${found.id}` }, "See its attempts")));
        endpoint = await get(path);
        renderState();
        await Promise.all([loadStats(), loadCharts()]);
        return;
      }
      if (Date.now() - started > WATCH_MS) {
        fill(watchBox, h("p", { class: "notice error" }, "The test delivery has not finished after 30 s; it is ",
          found ? found.status.replace("_", " ") : "not listed yet",
          found && found.last_error ? ` (last error: ${found.last_error})` : "",
          ". The history below keeps its state."));
        return;
      }
      timer = setTimeout(() => tick().catch((error) => showError(error, "Following the test event")), WATCH_EVERY_MS);
      timers.add(timer);
    };
    let timer = setTimeout(() => tick().catch((error) => showError(error, "Following the test event")), 300);
    timers.add(timer);
  }

  const windowSelect = h("select", { id: "chart-window" },
    h("option", { value: "1h" }, "Last hour"), h("option", { value: "6h" }, "Last 6 hours"), h("option", { value: "24h" }, "Last 24 hours"));
  const outcome = chartBox("chart-outcomes", "Attempts per minute by outcome");
  const latency = chartBox("chart-latency", "Latency percentiles per minute");
  async function loadCharts() {
    try {
      const timeline = await get(`insights/timeline${query({ endpoint_id: id, window: windowSelect.value })}`);
      charts.splice(0).forEach((c) => c.destroy());
      charts.push(outcomeChart(outcome.canvas, timeline), latencyChart(latency.canvas, timeline));
    } catch (error) {
      showError(error, "Loading the charts");
    }
  }
  windowSelect.addEventListener("change", loadCharts);

  async function loadStats() {
    try {
      const stats = await get(`${path}/stats?window=24h`);
      const by = stats.deliveries_by_status || {};
      const l = stats.latency_ms || {};
      fill(statsBox,
        stat("Success rate", stats.attempts ? percent(stats.success_rate) : "—", `${stats.attempts} attempts`),
        stat("Latency p50", ms(l.p50)), stat("p95", ms(l.p95)), stat("p99", ms(l.p99)),
        stat("Succeeded", by.succeeded ?? 0), stat("Waiting", (by.pending ?? 0) + (by.in_flight ?? 0)), stat("Dead", by.dead ?? 0));
    } catch (error) {
      fill(statsBox, h("p", { class: "error-text" }, `Statistics unavailable: ${error.message}`));
    }
  }

  renderState();
  fill(
    main,
    h("p", { class: "crumbs" }, h("a", { href: "#/endpoints" }, "Endpoints"), " / ", id),
    heading(endpoint.url, testButton, h("a", { href: `#/endpoints/${id}/edit`, class: "button secondary", id: "edit-endpoint" }, "Edit"), toggle, rotate, remove),
    watchBox,
    secretBox,
    stateBox,
    h("section", { "aria-labelledby": "stats-title" }, h("h2", { id: "stats-title" }, "Last 24 hours"), statsBox),
    h("section", { "aria-labelledby": "charts-title" },
      h("div", { class: "heading" }, h("h2", { id: "charts-title" }, "Recent attempts"), field("Window", windowSelect)),
      h("div", { class: "charts" }, outcome.element, latency.element)),
    history.element
  );
  await Promise.all([loadStats(), loadCharts(), history.refresh()]);
  return () => {
    timers.forEach((t) => clearTimeout(t));
    charts.forEach((c) => c.destroy());
  };
}

function details(endpoint, circuit) {
  const row = (k, v) => [h("dt", {}, k), h("dd", {}, v)];
  return h("div", { class: "card" },
    h("dl", { class: "facts" },
      row("State", h("span", { id: "endpoint-state" }, stateOf(endpoint, circuit))),
      ...(endpoint.transport && endpoint.transport !== "http" ? row("Transport", h("code", { id: "endpoint-transport-value" }, endpoint.transport)) : []),
      row("Event types", h("div", { class: "chips" }, endpoint.event_types.map((t) => h("code", {}, t)))),
      row("Payload filter", endpoint.filter ? h("code", { id: "endpoint-filter-value" }, endpoint.filter) : "none: every event of these types"),
      row("Description", endpoint.description || "—"),
      row("Format", h("span", { id: "endpoint-format-value" }, { "cloudevents-structured": "CloudEvents, structured", "cloudevents-binary": "CloudEvents, binary" }[endpoint.format] || "Herald envelope")),
      row("Signature", endpoint.signature_profile + (endpoint.header_prefix ? ` (X-${endpoint.header_prefix}-Signature)` : "")),
      endpoint.public_key
        ? row("Public key", h("code", { id: "endpoint-public-key-value" }, endpoint.public_key))
        : row("Secret", h("code", {}, endpoint.secret)),
      row("Requests in flight", String(endpoint.max_in_flight)),
      row("Rate limit", endpoint.rate_limit_per_second != null ? `${endpoint.rate_limit_per_second} per second` : "none"),
      row("Retries", endpoint.retry_policy ? endpoint.retry_policy.delays.join(", ") : "the server's schedule"),
      row("Ordering", h("span", { id: "endpoint-ordering-value" }, endpoint.ordering === "subject" ? "per subject, in sequence order" : "none")),
      row("Batching", h("span", { id: "endpoint-batch-value" }, endpoint.batch ? `up to ${endpoint.batch.max_events} events per request, waiting at most ${endpoint.batch.max_wait_ms} ms` : "one event per request")),
      row("Created", time(endpoint.created_at)),
      row("Last success", time(endpoint.last_success_at)),
      row("Id", h("code", {}, endpoint.id))));
}

/** The history with its filters, paging, retry, redrive and replay. */
function deliveryHistory(id) {
  const path = `webhooks/${encodeURIComponent(id)}`;
  const status = h("select", { id: "filter-status" },
    h("option", { value: "" }, "Any status"), ["pending", "in_flight", "succeeded", "dead"].map((s) => h("option", { value: s }, s.replace("_", " "))));
  const eventType = h("select", { id: "filter-type" }, h("option", { value: "" }, "Any event type"));
  get("event-types").then((c) => c.items.forEach((t) => eventType.append(h("option", { value: t.name }, t.name))),
    (error) => showError(error, "Loading the event types"));
  eventType.append(h("option", { value: "webhook.test" }, "webhook.test (test events)"));
  const from = h("input", { type: "datetime-local", id: "filter-from", step: 1 });
  const to = h("input", { type: "datetime-local", id: "filter-to", step: 1 });
  const filters = h("form", { class: "filters", id: "history-filters" },
    field("Status", status), field("Event type", eventType), field("From", from), field("To", to),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "secondary" }, "Apply"),
      h("button", { type: "reset", class: "secondary" }, "Clear")));
  const body = h("tbody", { id: "history-rows" });
  const more = h("button", { type: "button", class: "secondary", id: "history-more", hidden: true }, "Show older");
  const empty = h("p", { class: "muted", hidden: true }, "No deliveries match.");
  let cursor = null;
  let lastItems = [];

  const iso = (input) => (input.value ? new Date(input.value).toISOString() : undefined);
  const params = () => ({ status: status.value, event_type: eventType.value, from: iso(from), to: iso(to), limit: 25 });

  async function load(append) {
    const page = await get(`${path}/deliveries${query({ ...params(), cursor: append ? cursor : undefined })}`);
    cursor = page.next_cursor;
    if (!append) {
      body.replaceChildren();
      lastItems = [];
    }
    lastItems = lastItems.concat(page.items);
    page.items.forEach((d) => body.append(row(d)));
    more.hidden = !cursor;
    empty.hidden = lastItems.length > 0;
    return page.items;
  }

  function row(d) {
    remember(d);
    const retry = d.status === "dead" || d.status === "pending"
      ? h("button", { type: "button", class: "secondary small", "data-retry": d.id }, "Retry now")
      : null;
    if (retry) {
      retry.addEventListener("click", () => act(retry, "Retrying", async () => {
        await post(`${path}/retry/${encodeURIComponent(d.id)}`);
        notify("Retry scheduled: it is sent now.");
        setTimeout(() => refresh().catch((e) => showError(e)), 1000);
      }));
    }
    return h("tr", { "data-delivery": d.id, "data-event": d.event_id, "data-status": d.status },
      cell("Created", time(d.created_at)),
      cell("Event", h("code", {}, d.event_type), h("div", { class: "muted small" }, d.event_id)),
      cell("Status", statusPill(d.status)),
      cell("Attempts", d.attempts),
      cell("Last result", d.last_status_code ? `HTTP ${d.last_status_code}` : "—",
        d.dead_reason || d.last_error ? h("div", { class: "muted small" }, d.dead_reason || d.last_error) : null),
      cell("", h("div", { class: "row-actions" },
        h("a", { href: `#/endpoints/${id}/deliveries/${d.id}`, class: "button secondary small" }, "Attempts"), retry)));
  }

  /** Reloads the first page; returns the delivery of {@code eventId} when it is on it. */
  async function refresh(eventId) {
    const items = await load(false);
    if (!eventId) return undefined;
    const found = items.find((d) => d.event_id === eventId);
    if (found) body.querySelector(`[data-delivery="${found.id}"]`).classList.add("highlight");
    return found;
  }

  filters.addEventListener("submit", (e) => { e.preventDefault(); refresh().catch((err) => showError(err, "Filtering")); });
  filters.addEventListener("reset", () => setTimeout(() => refresh().catch((err) => showError(err, "Filtering")), 0));
  more.addEventListener("click", () => act(more, "Loading older deliveries", () => load(true)));

  const redrive = h("button", { type: "button", class: "secondary", id: "redrive" }, "Redrive dead deliveries");
  redrive.addEventListener("click", async () => {
    const ok = await confirmDialog("Redrive dead deliveries?",
      h("p", {}, "Every dead delivery of this endpoint becomes pending and is sent again now, keeping its attempts."), "Redrive");
    if (!ok) return;
    await act(redrive, "Redriving", async () => {
      const r = await post("dead-letters/redrive", { endpoint_id: id });
      notify(r.count === 0 ? "No dead deliveries to redrive." : `${r.count} dead deliveries are being sent again.`);
      await refresh();
    });
  });

  const since = h("input", { type: "datetime-local", id: "replay-since", step: 1, required: true });
  const replay = h("button", { type: "submit", class: "secondary", id: "replay" }, "Replay");
  const replayForm = h("form", { class: "inline-form" }, field("Replay events since", since), replay);
  replayForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (!since.value) {
      showError({ message: "Choose the time to replay from." });
      since.focus();
      return;
    }
    const when = new Date(since.value);
    const ok = await confirmDialog("Replay events?",
      h("p", {}, `Every event accepted since ${when.toLocaleString()} that this endpoint subscribes to is sent to it again, as new deliveries. Your receiver will see those events a second time.`), "Replay");
    if (!ok) return;
    await act(replay, "Replaying", async () => {
      const r = await post(`${path}/replay`, { since: when.toISOString() });
      notify(`${r.count} events queued for replay.`);
      await refresh();
    });
  });

  const element = h("section", { "aria-labelledby": "history-title", class: "history" },
    h("div", { class: "heading" }, h("h2", { id: "history-title" }, "Delivery history"), h("div", { class: "actions" }, redrive)),
    filters,
    table("Deliveries of this endpoint, newest first", ["Created", "Event", "Status", "Attempts", "Last result", ""], [], true),
    empty,
    more,
    h("div", { class: "card" }, replayForm));
  element.querySelector("tbody").replaceWith(body);
  return { element, refresh };
}
