#!/usr/bin/env python3
"""A local stand-in for the call-back form's provider.

It answers as Formspree documents (and the services that copy it do):
a post that asks for JSON (``Accept: application/json``) gets ``200
{"ok": true}``; a plain browser post gets a ``303`` redirect to the form's
``_next`` page. Every answer allows any origin, as the provider's do, so the
page's script may read it (all but "no-cors"'s, below).

`make serve` runs one beside the preview and prints every request it gets,
so an editor can try the form for real. The tests run one too and script its
answers (``behaviour``). Every behaviour records the request first, as a
provider that received it would:

- "accept": as above;
- "reject-phone": 422 with ``errors[]`` naming the phone field;
- "reject-form": 403 with ``errors[]`` naming no field of the form;
- "forbidden": 403 with a JSON ``error`` and no ``errors[]``;
- "fail": 500; "bad-gateway": 502 (a proxy could not reach it);
  "gateway-timeout": 504 (a proxy gave up waiting);
- "html-200": 200 with an HTML page instead of JSON;
- "no-ok": 200 JSON without ``ok``; "ok-false": 200 ``{"ok": false}``;
- "redirect": 303 to ``_next`` even when JSON was asked for (as Formspree
  answers a plain post it took);
- "redirect-elsewhere": 303 to the provider's own thank-you page
  (``/thanks``, which it serves with its CORS header);
- "redirect-home": 303 to the site's home page (the origin of ``_next``),
  a page of ours that is not the thank-you page;
- "no-cors": 200 ``{"ok": true}`` without ``Access-Control-Allow-Origin``,
  so a browser's script cannot read it;
- "drop": closes the connection without answering;
- "hang": never answers (until the test ends).

Run it alone with ``python tools/callback_receiver.py [PORT]``.
"""

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urljoin

DEFAULT_PORT = 8001
# What "reject-phone" answers, in the provider's shape.
PHONE_REJECTION = {
    "error": "Validation errors",
    "errors": [{"field": "phone", "code": "TYPE_PHONE", "message": "should be a phone number"}],
}
# What "reject-form" answers: an error about the form itself, not a field.
FORM_REJECTION = {
    "error": "Form not found",
    "errors": [{"code": "FORM_NOT_FOUND", "message": "Form not found"}],
}
THANK_YOU_HTML = "<!doctype html><title>Thanks!</title><p>The form was submitted.</p>"
# Where "redirect-elsewhere" sends the browser: the provider's own page.
OWN_THANK_YOU_PATH = "/thanks"


class CallbackReceiver:
    """A form endpoint on 127.0.0.1 that records what it receives."""

    def __init__(self, port=0, echo=False):
        self.port = port
        self.echo = echo
        self.behaviour = "accept"
        self.requests = []  # each: {"path", "headers", "fields"}
        self.released = threading.Event()  # ends every "hang"
        self._server = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/callback"

    def start(self):
        receiver = self

        class Handler(CallbackHandler):
            pass

        Handler.receiver = receiver
        self.released.clear()
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_port
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        """Stop listening: the endpoint is down (connections are refused)."""
        self.released.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def reset(self, behaviour="accept"):
        self.behaviour = behaviour
        self.requests.clear()


# The behaviours that are one fixed JSON answer: (status, payload).
SIMPLE_ANSWERS = {
    "fail": (500, {"error": "Internal server error"}),
    "bad-gateway": (502, {"error": "Bad gateway"}),
    "gateway-timeout": (504, {"error": "Gateway timeout"}),
    "reject-phone": (422, PHONE_REJECTION),
    "reject-form": (403, FORM_REJECTION),
    "forbidden": (403, {"error": "Submissions from this domain are not allowed"}),
    "no-ok": (200, {"next": "/thanks/"}),
    "ok-false": (200, {"ok": False}),
}


class CallbackHandler(BaseHTTPRequestHandler):
    receiver = None  # set per server by CallbackReceiver.start

    def do_OPTIONS(self):  # a CORS pre-flight, should a browser send one
        self.send_response(204)
        self.send_cors_headers()
        self.send_header("Access-Control-Allow-Methods", "POST")
        self.send_header("Access-Control-Allow-Headers", "Accept, Content-Type")
        self.end_headers()

    def do_GET(self):  # the provider's own thank-you page, nothing else
        if self.path == OWN_THANK_YOU_PATH:
            self.answer(200, THANK_YOU_HTML, content_type="text/html; charset=utf-8")
        else:
            self.send_error(404)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8")
        fields = {key: values[0] for key, values in parse_qs(body, keep_blank_values=True).items()}
        receiver = self.receiver
        receiver.requests.append({"path": self.path, "headers": dict(self.headers), "fields": fields})
        if receiver.echo:
            print("\nCall-back request received:", flush=True)
            for key, value in fields.items():
                print(f"  {key}: {value}", flush=True)
        wants_json = "application/json" in self.headers.get("Accept", "")
        behaviour = receiver.behaviour
        if behaviour == "hang":
            receiver.released.wait()
        elif behaviour == "drop":
            self.close_connection = True
        elif behaviour in SIMPLE_ANSWERS:
            status, payload = SIMPLE_ANSWERS[behaviour]
            self.answer(status, payload)
        elif behaviour == "html-200":
            self.answer(200, THANK_YOU_HTML, content_type="text/html; charset=utf-8")
        elif behaviour == "no-cors":
            self.answer(200, {"ok": True, "next": fields.get("_next", "")}, cors=False)
        elif behaviour == "redirect-elsewhere":
            self.redirect(OWN_THANK_YOU_PATH)
        elif behaviour == "redirect-home":
            self.redirect(urljoin(fields.get("_next", ""), "/"))
        elif wants_json and behaviour != "redirect":
            self.answer(200, {"ok": True, "next": fields.get("_next", "")})
        else:
            self.redirect(fields.get("_next") or "/")

    def redirect(self, location):
        self.send_response(303)
        self.send_cors_headers()
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def answer(self, status, payload, content_type="application/json", cors=True):
        data = (payload if isinstance(payload, str) else json.dumps(payload)).encode("utf-8")
        self.send_response(status)
        if cors:
            self.send_cors_headers()
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def send_cors_headers(self):
        self.send_header("Access-Control-Allow-Origin", "*")

    def log_message(self, format, *args):  # requests are printed by do_POST
        pass


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_PORT
    server = CallbackReceiver(port=port, echo=True).start()
    print(f"Call-back receiver listening at {server.url} (Ctrl+C to stop)")
    threading.Event().wait()
