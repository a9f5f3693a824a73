#!/usr/bin/env python3
"""A fake HubSpot API server for testing the hubspot: store backend.

It serves the handful of HubSpot endpoints the backend uses, with the JSON
shapes, error bodies, rate-limit headers and paging of the real API, over
HTTP/1.1 keep-alive on 127.0.0.1. Records are generated lazily (see
fake_hubspot_data.py), so large accounts cost little memory. Rate limits and
injected faults live in fake_hubspot_limits.py. tests/hubspot/README.md lists
the config keys and endpoints.

Use it in-process:

    fake = FakeHubSpot({"token": "t", "objects": {"contacts": {"count": 500}}})
    port = fake.start(); ...; fake.stop()

or as a program:

    python3 fake_hubspot.py --config FILE.json --port-file PATH

Standard library only.
"""
import argparse
import gzip
import http.server
import json
import os
import pathlib
import signal
import sys
import threading
import time
import traceback
import urllib.parse

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from fake_hubspot_api import (MAX_URL_LENGTH, ApiError, FakeState, Request, admin_change,  # noqa: E402
                              parse_json, rate_limit_error, route)
from fake_hubspot_data import RawJson  # noqa: E402


class ConnectionReset(Exception):
    """Raised to drop the connection without an answer (the reset fault)."""


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeHubSpot/1.0"
    # Headers and body go out in separate writes; without TCP_NODELAY, Nagle
    # plus the client's delayed ACK stalls every keep-alive answer by ~40 ms.
    disable_nagle_algorithm = True
    timeout = 120
    state: FakeState = None       # set per server class by FakeHubSpot

    def do_GET(self):
        self.dispatch("GET")

    def do_POST(self):
        self.dispatch("POST")

    # Methods the fake has no endpoint for still get a JSON 404, not http.server's HTML 501.
    def do_PUT(self):
        self.dispatch("PUT")

    def do_PATCH(self):
        self.dispatch("PATCH")

    def do_DELETE(self):
        self.dispatch("DELETE")

    def log_message(self, format, *args):
        if os.environ.get("FAKE_HUBSPOT_VERBOSE"):
            super().log_message(format, *args)

    def dispatch(self, method: str):
        raw_body = self.read_body()
        parsed = urllib.parse.urlsplit(self.path)
        if parsed.path.startswith("/__fake/"):
            self.serve_admin(method, parsed.path, raw_body)
            return
        governor = self.state.governor
        governor.request_started(len(self.path))
        handler, params, is_search, endpoint = route(method, parsed.path)
        try:
            status, body, headers = self.answer_api(method, parsed, raw_body, handler, params, is_search)
        except ConnectionReset:
            governor.request_finished(endpoint, 0)
            self.close_connection = True
            return
        # Counted before sending, so a test reading the statistics right
        # after its answer arrives sees its own request.
        governor.request_finished(endpoint, status)
        self.send_json(status, body, headers)

    def answer_api(self, method: str, parsed, raw_body: bytes, handler, params, is_search):
        """(status, body, headers) for one API request; raises ConnectionReset
        when the reset fault says to hang up instead."""
        state = self.state
        try:
            if len(self.path) > MAX_URL_LENGTH:
                raise ApiError(414, "URI_TOO_LONG", f"Request URI of {len(self.path)} characters is too long.")
            if handler is None:
                raise ApiError(404, "OBJECT_NOT_FOUND", f"No route for {method} {parsed.path}.")
            if self.headers.get("Authorization", "") != f"Bearer {state.token}":
                raise ApiError(401, "INVALID_AUTHENTICATION",
                               "Authentication credentials not found. This API supports OAuth 2.0 "
                               "authentication and you can find more details at "
                               "https://developers.hubspot.com/docs/methods/auth/oauth-overview")
            self.admit(is_search)
            request = Request(method, params, urllib.parse.parse_qs(parsed.query, keep_blank_values=True),
                              parse_json(raw_body))
            status, body = handler(state, request)
            return status, body, state.governor.headers()
        except ApiError as error:
            headers = dict(error.headers)
            if error.status != 401:       # no token, no budget to report
                headers.update(state.governor.headers())
            return error.status, error.body, headers
        except (ConnectionReset, ConnectionError):
            raise
        except Exception:
            # A bug in the fake must not look like a HubSpot answer: say so loudly.
            traceback.print_exc()
            error = ApiError(500, "INTERNAL_ERROR", f"fake HubSpot bug: {traceback.format_exc(limit=1)}")
            return error.status, error.body, {}

    def admit(self, is_search: bool):
        """Applies injected faults, latency and rate limits; raises to refuse."""
        state = self.state
        rejection = state.governor.admit(is_search)
        latency = state.governor.latency_seconds()
        if latency:
            time.sleep(latency)       # each request has its own thread, so these overlap
        if rejection is None:
            return
        if rejection.policy == "reset":
            raise ConnectionReset()
        if rejection.status >= 500:
            raise ApiError(rejection.status, "INTERNAL_ERROR",
                           "An internal error occurred (injected by the fake).")
        raise rate_limit_error(state, rejection)

    # --- admin endpoints (no auth, no limits) ----------------------------
    def serve_admin(self, method: str, path: str, raw_body: bytes):
        state = self.state
        parts = path.strip("/").split("/")[1:]
        try:
            if method == "GET" and parts == ["stats"]:
                self.send_json(200, state.governor.stats())
            elif method == "POST" and parts == ["reset-stats"]:
                state.governor.reset_stats()
                self.send_json(200, {"status": "ok"})
            elif method == "POST" and parts == ["faults"]:
                state.governor.set_faults(parse_json(raw_body) or {})
                self.send_json(200, state.governor.faults)
            elif method == "GET" and len(parts) == 2 and parts[0] == "records":
                self.stream_records(state.object_type(parts[1]))
            elif method == "POST" and len(parts) == 3 and parts[0] == "records":
                self.send_json(200, admin_change(state, parts[1], parts[2], parse_json(raw_body)))
            else:
                raise ApiError(404, "OBJECT_NOT_FOUND", f"No admin route for {method} {path}.")
        except ApiError as error:
            self.send_json(error.status, error.body)

    def stream_records(self, object_type):
        """Every live record, all properties, one JSON object a line, chunked."""
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson; charset=utf-8")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        batch = []
        for record_id in self.state.dataset.live_ids(object_type):
            line = {"id": str(record_id), "properties": self.state.dataset.all_values(object_type, record_id)}
            batch.append(json.dumps(line, ensure_ascii=False) + "\n")
            if len(batch) == 200:
                self.write_chunk("".join(batch).encode())
                batch = []
        if batch:
            self.write_chunk("".join(batch).encode())
        self.wfile.write(b"0\r\n\r\n")

    def write_chunk(self, data: bytes):
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")

    # --- plumbing ----------------------------------------------------------
    def read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def send_json(self, status: int, body, headers=None):
        if isinstance(body, RawJson):
            payload = body.encode()
        else:
            payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        extra = dict(headers or {})
        if "gzip" in self.headers.get("Accept-Encoding", ""):
            payload = gzip.compress(payload, compresslevel=1, mtime=0)
            extra["Content-Encoding"] = "gzip"
            extra["Vary"] = "Accept-Encoding"
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in extra.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)


class QuietServer(http.server.ThreadingHTTPServer):
    """Keeps stderr clean when a client hangs up mid-answer (tests do that)."""
    daemon_threads = True
    request_queue_size = 256

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


class FakeHubSpot:
    """The fake server, started on a background thread."""

    def __init__(self, config: dict):
        self.state = FakeState(config)
        self._server = None
        self._thread = None

    def start(self, port: int = 0) -> int:
        handler = type("BoundHandler", (Handler,), {"state": self.state})
        server = QuietServer(("127.0.0.1", port), handler)
        self._server = server
        self.state.base_url = self.url
        self._thread = threading.Thread(target=server.serve_forever, name="fake-hubspot", daemon=True)
        self._thread.start()
        return self.port

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=10)
            self._server = None

    def stats(self) -> dict:
        return self.state.governor.stats()

    def set_faults(self, faults: dict):
        self.state.governor.set_faults(faults)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Fake HubSpot API server for tests.")
    parser.add_argument("--config", required=True, help="JSON config file (see tests/hubspot/README.md)")
    parser.add_argument("--port", type=int, default=0, help="port to bind on 127.0.0.1 (0: any free port)")
    parser.add_argument("--port-file", help="write the bound port here once listening")
    args = parser.parse_args(argv)
    config = json.loads(pathlib.Path(args.config).read_text(encoding="utf-8"))
    fake = FakeHubSpot(config)
    port = fake.start(args.port)
    if args.port_file:
        # Written beside and renamed, so a reader never sees a half-written port.
        temporary = pathlib.Path(args.port_file + ".tmp")
        temporary.write_text(f"{port}\n", encoding="utf-8")
        os.replace(temporary, args.port_file)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    print(f"fake HubSpot listening on {fake.url}", file=sys.stderr, flush=True)
    while not stopped.wait(1.0):
        pass
    fake.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
