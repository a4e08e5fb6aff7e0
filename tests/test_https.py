"""The `https` check against real TLS servers on loopback, with a CA the test makes.

Six sites: a good one (valid certificate, http:// redirects to https://), an
expired certificate, a certificate for another host, a self-signed one, a
site that serves plain HTTP only, and a good one whose HTTPS page loads a
script over http:// (mixed content). The real CLI crawls them all; the check
reads the verified handshake crawler/tls.py made.
"""

from __future__ import annotations

import ipaddress
import json
import ssl
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from helpers import AS_OF, tight_config

pytestmark = pytest.mark.slow  # servers, a crawl, the CLI in a subprocess

NOW = datetime.now(UTC)
CASES = {  # name: (address, certificate kind)
    "good": ("127.0.4.2", "valid"), "expired": ("127.0.4.3", "expired"),
    "wronghost": ("127.0.4.4", "wrong-host"), "selfsigned": ("127.0.4.5", "self-signed"),
    "plain": ("127.0.4.6", None), "mixed": ("127.0.4.7", "valid"),
}


def _name(text: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])


def _cert(subject_ip: str, issuer_key: Any, issuer: x509.Name, key: Any, *,
          not_after: datetime, ca: bool = False) -> x509.Certificate:
    builder = (x509.CertificateBuilder().subject_name(_name(subject_ip)).issuer_name(issuer)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(NOW - timedelta(days=400)).not_valid_after(not_after)
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if not ca:
        builder = builder.add_extension(x509.SubjectAlternativeName(
            [x509.IPAddress(ipaddress.ip_address(subject_ip))]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def _pem(cert: x509.Certificate, key: Any, folder: Path, name: str) -> tuple[Path, Path]:
    cert_path, key_path = folder / f"{name}.crt", folder / f"{name}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def make_certificates(folder: Path) -> tuple[Path, dict[str, tuple[Path, Path]]]:
    """A test CA (its PEM path) and, per TLS case, a certificate and key."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("govsite test CA")
    ca = _cert("govsite test CA", ca_key, ca_name, ca_key, not_after=NOW + timedelta(days=30),
               ca=True)
    ca_path, _ = _pem(ca, ca_key, folder, "ca")
    issued = {}
    for case, (address, kind) in CASES.items():
        if kind is None:
            continue
        key = ec.generate_private_key(ec.SECP256R1())
        if kind == "self-signed":
            cert = _cert(address, key, _name(address), key, not_after=NOW + timedelta(days=30))
        else:
            subject = "127.0.4.99" if kind == "wrong-host" else address
            not_after = NOW - timedelta(days=3) if kind == "expired" else NOW + timedelta(days=30)
            cert = _cert(subject, ca_key, ca_name, key, not_after=not_after)
        issued[case] = _pem(cert, key, folder, case)
    return ca_path, issued


class _Handler(BaseHTTPRequestHandler):
    server: Any

    def do_GET(self) -> None:
        site = self.server.site
        if self.server.redirect_to and not self.server.tls:
            self.send_response(301)
            self.send_header("Location", self.server.redirect_to + self.path.lstrip("/"))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        extra = (f'<script src="http://{self.server.plain_host}/js/app.js"></script>'
                 if site == "mixed" and self.server.tls else "")
        body = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{site}县人民政府</title>'
                f"{extra}</head><body><div class='nav'><a href='/'>首页</a></div><p>欢迎访问。</p>"
                "<p>主办单位：测试县人民政府办公室</p></body></html>").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_HEAD = do_GET

    def log_message(self, *args: Any) -> None:
        pass


def _serve(address: str, site: str, *, cert: tuple[Path, Path] | None = None,
           redirect_to: str | None = None) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer((address, 0), _Handler)
    server.daemon_threads = True
    server.site, server.tls, server.redirect_to = site, cert is not None, redirect_to
    if cert is not None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*map(str, cert))
        server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def https_report(tmp_path_factory, cli):
    tmp = tmp_path_factory.mktemp("https")
    ca_path, issued = make_certificates(tmp)
    servers, rows = [], ["name,url,kind"]
    for site, (address, kind) in CASES.items():
        tls = None
        if kind is not None:
            tls = _serve(address, site, cert=issued[site])
            servers.append(tls)
        target = f"https://{address}:{tls.server_address[1]}/" if tls else None
        plain = _serve(address, site, redirect_to=target)
        servers.append(plain)
        if tls is not None:
            tls.plain_host = f"{address}:{plain.server_address[1]}"
        rows.append(f"{site}县人民政府,http://{address}:{plain.server_address[1]}/,portal")
    registry = tmp / "registry.csv"
    registry.write_text("\n".join(rows) + "\n", "utf-8")
    config = tight_config(tmp)
    data = yaml.safe_load(config.read_text("utf-8"))
    data["checks"]["https"].update({"ca_bundle": str(ca_path), "timeout_s": 5})
    config.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    db = tmp / "https.db"
    try:
        assert cli("--config", str(config), "sites", "import", str(registry), db=db).code == 0
        result = cli("--config", str(config), "crawl", "--as-of", AS_OF, "--quiet",
                     "--format", "json", db=db, timeout=300)
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
    assert result.code in (0, 1), result.stderr
    report = json.loads(result.stdout)
    return {s["name"].removesuffix("县人民政府"): [f for f in s["findings"] if f["check"] == "https"]
            for s in report["sites"]}


def problems(findings: list[dict]) -> dict[str, dict]:
    return {f["evidence"]["problem"]: f["evidence"] for f in findings}


def test_a_valid_certificate_and_a_redirect_pass(https_report) -> None:
    assert https_report["good"] == []


@pytest.mark.parametrize(("site", "reason"), [
    ("expired", "expired"), ("wronghost", "wrong-host"), ("selfsigned", "self-signed")])
def test_certificates_a_browser_refuses_are_named(https_report, site: str, reason: str) -> None:
    found = problems(https_report[site])
    assert set(found) == {"invalid-certificate"}, found
    assert found["invalid-certificate"]["reason"] == reason


def test_plain_http_only_is_no_https(https_report) -> None:
    found = problems(https_report["plain"])
    assert set(found) == {"no-https"}, found


def test_mixed_content_is_found_on_https_pages(https_report) -> None:
    found = problems(https_report["mixed"])
    assert set(found) == {"mixed-content"}, found
    assert found["mixed-content"]["examples"][0].startswith("http://127.0.4.7:")


def test_http_answering_beside_a_working_https_is_no_redirect() -> None:
    from datetime import date

    from govsite.checks.base import Fact, SiteEvidence, SiteInfo
    from govsite.checks.https import Https

    site = SiteInfo(1, "县政府", "http://www.example.gov.cn/", "www.example.gov.cn")
    tls = {"https_url": "https://www.example.gov.cn/", "http_url": "http://www.example.gov.cn/",
           "http_status": 200, "redirects_to": None, "redirects_to_https": False, "tls": "ok"}
    [finding] = Https().evaluate(SiteEvidence(site, date(2026, 11, 16), [],
                                              [Fact("https", site.url, "tls", tls)]))
    assert finding.evidence["problem"] == "no-redirect" and finding.url == tls["http_url"]
    [unread] = Https().evaluate(SiteEvidence(site, date(2026, 11, 16), [], []))
    assert unread.evidence["judged"] is False
