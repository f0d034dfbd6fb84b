// Small DOM helpers. Text always goes in as text nodes: nothing from the API becomes markup.

/** Creates an element: h("a", {href: "#/x", class: "btn"}, "text", child, ...). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      el.addEventListener(name.slice(2), value);
    } else if (value === true) {
      el.setAttribute(name, "");
    } else {
      el.setAttribute(name, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's content. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

let noticeCount = 0;

/** Shows a message at the top of the page; errors stay until dismissed. */
export function notify(message, kind = "ok") {
  const area = document.getElementById("notices");
  const id = `notice-${++noticeCount}`;
  const note = h(
    "div",
    { class: `notice ${kind}`, id, role: kind === "error" ? "alert" : null },
    h("span", {}, message),
    h("button", { type: "button", class: "link", "aria-label": "Dismiss", onclick: () => note.remove() }, "×")
  );
  area.append(note);
  if (kind !== "error") setTimeout(() => note.remove(), 6000);
  return note;
}

/** Says what went wrong, in the API's words. */
export function showError(error, doing) {
  const what = error && error.title ? error.message : String((error && error.message) || error);
  notify(doing ? `${doing} failed. ${what}` : what, "error");
}

/** An inline error block for a form or a section. */
export function errorBlock(error) {
  return h(
    "div",
    { class: "error-block", role: "alert" },
    h("strong", {}, error.title || "Error"),
    error.detail ? h("p", {}, error.detail) : null,
    error.field ? h("p", { class: "muted" }, `Field: ${error.field}`) : null
  );
}

/**
 * Runs an action from a button: disables it meanwhile, reports a failure in plain words.
 * Resolves to the action's result, or undefined when it failed.
 */
export async function act(button, doing, action) {
  if (button) button.disabled = true;
  try {
    return await action();
  } catch (error) {
    showError(error, doing);
    return undefined;
  } finally {
    if (button) button.disabled = false;
  }
}

/** Asks for confirmation in a modal dialog; resolves true when confirmed. */
export function confirmDialog(title, body, okLabel = "OK", danger = false) {
  const dialog = document.getElementById("confirm");
  fill(document.getElementById("confirm-title"), title);
  fill(document.getElementById("confirm-body"), body);
  const ok = document.getElementById("confirm-ok");
  ok.textContent = okLabel;
  ok.className = danger ? "danger" : "";
  dialog.returnValue = "";
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true });
    dialog.showModal();
    ok.focus();
  });
}

/** A copy-to-clipboard button for a value. */
export function copyButton(value, label = "Copy") {
  const button = h("button", { type: "button", class: "secondary" }, label);
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(value);
      button.textContent = "Copied";
    } catch (e) {
      // No clipboard permission (plain HTTP, or a browser policy): let the person copy by hand.
      notify("Could not copy automatically; select the text and copy it.", "error");
    }
  });
  return button;
}

export function time(iso) {
  if (!iso) return "—";
  const d = new Date(iso);
  return d.toLocaleString(undefined, {
    year: "numeric", month: "short", day: "numeric",
    hour: "2-digit", minute: "2-digit", second: "2-digit",
  });
}

export function ms(value) {
  if (value === undefined || value === null) return "—";
  return value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${value} ms`;
}

export function percent(rate) {
  if (rate === undefined || rate === null) return "—";
  return `${(rate * 100).toFixed(rate === 1 || rate === 0 ? 0 : 1)} %`;
}

/** A status pill: text plus a class that colours it. */
export function pill(text, kind) {
  return h("span", { class: `pill ${kind || text}` }, text);
}

export function statusPill(status) {
  const kinds = { succeeded: "good", dead: "bad", pending: "wait", in_flight: "wait" };
  return pill(status.replace("_", " "), kinds[status] || "");
}

/** A page heading plus optional actions. */
export function heading(text, ...actions) {
  return h("div", { class: "heading" }, h("h1", {}, text), h("div", { class: "actions" }, actions));
}

/** A labelled form field. */
export function field(label, control, hint) {
  const id = control.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  control.id = id;
  const hintId = hint ? `${id}-hint` : null;
  if (hintId) control.setAttribute("aria-describedby", hintId);
  return h(
    "div",
    { class: "field" },
    h("label", { for: id }, label),
    control,
    hint ? h("p", { class: "hint", id: hintId }, hint) : null
  );
}

/** A table with a caption (visually hidden when {@code hideCaption}). */
export function table(caption, headers, rows, hideCaption = false) {
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      {},
      h("caption", { class: hideCaption ? "sr-only" : null }, caption),
      h("thead", {}, h("tr", {}, headers.map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, rows)
    )
  );
}

/** A table cell that names its column, so narrow screens can show rows as cards. */
export function cell(label, ...children) {
  return h("td", { "data-label": label }, h("div", { class: "cell" }, children));
}

/** A number with its label, for the rows of figures at the top of a page. */
export function stat(label, value, note) {
  return h("div", { class: "stat" },
    h("div", { class: "stat-label" }, label),
    h("div", { class: "stat-value" }, value),
    note ? h("div", { class: "muted" }, note) : null);
}
