// The API key (or a portal link's token) lives in sessionStorage: it is gone when the tab closes,
// and signing out clears it.
const KEY = "herald.apiKey";
const ROLE = "herald.role";
const listeners = [];

export const session = {
  key: () => sessionStorage.getItem(KEY),
  role: () => sessionStorage.getItem(ROLE),
  signIn(key, role) {
    sessionStorage.setItem(KEY, key);
    sessionStorage.setItem(ROLE, role);
    listeners.forEach((l) => l("signed-in"));
  },
  signOut() {
    sessionStorage.removeItem(KEY);
    sessionStorage.removeItem(ROLE);
    listeners.forEach((l) => l("signed-out"));
  },
  /** A portal link's token, taken from the address bar before anything renders. */
  startPortal(token) {
    sessionStorage.setItem(KEY, token);
    sessionStorage.setItem(ROLE, "portal");
  },
  /** Forgets the key without telling anyone: nothing has rendered yet. */
  clear() {
    sessionStorage.removeItem(KEY);
    sessionStorage.removeItem(ROLE);
  },
  /** The server refused the key (revoked, or the server was reset). */
  expired() {
    sessionStorage.removeItem(KEY);
    sessionStorage.removeItem(ROLE);
    listeners.forEach((l) => l("expired"));
  },
  onChange(listener) {
    listeners.push(listener);
  },
};
