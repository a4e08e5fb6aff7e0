"""A real HTTP server for feeds on a loopback address other than 127.0.0.1, as
an office's self-hosted RSSHub bridge serves many accounts from one host.

Routes are path → (status, content type, body bytes[, seconds to wait before
answering]); a 3xx route's body is its Location; anything else is a 404.
Every request is logged, so a test can see what the crawl asked for.
"""

from __future__ import annotations

import threading
import time
from contextlib import suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

Route = tuple[int, str, bytes] | tuple[int, str, bytes, float]


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients that hang up early are normal here (timeouts, size limits)."""


class FeedServer:
    def __init__(self, routes: dict[str, Route], host: str = "127.0.0.31") -> None:
        self.routes = routes
        self.requests: list[tuple[str, str]] = []  # (path, Accept header)
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                """Quiet."""

            def do_GET(self) -> None:
                owner.requests.append((self.path, self.headers.get("Accept", "")))
                status, kind, body, *wait = owner.routes.get(self.path,
                                                             (404, "text/plain", b"no"))
                if wait:
                    time.sleep(wait[0])
                self.send_response(status)
                if 300 <= status < 400:  # a redirect: the body is where to
                    self.send_header("Location", body.decode())
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with suppress(OSError):  # the crawl gave up on it (timeout, size limit)
                    self.wfile.write(body)

        self.server = _QuietServer((host, 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FeedServer:
        self.thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
