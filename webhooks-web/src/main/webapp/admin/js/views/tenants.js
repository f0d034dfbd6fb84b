// Operator: tenants and their API keys. A key is shown once, when issued.
import { get, post, del, download } from "../api.js";
import { h, fill, heading, act, notify, confirmDialog, table, cell, time, field, errorBlock, copyButton } from "../ui.js";

export async function render(main, tenantId) {
  return tenantId ? renderTenant(main, tenantId) : renderList(main);
}

function keyOnce(title, key, who) {
  return h("div", { class: "card secret-once", id: "key-once" },
    h("h2", {}, title),
    h("div", { class: "secret-row" }, h("code", { class: "secret", id: "issued-key" }, key), copyButton(key, "Copy key")),
    h("p", { class: "warning", role: "note" }, h("strong", {}, "Copy it now: "),
      `this is the only time the key is shown. Give it to ${who}; it acts for that tenant only.`));
}

async function renderList(main) {
  const id = h("input", { type: "text", id: "tenant-id", required: true, pattern: "[a-z0-9][a-z0-9_-]{0,63}", autocomplete: "off" });
  const name = h("input", { type: "text", id: "tenant-name", autocomplete: "off" });
  const errors = h("div");
  const issued = h("div");
  const create = h("button", { type: "submit", id: "create-tenant" }, "Create tenant");
  const form = h("form", { class: "card", novalidate: true },
    h("h2", {}, "New tenant"),
    h("div", { class: "row" },
      field("Tenant id", id, "Lower-case letters, digits, - and _; it cannot be changed."),
      field("Name", name, "Shown to people; defaults to the id.")),
    errors, h("div", { class: "actions" }, create));
  const list = h("div");

  async function load() {
    const tenants = await get("tenants");
    fill(list, tenants.items.length === 0
      ? h("p", { class: "card muted" }, "No tenants yet.")
      : table("Tenants", ["Tenant", "Created", "Endpoints", "Waiting", "Dead"],
          tenants.items.map((t) => h("tr", { "data-tenant": t.id },
            cell("Tenant", h("a", { href: `#/tenants/${t.id}` }, t.name), h("div", { class: "muted small" }, t.id)),
            cell("Created", time(t.created_at)),
            cell("Endpoints", t.endpoints),
            cell("Waiting", t.waiting),
            cell("Dead", t.dead)))));
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    fill(errors);
    create.disabled = true;
    try {
      const created = await post("tenants", { id: id.value.trim(), name: name.value.trim() || null });
      fill(issued, keyOnce(`Tenant ${created.name} created; its first API key:`, created.api_key, "the tenant"));
      form.reset();
      await load();
    } catch (error) {
      fill(errors, errorBlock(error));
      id.focus();
    } finally {
      create.disabled = false;
    }
  });

  fill(main, heading("Tenants"), issued, form, list);
  await load();
}

async function renderTenant(main, tenantId) {
  const base = `tenants/${encodeURIComponent(tenantId)}`;
  const tenants = await get("tenants");
  const tenant = tenants.items.find((t) => t.id === tenantId);
  if (!tenant) {
    fill(main, heading("No such tenant"), h("p", {}, h("a", { href: "#/tenants" }, "Back to the tenants")));
    return;
  }
  const list = h("div");
  const issued = h("div");
  const description = h("input", { type: "text", id: "key-description", placeholder: "e.g. ci, production" });
  const issue = h("button", { type: "submit", id: "issue-key" }, "Issue key");
  const form = h("form", { class: "inline-form" }, field("New key's description", description), issue);

  async function load() {
    const keys = await get(`${base}/api-keys`);
    fill(list, keys.items.length === 0
      ? h("p", { class: "card muted" }, "This tenant has no keys: it cannot call the API.")
      : table("API keys", ["Key", "Created", "Last used", ""], keys.items.map((k) => {
          const revoke = h("button", { type: "button", class: "danger small" }, "Revoke");
          revoke.addEventListener("click", async () => {
            const ok = await confirmDialog("Revoke this key?",
              h("p", {}, `Calls with the key "${k.description || k.id}" are refused at once. This cannot be undone.`), "Revoke", true);
            if (!ok) return;
            await act(revoke, "Revoking", async () => {
              await del(`${base}/api-keys/${encodeURIComponent(k.id)}`);
              notify("Key revoked.");
              await load();
            });
          });
          return h("tr", {},
            cell("Key", k.description || "—", h("div", { class: "muted small" }, k.id)),
            cell("Created", time(k.created_at)),
            cell("Last used", time(k.last_used_at)),
            cell("", revoke));
        })));
  }

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    act(issue, "Issuing a key", async () => {
      const key = await post(`${base}/api-keys`, { description: description.value.trim() || null });
      fill(issued, keyOnce("New API key", key.api_key, `tenant ${tenant.name}`));
      form.reset();
      await load();
    });
  });

  const exportData = h("button", { type: "button", id: "export-tenant" }, "Export all data (NDJSON)");
  exportData.addEventListener("click", () =>
    act(exportData, "Exporting", async () => {
      await download(`${base}/export`, `${tenantId}.ndjson`);
      notify("Export downloaded.");
    }));
  const remove = h("button", { type: "button", class: "danger", id: "delete-tenant" }, "Delete tenant");
  remove.addEventListener("click", async () => {
    const ok = await confirmDialog(`Delete tenant ${tenant.name}?`,
      h("p", {}, `Its API keys stop working at once, and every endpoint, event, delivery and attempt of "${tenantId}" is erased. This cannot be undone: export the data first if it may be needed.`),
      "Delete tenant", true);
    if (!ok) return;
    await act(remove, "Deleting the tenant", async () => {
      await del(base);
      notify(`Tenant ${tenant.name} deleted; its data is being erased.`);
      location.hash = "#/tenants";
    });
  });

  fill(main,
    h("p", { class: "crumbs" }, h("a", { href: "#/tenants" }, "Tenants"), " / ", tenantId),
    heading(tenant.name),
    h("p", { class: "muted" }, `${tenant.endpoints} endpoints, ${tenant.waiting} deliveries waiting, ${tenant.dead} dead.`),
    issued,
    h("div", { class: "card" }, form),
    h("h2", {}, "API keys"),
    list,
    h("h2", {}, "Data"),
    h("div", { class: "card" },
      h("p", {}, "The export lists the tenant, its endpoints (secrets masked), events, deliveries and attempts, one JSON object a line. Deleting the tenant erases all of it."),
      h("div", { class: "actions" }, exportData, remove)));
  await load();
}
