"""Serve an estate: one threaded HTTP server per site, each on its own loopback IP.

Cross-site links are written as `http://{{host:NAME}}/path` in bodies and
headers; the server replaces each `{{host:NAME}}` with the real `ip:port` of
site NAME when it answers, so links work whatever ports were picked.

Routing per request: a static resource (query order ignored, "dir/" finds
"dir/index.html"), else a prefix GET handler (trap site), else a POST
handler called with the query string as form (dataproxy.jsp answers GET too),
else an HTML 404 page. POST merges query-string and body fields.
"""

from __future__ import annotations

import ipaddress
import re
import threading
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import parse_qsl, urlsplit

from .build import build_estate
from .model import Estate, Resource, SiteSpec, Truth

HOST_TOKEN = re.compile(rb"\{\{host:([A-Za-z0-9_.-]+)\}\}")
SERVER_HEADERS = {
    "trs": "nginx",
    "hanweb": "Apache-Coyote/1.1",
    "oldgbk": "Microsoft-IIS/6.0",
    "modern": "openresty",
}
NOT_FOUND = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>404 页面不存在</title>'
             "</head><body><h1>404</h1><p>您访问的页面不存在或已被删除。</p>"
             '<p><a href="/">返回首页</a></p></body></html>').encode()


class _SiteServer(ThreadingHTTPServer):
    """One site's server; knows its spec and the estate server that owns it."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], spec: SiteSpec, owner: EstateServer) -> None:
        self.spec = spec
        self.owner = owner
        super().__init__(address, _Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients that hang up early are normal here (timeouts, size limits)."""


class _Handler(BaseHTTPRequestHandler):
    server: _SiteServer
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: a crawl of the estate would otherwise print every request."""

    def version_string(self) -> str:
        return SERVER_HEADERS.get(self.server.spec.template, "nginx/1.20.1")

    def do_GET(self) -> None:
        self._log()
        self._answer(self._lookup_get(), head=False)

    def _log(self) -> None:
        self.server.owner.requests.append((self.server.spec.name, self.command, self.path))

    def do_HEAD(self) -> None:
        self._log()
        found = self._lookup_get()
        if found.head_status:
            found = Resource(NOT_FOUND, status=found.head_status)
        self._answer(found, head=True)

    def do_POST(self) -> None:
        self._log()
        spec = self.server.spec
        bare = urlsplit(self.path).path
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length > 0 else b""
        handler = spec.post_handlers.get(bare)
        if handler is None:
            found = spec.handle_get(self.path)
            status = 405 if found is not None else 404
            self._answer(Resource(NOT_FOUND, status=status), head=False)
            return
        form = dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True))
        form.update(parse_qsl(_decode_form(raw), keep_blank_values=True))
        self._answer(handler(form), head=False)

    def _lookup_get(self) -> Resource:
        spec = self.server.spec
        found = spec.handle_get(self.path)
        if found is not None:
            return found
        handler = spec.post_handlers.get(urlsplit(self.path).path)
        if handler is not None:
            return handler(dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True)))
        return Resource(NOT_FOUND, status=404)

    def _answer(self, res: Resource, head: bool) -> None:
        if res.delay_s and self.server.owner.stopping.wait(res.delay_s):
            return  # shutting down: drop the connection instead of answering
        owner = self.server.owner
        if res.stream is not None:
            self._stream(res, head)
            return
        body = owner.substitute(res.body)
        try:
            self.send_response(res.status)
            self.send_header("Content-Type", res.content_type)
            self.send_header("Content-Length", str(len(body)))
            # HTTP/1.0: the connection closes after this answer. Saying so keeps a
            # client from pooling it (twisted would, and a POST sent on the dead
            # connection fails where a GET is silently retried).
            self.send_header("Connection", "close")
            for key, value in res.headers.items():
                self.send_header(key, owner.substitute(value.encode()).decode())
            self.end_headers()
            if not head:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


    def _stream(self, res: Resource, head: bool) -> None:
        """A body of unknown length, chunk by chunk, ended by closing the connection."""
        assert res.stream is not None
        try:
            self.send_response(res.status)
            self.send_header("Content-Type", res.content_type)
            self.send_header("Connection", "close")
            self.end_headers()
            if head:
                return
            for chunk in res.stream(self.server.owner.stopping):
                self.wfile.write(chunk)
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass


def _decode_form(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gbk", errors="replace")


class EstateServer:
    """Serves every site of an estate on 127.0.0.2, .3, ... until stopped.

    `port=0` lets each site pick a free port; a fixed port is used on every IP.
    """

    def __init__(self, estate: Estate | None = None, first_ip: str = "127.0.0.2",
                 port: int = 0, names: Iterable[str] | None = None) -> None:
        self.estate = estate or build_estate()
        wanted = set(names) if names is not None else None
        self.sites: list[SiteSpec] = [
            s for s in self.estate.sites if wanted is None or s.name in wanted
        ]
        self.first_ip = ipaddress.IPv4Address(first_ip)
        self.port = port
        self.stopping = threading.Event()
        self.addresses: dict[str, tuple[str, int]] = {}
        self._servers: list[_SiteServer] = []
        self._threads: list[threading.Thread] = []
        self._hosts: dict[bytes, bytes] = {}
        # Every request served: (site name, method, path), for tests that count them.
        self.requests: list[tuple[str, str, str]] = []

    # --- lifecycle ------------------------------------------------------------
    def start(self) -> EstateServer:
        if self._servers:
            return self
        self.stopping.clear()
        try:
            for i, spec in enumerate(self.sites):
                ip = str(self.first_ip + i)
                server = _SiteServer((ip, self.port), spec, self)
                self._servers.append(server)
                self.addresses[spec.name] = (ip, server.server_address[1])
        except OSError:
            self.stop()
            raise
        self._hosts = {n.encode(): f"{ip}:{port}".encode()
                       for n, (ip, port) in self.addresses.items()}
        for server in self._servers:
            thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                                      name=f"estate-{server.spec.name}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        """Stop every server; hanging handlers are released and drop their request."""
        self.stopping.set()
        for server, _thread in zip(self._servers, self._threads, strict=False):
            server.shutdown()
        for server in self._servers:
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=2)
        self._servers.clear()
        self._threads.clear()

    def __enter__(self) -> EstateServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    # --- addresses --------------------------------------------------------------
    def host(self, name: str) -> str:
        """"ip:port" of a served site."""
        ip, port = self.addresses[name]
        return f"{ip}:{port}"

    def base_url(self, name: str) -> str:
        return f"http://{self.host(name)}/"

    def url(self, name: str, path: str) -> str:
        return f"http://{self.host(name)}{path}"

    def truth_url(self, truth: Truth) -> str:
        """Absolute URL of a truth row's page (on the platform when `host` says so)."""
        return self.url(truth.served_by, truth.path)

    def substitute(self, body: bytes) -> bytes:
        """Replace `{{host:NAME}}` tokens with the served ip:port of NAME."""
        if b"{{host:" not in body:
            return body
        return HOST_TOKEN.sub(lambda m: self._hosts.get(m.group(1), m.group(0)), body)
