// Create or edit an endpoint. Event types come from the catalog, with their descriptions and
// example payloads; a whole family (memory.*) or everything (*) can be picked too. The server
// validates the URL; its refusal is shown next to the form, in its words.
import { get, post, patch } from "../api.js";
import { h, fill, field, errorBlock, heading, copyButton, notify } from "../ui.js";

export async function render(main, id) {
  const [catalog, endpoint, transports] = await Promise.all([
    get("event-types"),
    id ? get(`webhooks/${encodeURIComponent(id)}`) : Promise.resolve(null),
    get("transports"),
  ]);
  const chosen = new Set(endpoint ? endpoint.event_types : []);

  // Installed providers (RabbitMQ, ...) take a destination of their own instead of an HTTPS URL.
  const transport = h("select", { id: "endpoint-transport", name: "transport", disabled: !!endpoint },
    ...transports.items.map((t) => h("option", { value: t.name }, t.name === "http" ? "HTTP(S) webhook" : t.name)));
  transport.value = endpoint ? endpoint.transport : "http";
  const transportField = field("Transport", transport, endpoint ? "Fixed when the endpoint was created." : "Installed in this server by its operator; HTTP unless you receive through a broker.");
  transportField.hidden = transports.items.length < 2 && !(endpoint && endpoint.transport !== "http");
  const url = h("input", { type: "text", inputmode: "url", id: "endpoint-url", name: "url", required: true, placeholder: "https://example.com/webhooks/herald", value: endpoint ? endpoint.url : "" });
  const urlField = field("URL", url, "Where Herald sends events.");
  const urlHint = urlField.querySelector(".hint");
  const syncTransport = () => {
    const http = transport.value === "http";
    url.placeholder = http ? "https://example.com/webhooks/herald" : "amqp://broker.internal/herald-events";
    if (urlHint) {
      urlHint.textContent = http
        ? "Where Herald sends events. Public HTTPS addresses; private and local addresses are refused."
        : `The ${transport.value} destination, as its transport documents it; the server checks it when you save.`;
    }
  };
  transport.addEventListener("change", syncTransport);
  const description = h("input", { type: "text", id: "endpoint-description", name: "description", maxlength: 1000, value: endpoint ? endpoint.description || "" : "" });
  const profile = h("select", { id: "endpoint-profile", name: "signature_profile", disabled: !!endpoint },
    h("option", { value: "standard" }, "Standard Webhooks (webhook-signature header)"),
    h("option", { value: "legacy-hex" }, "Legacy hex (X-Prefix-Signature header)"));
  if (endpoint) profile.value = endpoint.signature_profile;
  const algorithm = h("select", { id: "endpoint-algorithm", name: "signature_algorithm", disabled: !!endpoint },
    h("option", { value: "hmac-sha256" }, "HMAC-SHA256 with a shared secret (v1)"),
    h("option", { value: "ed25519" }, "Ed25519: receivers verify with a public key (v1a)"));
  algorithm.value = endpoint ? endpoint.signature_algorithm || "hmac-sha256" : "hmac-sha256";
  const handshake = h("input", { type: "checkbox", id: "endpoint-handshake", name: "handshake", disabled: !!endpoint, checked: !!(endpoint && endpoint.handshake) });
  const handshakeField = h("div", { class: "check" }, handshake,
    h("label", { for: "endpoint-handshake" }, "Validate first (CloudEvents handshake): send nothing until the receiver answers an OPTIONS request allowing Herald"));
  const format = h("select", { id: "endpoint-format", name: "format" },
    h("option", { value: "herald" }, "Herald envelope (JSON)"),
    h("option", { value: "cloudevents-structured" }, "CloudEvents, structured (application/cloudevents+json)"),
    h("option", { value: "cloudevents-binary" }, "CloudEvents, binary (ce-* headers, data as the body)"));
  format.value = endpoint ? endpoint.format || "herald" : "herald";
  const prefix = h("input", { type: "text", id: "endpoint-prefix", name: "header_prefix", placeholder: "Continuum", value: endpoint ? endpoint.header_prefix || "" : "" });
  const prefixField = field("Header prefix", prefix, "Legacy hex signs in X-{prefix}-Signature; required for that profile.");
  const maxInFlight = h("input", { type: "number", id: "endpoint-max-in-flight", name: "max_in_flight", min: 1, max: 1000, step: 1, placeholder: "10", value: endpoint ? endpoint.max_in_flight : "" });
  const rate = h("input", { type: "number", id: "endpoint-rate-limit", name: "rate_limit_per_second", min: 0.1, max: 10000, step: "any", placeholder: "none", value: endpoint && endpoint.rate_limit_per_second != null ? endpoint.rate_limit_per_second : "" });
  const retries = h("input", { type: "text", id: "endpoint-retries", name: "retry_policy", placeholder: "1s, 5s, 30s, 5m, 30m", value: endpoint && endpoint.retry_policy ? endpoint.retry_policy.delays.join(", ") : "" });
  const ordering = h("select", { id: "endpoint-ordering", name: "ordering" },
    h("option", { value: "none" }, "No order: as fast as the limits allow"),
    h("option", { value: "subject" }, "Per subject: one at a time, in sequence order"));
  ordering.value = endpoint ? endpoint.ordering || "none" : "none";
  const batchEvents = h("input", { type: "number", id: "endpoint-batch-events", name: "batch.max_events", min: 1, max: 1000, step: 1, placeholder: "one event per request", value: endpoint && endpoint.batch ? endpoint.batch.max_events : "" });
  const batchWait = h("input", { type: "number", id: "endpoint-batch-wait", name: "batch.max_wait_ms", min: 0, max: 60000, step: 1, placeholder: "1000", value: endpoint && endpoint.batch ? endpoint.batch.max_wait_ms : "" });
  const delivery = h("fieldset", { class: "delivery-settings" },
    h("legend", {}, "Delivery"),
    field("Requests in flight", maxInFlight, "At most this many requests to the endpoint at once, across every Herald process (1 to 1000; empty for the server's default)."),
    field("Rate limit", rate, "At most this many requests per second, across every Herald process, in bursts of up to half a second's worth (0.1 to 10000; empty for none)."),
    field("Retry schedule", retries, "Delays before each retry, comma-separated (30s, 5m, 1h); after the last one the delivery is dead. Empty for the server's schedule."),
    field("Ordering", ordering, "Per subject: the next event of a subject goes only once the previous one succeeded or went dead; other subjects are not held back."),
    field("Events per request", batchEvents, "Batched delivery: up to this many events in one request, {\"events\": [...]} (1 to 1000; empty for one event per request)."),
    field("Batch wait (ms)", batchWait, "How long the first event of a batch waits for others to join it (0 to 60000; 1000 when empty)."));
  const syncPrefix = () => { prefixField.hidden = profile.value !== "legacy-hex"; };
  profile.addEventListener("change", syncPrefix);
  syncPrefix();

  // Payload filter: a CEL expression, checked by the server; tried on a catalog example first.
  const filter = h("textarea", { id: "endpoint-filter", name: "filter", rows: 2, maxlength: 2000, placeholder: "data.importance >= 0.8 && type.startsWith(\"memory.\")" }, endpoint && endpoint.filter ? endpoint.filter : "");
  const exampleType = h("select", { id: "filter-example-type" },
    ...catalog.items.map((t) => h("option", { value: t.name }, t.name)));
  const testFilter = h("button", { type: "button", class: "secondary small", id: "test-filter" }, "Test against an example event");
  const filterResult = h("p", { id: "filter-result", role: "status" });
  testFilter.addEventListener("click", async () => {
    fill(filterResult);
    filter.removeAttribute("aria-invalid");
    const type = catalog.items.find((t) => t.name === exampleType.value);
    try {
      const answer = await post("filters/test", { filter: filter.value.trim(), event: { type: type.name, data: type.example } });
      fill(filterResult, answer.matches ? `The example ${type.name} event matches.` : `The example ${type.name} event does not match.`);
    } catch (error) {
      fill(filterResult, errorBlock(error));
      filter.setAttribute("aria-invalid", "true");
    }
  });
  const filterField = h("div", { class: "field" },
    h("label", { for: "endpoint-filter" }, "Payload filter (optional)"),
    filter,
    h("p", { class: "hint", id: "endpoint-filter-hint" }, "A CEL expression over type, subject, tenant_id, data and metadata; only the events it accepts are sent. Empty sends every event of the chosen types."),
    h("div", { class: "inline-form" }, exampleType, testFilter),
    filterResult);
  filter.setAttribute("aria-describedby", "endpoint-filter-hint");

  const picker = eventTypePicker(catalog.items, chosen);
  const errors = h("div", { id: "form-errors" });
  const submit = h("button", { type: "submit", id: "save-endpoint" }, endpoint ? "Save changes" : "Create endpoint");
  const form = h(
    "form",
    { class: "card", novalidate: true },
    transportField,
    urlField,
    field("Description", description, "Optional: what this endpoint is for."),
    picker.element,
    filterField,
    field("Signature profile", profile, endpoint ? "Fixed when the endpoint was created." : "Standard Webhooks unless your receiver expects the legacy format."),
    field("Signature algorithm", algorithm, endpoint ? "Fixed when the endpoint was created." : "Ed25519 needs the standard profile; Herald makes the key pair and shows the public key."),
    handshakeField,
    field("Format", format, "How each request carries events. CloudEvents requests are signed the same way; a batched endpoint gets CloudEvents' batch format."),
    prefixField,
    delivery,
    errors,
    h("div", { class: "actions" },
      h("a", { href: endpoint ? `#/endpoints/${endpoint.id}` : "#/endpoints", class: "button secondary" }, "Cancel"),
      submit)
  );

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    fill(errors);
    const filters = picker.value();
    if (!url.value.trim()) return refuse({ title: "Enter the endpoint's URL", field: "url" });
    if (filters.length === 0) return refuse({ title: "Pick at least one event type", detail: "or All events (*)", field: "event_types" });
    const body = { url: url.value.trim(), event_types: filters, description: description.value.trim() || null };
    if (filter.value.trim()) body.filter = filter.value.trim();
    else if (endpoint && endpoint.filter) body.filter = null;
    if (maxInFlight.value.trim()) body.max_in_flight = Number(maxInFlight.value);
    if (rate.value.trim()) body.rate_limit_per_second = Number(rate.value);
    else if (endpoint && endpoint.rate_limit_per_second != null) body.rate_limit_per_second = null;
    const delays = retries.value.split(",").map((s) => s.trim()).filter(Boolean);
    if (delays.length) body.retry_policy = { delays };
    else if (endpoint && endpoint.retry_policy) body.retry_policy = null;
    if (!endpoint || ordering.value !== (endpoint.ordering || "none")) body.ordering = ordering.value;
    if (!endpoint || format.value !== (endpoint.format || "herald")) body.format = format.value;
    if (batchEvents.value.trim()) {
      body.batch = { max_events: Number(batchEvents.value), max_wait_ms: batchWait.value.trim() ? Number(batchWait.value) : 1000 };
    } else if (endpoint && endpoint.batch) {
      body.batch = null;
    }
    submit.disabled = true;
    try {
      if (endpoint) {
        await patch(`webhooks/${encodeURIComponent(endpoint.id)}`, body);
        notify("Endpoint saved.");
        location.hash = `#/endpoints/${endpoint.id}`;
      } else {
        body.signature_profile = profile.value;
        if (algorithm.value !== "hmac-sha256") body.signature_algorithm = algorithm.value;
        if (handshake.checked) body.handshake = true;
        body.transport = transport.value;
        if (profile.value === "legacy-hex") body.header_prefix = prefix.value.trim() || null;
        const created = await post("webhooks", body);
        showSecretOnce(main, created);
      }
    } catch (error) {
      refuse(error);
    } finally {
      submit.disabled = false;
    }
  });

  function refuse(error) {
    fill(errors, errorBlock(error));
    const target = { transport, url, filter, description, header_prefix: prefix, signature_profile: profile, max_in_flight: maxInFlight, rate_limit_per_second: rate, retry_policy: retries, ordering, format, signature_algorithm: algorithm, handshake, "batch.max_events": batchEvents, "batch.max_wait_ms": batchWait, batch: batchEvents }[(error.field || "").startsWith("batch.") ? error.field : (error.field || "").replace(/[.[].*$/, "")];
    if (target) {
      target.setAttribute("aria-invalid", "true");
      target.focus();
    } else {
      errors.scrollIntoView({ block: "nearest" });
    }
  }

  syncTransport();
  fill(main, heading(endpoint ? "Edit endpoint" : "New endpoint"), form);
  url.focus();
}

/** Checkboxes per event type, grouped by family, plus "all of a family" and "all events". */
function eventTypePicker(types, chosen) {
  const families = new Map();
  for (const type of types) {
    const family = type.name.split(".")[0];
    if (!families.has(family)) families.set(family, []);
    families.get(family).push(type);
  }
  const boxes = [];
  const box = (value, label, extra) => {
    const input = h("input", { type: "checkbox", value, checked: chosen.has(value), id: `et-${value.replace(/[^a-z0-9]/gi, "-")}` });
    boxes.push(input);
    return h("div", { class: "check" }, input, h("label", { for: input.id }, label), extra);
  };
  const all = box("*", h("span", {}, h("strong", {}, "All events"), " ", h("code", {}, "*")));
  const groups = [...families].map(([family, members]) =>
    h("fieldset", { class: "family" },
      h("legend", {}, family),
      box(`${family}.*`, h("span", {}, "Every ", h("code", {}, `${family}.*`), " event, including future ones")),
      members.map((type) => box(type.name, h("span", {}, h("code", {}, type.name), " — ", type.description),
        h("details", { class: "example" }, h("summary", {}, "Example payload"),
          h("pre", {}, JSON.stringify(type.example, null, 2)))))));
  const known = new Set(boxes.map((b) => b.value));
  const other = h("input", { type: "text", id: "endpoint-other-filters", value: [...chosen].filter((c) => !known.has(c)).join(", "), placeholder: "e.g. quota.exceeded, user.*" });
  const element = h("fieldset", { class: "event-types", id: "event-types" },
    h("legend", {}, "Event types"),
    h("p", { class: "hint" }, "Pick what this endpoint receives. A family wildcard also covers types added later."),
    all,
    h("div", { class: "families" }, groups),
    field("Other filters", other, "Comma-separated exact names or prefix.* wildcards."));
  return {
    element,
    value: () => [
      ...boxes.filter((b) => b.checked).map((b) => b.value),
      ...other.value.split(",").map((s) => s.trim()).filter(Boolean),
    ],
  };
}

/** The one time the secret is shown; an Ed25519 endpoint shows its public key, as always. */
function showSecretOnce(main, created) {
  if (created.public_key) {
    fill(
      main,
      heading("Endpoint created"),
      h("div", { class: "card secret-once", id: "secret-once" },
        h("p", {}, "Herald signs every request to ", h("code", {}, created.url), " with Ed25519 (v1a). Receivers verify with this public key:"),
        h("div", { class: "secret-row" },
          h("code", { id: "endpoint-public-key", class: "secret" }, created.public_key),
          copyButton(created.public_key, "Copy public key")),
        h("p", { role: "note" }, "The private key never leaves Herald. The public key is also on the endpoint's page."),
        h("div", { class: "actions" },
          h("a", { href: `#/endpoints/${created.id}`, class: "button", id: "secret-done" }, "Done"))));
    document.getElementById("secret-done").focus();
    return;
  }
  fill(
    main,
    heading("Endpoint created"),
    h("div", { class: "card secret-once", id: "secret-once" },
      h("p", {}, "Herald signs every request to ", h("code", {}, created.url), " with this secret:"),
      h("div", { class: "secret-row" },
        h("code", { id: "endpoint-secret", class: "secret" }, created.secret),
        copyButton(created.secret, "Copy secret")),
      h("p", { class: "warning", role: "note" },
        h("strong", {}, "Copy it now. "),
        "This is the only time the secret is shown; afterwards you can only rotate it. ",
        "Store it where your receiver can read it to verify signatures."),
      h("div", { class: "actions" },
        h("a", { href: `#/endpoints/${created.id}`, class: "button", id: "secret-done" }, "I have stored the secret"))));
  document.getElementById("secret-done").focus();
}
