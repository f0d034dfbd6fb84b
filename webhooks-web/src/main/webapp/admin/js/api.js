// The public REST API, and nothing else: every call carries the session's key, and every failure
// becomes an ApiError with words a person can read (the problem's title and detail).
import { session } from "./session.js";

const BASE = new URL("../api/v1/", document.baseURI);

/** A refusal or failure of the API, from its problem+json body when it has one. */
export class ApiError extends Error {
  constructor(status, title, detail, field) {
    super(detail ? `${title}: ${detail}` : title);
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.field = field;
  }
}

async function problemOf(response) {
  let body = null;
  try {
    body = await response.json();
  } catch (e) {
    // Not JSON (a proxy's page, an empty body): fall back on the status line.
  }
  const title = (body && body.title) || `${response.status} ${response.statusText || "error"}`;
  return new ApiError(response.status, title, body && body.detail, body && body.field);
}

/** Calls the API; resolves to the parsed JSON (null for 204), rejects with an ApiError. */
export async function api(method, path, body, key = session.key()) {
  const headers = { Accept: "application/json" };
  if (key) headers.Authorization = `Bearer ${key}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(new URL(path.replace(/^\//, ""), BASE), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, "Could not reach the server", "check your connection and try again");
  }
  if (response.status === 401 && key === session.key() && session.key()) {
    session.expired();
  }
  if (!response.ok) throw await problemOf(response);
  if (response.status === 204) return null;
  return response.json();
}

/**
 * Downloads what a GET answers (an export) as a file named {@code filename}: fetched with the
 * signed-in key, then saved through a temporary link, since a plain link cannot send the key.
 */
export async function download(path, filename) {
  let response;
  try {
    response = await fetch(new URL(path.replace(/^\//, ""), BASE), {
      headers: { Authorization: `Bearer ${session.key()}` },
    });
  } catch (e) {
    throw new ApiError(0, "Could not reach the server", "check your connection and try again");
  }
  if (!response.ok) throw await problemOf(response);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export const get = (path) => api("GET", path);
export const post = (path, body) => api("POST", path, body === undefined ? {} : body);
export const patch = (path, body) => api("PATCH", path, body);
export const put = (path, body) => api("PUT", path, body);
export const del = (path) => api("DELETE", path);

/** A query string from the non-empty values of {@code params}. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== "") q.set(k, v);
  }
  const text = q.toString();
  return text ? `?${text}` : "";
}
