"""A real HTTP server for feeds on a loopback address other than 127.0.0.1, as
an office's self-hosted RSSHub bridge serves many accounts from one host.

Routes are path → (status, content type, body bytes); anything else is a 404.
Every request is logged, so a test can see what the crawl asked for.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

Route = tuple[int, str, bytes]


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
                status, kind, body = owner.routes.get(self.path, (404, "text/plain", b"no"))
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.server.daemon_threads = True
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
