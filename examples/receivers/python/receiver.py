"""A Herald webhook receiver with Python's standard library only.

Verifies the Standard Webhooks signature over the raw body, refuses stale timestamps,
de-duplicates by webhook-id, answers at once and processes afterwards.

    WEBHOOK_SECRET=whsec_... PORT=8000 python3 receiver.py

Set SIGNATURE_PROFILE=legacy-hex and HEADER_PREFIX=Continuum for endpoints on the legacy-hex
profile (X-Continuum-Signature: hex HMAC of "{timestamp}.{body}" keyed by the secret's bytes).
"""
import base64
import hashlib
import hmac
import http.server
import json
import os
import queue
import threading
import time

SECRET = os.environ["WEBHOOK_SECRET"]
PORT = int(os.environ.get("PORT", "8000"))
TOLERANCE = int(os.environ.get("WEBHOOK_TOLERANCE_SECONDS", "300"))
PROFILE = os.environ.get("SIGNATURE_PROFILE", "standard")
PREFIX = os.environ.get("HEADER_PREFIX", "Continuum")

seen = set()  # use a shared store (Redis SET NX, a unique index) when running several copies
seen_lock = threading.Lock()
work = queue.Queue()


class Rejected(Exception):
    def __init__(self, status, reason):
        super().__init__(reason)
        self.status, self.reason = status, reason


def verify_standard(headers, body):
    msg_id = headers.get("webhook-id")
    timestamp = headers.get("webhook-timestamp")
    signatures = headers.get("webhook-signature")
    if not (msg_id and timestamp and signatures):
        raise Rejected(400, "missing webhook-id, webhook-timestamp or webhook-signature")
    check_timestamp(timestamp)
    key = base64.b64decode(SECRET.removeprefix("whsec_"))
    signed = f"{msg_id}.{timestamp}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    for candidate in signatures.split(" "):
        version, _, value = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(value, expected):
            return msg_id
    raise Rejected(401, "no signature matches")


def verify_legacy_hex(headers, body):
    timestamp = headers.get(f"X-{PREFIX}-Timestamp")
    signatures = headers.get(f"X-{PREFIX}-Signature")
    msg_id = headers.get(f"X-{PREFIX}-Delivery")
    if not (timestamp and signatures and msg_id):
        raise Rejected(400, f"missing X-{PREFIX}-Timestamp, -Signature or -Delivery")
    check_timestamp(timestamp)
    signed = timestamp.encode() + b"." + body
    expected = hmac.new(SECRET.encode(), signed, hashlib.sha256).hexdigest()
    if any(hmac.compare_digest(expected, s.strip()) for s in signatures.split(",")):
        return msg_id
    raise Rejected(401, "no signature matches")


def check_timestamp(timestamp):
    try:
        age = abs(time.time() - int(timestamp))
    except ValueError:
        raise Rejected(400, "malformed timestamp")
    if age > TOLERANCE:
        raise Rejected(400, "stale timestamp")


class Receiver(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as Herald's client uses it

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))  # the raw bytes
        try:
            verify = verify_legacy_hex if PROFILE == "legacy-hex" else verify_standard
            msg_id = verify(self.headers, body)
        except Rejected as e:
            print(f"rejected {e.reason}", flush=True)
            self.answer(e.status)
            return
        with seen_lock:
            duplicate = msg_id in seen
            seen.add(msg_id)
        if duplicate:
            print(f"duplicate {msg_id}", flush=True)
        else:
            work.put((msg_id, body))
        self.answer(204)  # answer fast: Herald waits for this before its next attempt

    def answer(self, status):
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def process():
    while True:
        msg_id, body = work.get()
        event = json.loads(body)
        print(f"accepted {msg_id} {event.get('type')}", flush=True)


threading.Thread(target=process, daemon=True).start()
server = http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Receiver)
print(f"listening on {PORT}", flush=True)
server.serve_forever()
