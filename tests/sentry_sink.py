"""A tiny real HTTP server on 127.0.0.1 that stands in for Sentry's ingest endpoint.

Give processes `SentrySink.dsn` as SENTRY_DSN: the SDK posts envelopes to /api/<project>/envelope/, gzip-compressed.
Each request is kept whole (decompressed bytes) so a test can search everything that left the process, and its
event items are parsed for the assertions that need structure."""

import gzip
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class SentrySink:
    def __init__(self):
        self.bodies: list[bytes] = []  # every request body, decompressed
        self.paths: list[str] = []
        self.auth: list[str] = []
        self._lock = threading.Lock()
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if self.headers.get("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                with sink._lock:
                    sink.bodies.append(body)
                    sink.paths.append(self.path)
                    sink.auth.append(self.headers.get("X-Sentry-Auth", ""))
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.dsn = f"http://publickey@127.0.0.1:{self.port}/1"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    @property
    def everything(self) -> str:
        """All that arrived, as one text, for "this must not appear anywhere" checks."""
        with self._lock:
            return "\n".join(body.decode(errors="replace") for body in self.bodies)

    @property
    def events(self) -> list[dict]:
        """The event items of every envelope received so far."""
        events = []
        with self._lock:
            bodies = list(self.bodies)
        for body in bodies:
            events.extend(item for kind, item in parse_envelope(body) if kind == "event")
        return events

    def wait_for_events(self, count: int = 1, timeout: float = 20) -> list[dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.events) >= count:
                return self.events
            time.sleep(0.1)
        raise AssertionError(f"expected {count} event(s) within {timeout:g} s, got {len(self.events)}")


def parse_envelope(body: bytes) -> list[tuple[str, dict]]:
    """(item type, payload) for each item of a Sentry envelope: a header line, then per item a header line
    and a payload of `length` bytes (or up to the next newline when no length is given)."""
    items = []
    _, _, rest = body.partition(b"\n")
    while rest.strip():
        header_line, _, rest = rest.partition(b"\n")
        header = json.loads(header_line)
        if "length" in header:
            payload, rest = rest[: header["length"]], rest[header["length"] :].removeprefix(b"\n")
        else:
            payload, _, rest = rest.partition(b"\n")
        try:
            items.append((header.get("type", ""), json.loads(payload)))
        except ValueError:
            items.append((header.get("type", ""), {"raw": payload.decode(errors="replace")}))
    return items
