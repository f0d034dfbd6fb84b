// The admin UI's shell: sign-in state, navigation and hash routes. Each view renders into <main>
// and may return a function that stops what it started (polling, charts).
import { session } from "./session.js";
import { get } from "./api.js";
import { h, fill, notify, showError, time } from "./ui.js";
import * as signin from "./views/signin.js";
import * as endpoints from "./views/endpoints.js";
import * as endpointForm from "./views/endpoint-form.js";
import * as endpointDetail from "./views/endpoint-detail.js";
import * as delivery from "./views/delivery.js";
import * as deadLetters from "./views/dead-letters.js";
import * as overview from "./views/overview.js";
import * as tenants from "./views/tenants.js";
import * as migration from "./views/migration.js";

const TENANT_ROUTES = [
  [/^\/endpoints$/, endpoints],
  [/^\/endpoints\/new$/, endpointForm],
  [/^\/endpoints\/([^/]+)\/edit$/, endpointForm],
  [/^\/endpoints\/([^/]+)\/deliveries\/([^/]+)$/, delivery],
  [/^\/endpoints\/([^/]+)$/, endpointDetail],
  [/^\/dead-letters$/, deadLetters],
];
const OPERATOR_ROUTES = [
  [/^\/overview$/, overview],
  [/^\/tenants$/, tenants],
  [/^\/tenants\/([^/]+)$/, tenants],
  [/^\/migration$/, migration],
];
const TENANT_NAV = [["#/endpoints", "Endpoints"], ["#/dead-letters", "Dead letters"]];
const NAV = {
  tenant: TENANT_NAV,
  portal: TENANT_NAV,
  operator: [["#/overview", "Overview"], ["#/tenants", "Tenants"], ["#/migration", "Migration"]],
};
const HOME = { tenant: "#/endpoints", portal: "#/endpoints", operator: "#/overview" };

// A portal link opens /admin/?portal#token=hpl_...: the token moves from the address bar into this
// tab's sessionStorage before anything renders, and this page never asks for an API key. A portal
// token is never used outside a page opened as the portal, nor an API key inside one.
const PORTAL = new URLSearchParams(location.search).has("portal");
if (PORTAL) {
  const link = location.hash.match(/^#token=(hpl_[A-Za-z0-9_-]{20,200})$/);
  if (link) {
    session.startPortal(link[1]);
    history.replaceState(null, "", `${location.pathname}${location.search}${HOME.portal}`);
  } else if (session.role() !== "portal") {
    session.clear();
  }
} else if (session.role() === "portal") {
  session.clear();
}
let portalLink = null;

/** What a portal link shows once it has expired or was revoked: no way to sign in. */
const portalEnded = {
  render(main) {
    fill(main,
      h("section", { class: "card narrow", id: "portal-ended" },
        h("h1", {}, "This link has ended"),
        h("p", {}, "It expired or was revoked. Ask the application that opened it for a new one.")));
  },
};

const main = document.getElementById("view");
let stopView = null;

function path() {
  return decodeURIComponent(location.hash.replace(/^#/, "")) || "/";
}

function renderChrome() {
  const role = session.role();
  const nav = document.getElementById("nav");
  const who = document.getElementById("who");
  if (!session.key()) {
    fill(nav);
    fill(who);
    return;
  }
  const current = `#${path()}`;
  fill(
    nav,
    h("ul", {}, (NAV[role] || []).map(([href, label]) =>
      h("li", {}, h("a", { href, "aria-current": current.startsWith(href) ? "page" : null }, label))
    ))
  );
  if (role === "portal") {
    fill(who, h("span", { class: "muted", id: "portal-who" }, portalLink
      ? ["Tenant ", portalLink.tenant_id, " · link valid until ", time(portalLink.expires_at)]
      : "Portal"));
    return;
  }
  fill(
    who,
    h("span", { class: "muted" }, role === "operator" ? "Operator" : "Tenant"),
    h("button", { type: "button", class: "secondary", id: "sign-out", onclick: () => session.signOut() }, "Sign out")
  );
}

// Each route() counts; a view that finishes rendering after a newer route began (the session
// ended while it loaded, the person clicked on) neither replaces the page nor reports its failure.
let routes = 0;

async function route() {
  const current = ++routes;
  if (stopView) {
    try { stopView(); } catch (e) { /* a view that failed to stop must not block the next */ }
    stopView = null;
  }
  renderChrome();
  const role = session.role();
  let view = PORTAL ? portalEnded : signin;
  let params = [];
  if (session.key()) {
    const p = path();
    if (p === "/" || p === "/signin") {
      location.replace(HOME[role] || "#/endpoints");
      return;
    }
    const routes = role === "operator" ? OPERATOR_ROUTES : TENANT_ROUTES;
    const match = routes.map(([re, v]) => [p.match(re), v]).find(([m]) => m);
    if (!match) {
      fill(main, h("h1", {}, "Not found"),
        h("p", {}, "There is no such page for your key. ", h("a", { href: HOME[role] }, "Go to the start page")));
      return;
    }
    view = match[1];
    params = match[0].slice(1);
  }
  fill(main, h("p", { class: "muted" }, "Loading…"));
  try {
    const stop = (await view.render(main, ...params)) || null;
    if (current !== routes) {
      if (stop) stop();
      return;
    }
    stopView = stop;
  } catch (error) {
    if (current !== routes) return;
    fill(main, h("h1", {}, "Could not show this page"), h("p", { role: "alert" }, error.message || String(error)));
    showError(error);
  }
}

session.onChange((what) => {
  if (what === "expired") {
    notify(PORTAL ? "This link has expired or was revoked." : "The server no longer accepts this key. Sign in again.", "error");
  }
  if (what === "signed-out") notify("Signed out; the key is forgotten.");
  if (what === "signed-in") {
    // A link followed before signing in (#/endpoints/wh_...) is where the person wanted to go.
    const wanted = path();
    if (wanted === "/" || wanted === "/signin") {
      location.hash = HOME[session.role()];
    } else {
      route();
    }
    return;
  }
  location.hash = "#/signin";
  route();
});
window.addEventListener("hashchange", route);
window.addEventListener("unhandledrejection", (e) => showError(e.reason));
route();
if (PORTAL && session.key()) {
  get("portal-links/current").then((link) => {
    portalLink = link;
    renderChrome();
  }, () => { /* an ended link shows itself through the page's own calls */ });
}
