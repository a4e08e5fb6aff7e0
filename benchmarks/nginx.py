"""Serve generated sites with Debian's nginx: own prefix and config in a temp dir, on loopback.

nginx runs in the foreground (`daemon off`) as a child of the benchmark, in its
own process group, and is stopped when the context exits, on error too (and
by an atexit hook should the interpreter leave another way). Each site gets a
server block on its own loopback address; the "outside" addresses answer any
path with a small page. Every response carries the `LinkChecker` header,
LinkChecker's opt-in for rates above 10 requests per second per host.

The access log has one line per request (address, method, status, content
type, bytes, URI); `AccessLog` counts what each tool fetched from it.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import parse_qsl, urlsplit

from govsite.benchmarks.sitegen import SiteFiles
from govsite.estate.model import Resource

DATAPROXY = "/module/web/jpage/dataproxy.jsp"
LOG_FORMAT = "$server_addr $request_method $status $body_bytes_sent \"$sent_http_content_type\" $request_uri"


def find_nginx() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None)


def nginx_version(binary: str) -> str:
    done = subprocess.run([binary, "-v"], capture_output=True, text=True, check=False)
    return (done.stderr or done.stdout).strip().split("/", 1)[-1]


def free_port(candidates: range = range(18080, 18980)) -> int:
    """A port free on every loopback address (a wildcard bind conflicts with any listener)."""
    for port in candidates:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("0.0.0.0", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port for nginx")


# --------------------------------------------------------------------------- backend
class _Backend(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], sites: dict[str, SiteFiles]) -> None:
        self.sites = sites
        super().__init__(address, _BackendHandler)


class _BackendHandler(BaseHTTPRequestHandler):
    """Answers Hanweb's dataproxy.jsp POSTs for the render estate (nginx proxies them here)."""

    server: _Backend
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        self._answer(b"")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self._answer(self.rfile.read(length) if length > 0 else b"")

    def _answer(self, raw: bytes) -> None:
        site = self.server.sites.get(self.headers.get("X-Bench-Site", ""))
        handler = site.spec.post_handlers.get(DATAPROXY) if site and site.spec else None
        form = dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True))
        form.update(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))
        res = handler(form) if handler else Resource(b"not found", "text/plain", 404)
        self.send_response(res.status)
        self.send_header("Content-Type", res.content_type)
        self.send_header("Content-Length", str(len(res.body)))
        self.end_headers()
        self.wfile.write(res.body)


# --------------------------------------------------------------------------- nginx
def _die_with_parent() -> None:
    """In the child before exec: SIGTERM nginx (a fast shutdown of master and workers) should
    the benchmark die without stopping it, e.g. by SIGKILL. Linux only; a no-op elsewhere."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@dataclass
class Nginx:
    """One nginx serving `sites` (and the outside addresses) on `port`."""

    binary: str
    prefix: Path
    port: int
    sites: list[SiteFiles]
    outside_ips: list[str]
    workers: int = 1
    process: subprocess.Popen[bytes] | None = None
    backend: _Backend | None = None
    _backend_thread: threading.Thread | None = field(default=None, repr=False)

    @property
    def access_log(self) -> Path:
        return self.prefix / "logs" / "access.log"

    @property
    def error_log(self) -> Path:
        return self.prefix / "logs" / "error.log"

    def config_text(self, backend_port: int | None) -> str:
        p = self.prefix
        servers = []
        for site in self.sites:
            proxy = ""
            if backend_port and site.spec is not None and DATAPROXY in site.spec.post_handlers:
                proxy = (f"    location = {DATAPROXY} {{ proxy_pass http://127.0.0.1:{backend_port};"
                         f" proxy_set_header X-Bench-Site {site.name}; }}\n")
            charset = "utf-8" if site.charset == "utf-8" else "off"
            servers.append(
                f"  server {{\n    listen {site.ip}:{self.port};\n    root {site.root};\n"
                f"    charset {charset};\n"
                "    location / { try_files $uri@$args $uri $uri/ =404; }\n"
                f"{proxy}  }}\n")
        outside = "".join(f"    listen {ip}:{self.port};\n" for ip in self.outside_ips)
        servers.append(
            f"  server {{\n{outside}    location / {{ return 200 '<!DOCTYPE html><html><head>"
            "<meta charset=\"utf-8\"><title>外部网站</title></head><body><p>外部网站"
            "</p></body></html>'; }\n  }\n")
        # Started by root, workers would run as nobody, who may not traverse the parents of
        # the work dir (pytest's tmp dirs are 0700): keep them as root then, on loopback only.
        user = "user root root;\n" if os.geteuid() == 0 else ""
        return f"""daemon off;
{user}master_process on;
worker_processes {self.workers};
worker_rlimit_nofile 16384;
pid {p}/nginx.pid;
error_log {self.error_log} warn;
events {{ worker_connections 8192; multi_accept on; }}
http {{
  include /etc/nginx/mime.types;
  default_type text/html;
  log_format bench '{LOG_FORMAT}';
  access_log {self.access_log} bench;
  client_body_temp_path {p}/tmp/body;
  proxy_temp_path {p}/tmp/proxy;
  fastcgi_temp_path {p}/tmp/fastcgi;
  uwsgi_temp_path {p}/tmp/uwsgi;
  scgi_temp_path {p}/tmp/scgi;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_timeout 65;
  keepalive_requests 1000000;
  server_tokens off;
  add_header LinkChecker allow always;
{"".join(servers)}}}
"""

    def start(self) -> Nginx:
        for sub in ("logs", "tmp", "conf"):
            (self.prefix / sub).mkdir(parents=True, exist_ok=True)
        os.chmod(self.prefix / "tmp", 0o777)  # workers run as nobody when started by root
        backend_port = None
        render_sites = {s.name: s for s in self.sites if s.spec is not None}
        if render_sites:
            self.backend = _Backend(("127.0.0.1", 0), render_sites)
            backend_port = self.backend.server_address[1]
            self._backend_thread = threading.Thread(target=self.backend.serve_forever,
                                                    name="dataproxy", daemon=True)
            self._backend_thread.start()
        conf = self.prefix / "conf" / "nginx.conf"
        conf.write_text(self.config_text(backend_port), encoding="utf-8")
        test = subprocess.run([self.binary, "-t", "-q", "-p", str(self.prefix), "-c", str(conf),
                               "-e", str(self.error_log)], capture_output=True, text=True,
                              check=False)
        if test.returncode != 0:
            raise RuntimeError(f"nginx config test failed: {test.stderr.strip()[-800:]}")
        self.process = subprocess.Popen(
            [self.binary, "-p", str(self.prefix), "-c", str(conf), "-e", str(self.error_log)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            start_new_session=True, preexec_fn=_die_with_parent)
        atexit.register(self.stop)
        self._wait_ready()
        return self

    def _wait_ready(self, timeout: float = 15) -> None:
        probe = self.sites[0].ip if self.sites else self.outside_ips[0]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                err = self.process.stderr.read().decode() if self.process.stderr else ""
                raise RuntimeError(f"nginx exited at start: {err.strip()[-800:]}")
            with contextlib.suppress(OSError), socket.create_connection((probe, self.port), 0.5):
                return
            time.sleep(0.05)
        raise RuntimeError("nginx did not start listening in time")

    def stop(self) -> None:
        """Graceful quit, then SIGKILL to nginx's own process group if it lingers."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGQUIT)
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        if process is not None:
            # workers share the master's process group: none may outlive it
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
        if self.backend is not None:
            self.backend.shutdown()
            self.backend.server_close()
            self.backend = None

    def pids(self) -> list[int]:
        """nginx master and workers (to read their CPU time)."""
        if self.process is None:
            return []
        import psutil

        with contextlib.suppress(psutil.Error):
            master = psutil.Process(self.process.pid)
            return [master.pid, *(c.pid for c in master.children(recursive=True))]
        return []

    def __enter__(self) -> Nginx:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


# --------------------------------------------------------------------------- access log
@dataclass
class Served:
    """What nginx answered during one tool's run."""

    requests: int = 0
    html_pages: int = 0  # GET, 200, text/html
    other_ok: int = 0  # GET, 200, anything else
    not_found: int = 0
    head: int = 0
    bytes: int = 0
    outside: int = 0  # requests to the outside addresses
    by_address: dict[str, int] = field(default_factory=dict)


class AccessLog:
    """Counts the log lines written since `mark()`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = 0

    def mark(self) -> None:
        self.offset = self.path.stat().st_size if self.path.exists() else 0

    def since_mark(self, is_outside: Callable[[str], bool] | None = None) -> Served:
        served = Served()
        if not self.path.exists():
            return served
        with self.path.open("rb") as handle:
            handle.seek(self.offset)
            data = handle.read()
        for line in data.decode("utf-8", "replace").splitlines():
            parts = line.split(" ", 4)
            if len(parts) < 5:
                continue
            address, method, status, size, rest = parts
            served.requests += 1
            served.bytes += int(size) if size.isdigit() else 0
            if is_outside is not None and is_outside(address):
                served.outside += 1
                continue
            served.by_address[address] = served.by_address.get(address, 0) + 1
            if method == "HEAD":
                served.head += 1
            elif status == "404":
                served.not_found += 1
            elif method == "GET" and status == "200":
                if rest.startswith('"text/html'):
                    served.html_pages += 1
                else:
                    served.other_ok += 1
        return served
