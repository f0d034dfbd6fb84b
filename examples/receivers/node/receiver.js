// A Herald webhook receiver with Node.js's standard library only.
//
// Verifies the Standard Webhooks signature over the raw body, refuses stale timestamps,
// de-duplicates by webhook-id, answers at once and processes afterwards.
//
//   WEBHOOK_SECRET=whsec_... PORT=8000 node receiver.js
"use strict";
const crypto = require("node:crypto");
const http = require("node:http");

const SECRET = process.env.WEBHOOK_SECRET;
const PORT = Number(process.env.PORT || 8000);
const TOLERANCE = Number(process.env.WEBHOOK_TOLERANCE_SECONDS || 300);
const KEY = Buffer.from(SECRET.replace(/^whsec_/, ""), "base64");
const seen = new Set(); // use a shared store (Redis SET NX, a unique index) with several copies

class Rejected extends Error {
  constructor(status, reason) {
    super(reason);
    this.status = status;
  }
}

function verify(headers, body) {
  const id = headers["webhook-id"];
  const timestamp = headers["webhook-timestamp"];
  const signatures = headers["webhook-signature"];
  if (!id || !timestamp || !signatures) {
    throw new Rejected(400, "missing webhook-id, webhook-timestamp or webhook-signature");
  }
  if (!/^\d+$/.test(timestamp)) throw new Rejected(400, "malformed timestamp");
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > TOLERANCE) {
    throw new Rejected(400, "stale timestamp");
  }
  const expected = crypto
    .createHmac("sha256", KEY)
    .update(Buffer.concat([Buffer.from(`${id}.${timestamp}.`), body]))
    .digest();
  for (const candidate of signatures.split(" ")) {
    const [version, value] = candidate.split(",");
    const given = Buffer.from(value || "", "base64");
    if (version === "v1" && given.length === expected.length && crypto.timingSafeEqual(given, expected)) {
      return id;
    }
  }
  throw new Rejected(401, "no signature matches");
}

function processEvent(id, body) {
  const event = JSON.parse(body.toString("utf8"));
  console.log(`accepted ${id} ${event.type}`);
}

http
  .createServer((req, res) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks); // the raw bytes, never a re-serialized object
      let id;
      try {
        id = verify(req.headers, body);
      } catch (e) {
        if (!(e instanceof Rejected)) throw e;
        console.log(`rejected ${e.message}`);
        res.writeHead(e.status).end();
        return;
      }
      const duplicate = seen.has(id);
      seen.add(id);
      res.writeHead(204).end(); // answer fast: Herald waits for this before its next attempt
      if (duplicate) {
        console.log(`duplicate ${id}`);
      } else {
        setImmediate(() => processEvent(id, body));
      }
    });
  })
  .listen(PORT, "127.0.0.1", () => console.log(`listening on ${PORT}`));
