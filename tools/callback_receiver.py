#!/usr/bin/env python3
"""A local stand-in for the call-back form's provider.

It answers as Formspree documents (and the services that copy it do):
a post that asks for JSON (``Accept: application/json``) gets ``200
{"ok": true}``; a plain browser post gets a ``303`` redirect to the form's
``_next`` page. Every answer allows any origin, as the provider's do, so the
page's script may read it.

`make serve` runs one beside the preview and prints every request it gets,
so an editor can try the form for real. The tests run one too and script its
answers (``behaviour``): "accept", "reject-phone" (422 with ``errors[]``),
"fail" (500) and "hang" (never answers).

Run it alone with ``python tools/callback_receiver.py [PORT]``.
"""

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

DEFAULT_PORT = 8001
# What "reject-phone" answers, in the provider's shape.
PHONE_REJECTION = {
    "error": "Validation errors",
    "errors": [{"field": "phone", "code": "TYPE_PHONE", "message": "should be a phone number"}],
}


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


class CallbackHandler(BaseHTTPRequestHandler):
    receiver = None  # set per server by CallbackReceiver.start

    def do_OPTIONS(self):  # a CORS pre-flight, should a browser send one
        self.send_response(204)
        self.send_cors_headers()
        self.send_header("Access-Control-Allow-Methods", "POST")
        self.send_header("Access-Control-Allow-Headers", "Accept, Content-Type")
        self.end_headers()

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
        if receiver.behaviour == "hang":
            receiver.released.wait()
            return
        if receiver.behaviour == "fail":
            self.answer(500, {"error": "Internal server error"})
        elif receiver.behaviour == "reject-phone":
            self.answer(422, PHONE_REJECTION)
        elif wants_json:
            self.answer(200, {"ok": True, "next": fields.get("_next", "")})
        else:
            self.send_response(303)
            self.send_header("Location", fields.get("_next") or "/")
            self.send_header("Content-Length", "0")
            self.end_headers()

    def answer(self, status, payload):
        data = json.dumps(payload).encode("utf-8")
        self.send_response(status)
        self.send_cors_headers()
        self.send_header("Content-Type", "application/json")
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
