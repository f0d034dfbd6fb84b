// Sign in with an API key: a tenant's key (hrk_...) or the operator key. Which one it is, the API
// says: the tenant list answers only to the operator.
import { api, ApiError } from "../api.js";
import { session } from "../session.js";
import { h, fill, field, errorBlock } from "../ui.js";

export async function render(main) {
  const key = h("input", { type: "password", id: "api-key", name: "api-key", autocomplete: "off", required: true, spellcheck: "false" });
  const errors = h("div", { id: "signin-errors" });
  const submit = h("button", { type: "submit", id: "sign-in" }, "Sign in");
  const form = h(
    "form",
    { class: "card narrow", "aria-labelledby": "signin-title" },
    h("h1", { id: "signin-title" }, "Sign in to Herald"),
    h("p", {}, "Use your tenant API key (it starts with hrk_) or the operator key. ",
      "The key stays in this browser tab only and is forgotten when you sign out or close the tab."),
    field("API key", key),
    errors,
    h("div", { class: "actions" }, submit)
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    fill(errors);
    const value = key.value.trim();
    if (!value) {
      fill(errors, errorBlock({ title: "Enter an API key" }));
      return;
    }
    submit.disabled = true;
    try {
      const role = await roleOf(value);
      session.signIn(value, role);
    } catch (error) {
      fill(errors, errorBlock(error.status === 401
        ? { title: "This key is not accepted", detail: error.detail }
        : error));
      key.focus();
    } finally {
      submit.disabled = false;
    }
  });
  fill(main, form);
  key.focus();
}

async function roleOf(key) {
  try {
    await api("GET", "tenants", undefined, key);
    return "operator";
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) return "tenant";
    throw error;
  }
}
