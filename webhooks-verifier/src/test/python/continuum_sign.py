#!/usr/bin/env python3
"""The CONTINUUM receiver recipe, verbatim, so tests can check Herald against it.

  continuum_sign.py sign   <secret> <timestamp> <body-file>              -> prints hex signature
  continuum_sign.py verify <secret> <timestamp> <signature> <body-file>  -> exit 0 valid, 1 invalid

The body file is read as UTF-8. Both modes re-serialize the JSON with
json.dumps(..., sort_keys=True), as the seed's documented recipe does.
"""
import hashlib
import hmac
import json
import sys


def continuum_signature(secret, ts, body):
    payload = json.loads(body)
    message = f"{ts}.{json.dumps(payload, sort_keys=True)}"
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def read_body(path):
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def main(argv):
    if len(argv) == 5 and argv[1] == "sign":
        _, _, secret, ts, body_file = argv
        print(continuum_signature(secret, ts, read_body(body_file)))
        return 0
    if len(argv) == 6 and argv[1] == "verify":
        _, _, secret, ts, signature, body_file = argv
        expected = continuum_signature(secret, ts, read_body(body_file))
        return 0 if hmac.compare_digest(expected, signature) else 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
