"""`govsite notify`: rectification notices e-mailed to each site's contact, over a
real SMTP server on loopback (aiosmtpd, started here), with STARTTLS and a login;
`--dry-run` writes .eml files; a message sent for a run is never sent twice."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import ipaddress
import json
import socket
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from stored_runs import CONTACT, channel_facts, crawl_like_run
from synthetic import invoke

USER, PASSWORD = "govsite", "s3cret-pw"


@dataclass
class Inbox:
    """What the SMTP server received: (mail from, recipients, raw message)."""

    messages: list[tuple[str, list[str], bytes]] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key: the server's, and the CA the client trusts."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "smtp.pem", folder / "smtp.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@pytest.fixture
def smtp(tmp_path: Path) -> Iterator[tuple[Inbox, int, Path]]:
    """A real SMTP server on loopback that requires STARTTLS before a login."""
    import ssl

    cert, key = self_signed(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox = Inbox()

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == USER
              and auth_data.password.decode() == PASSWORD)
        if ok:
            inbox.logins.append(auth_data.login.decode())
        return AuthResult(success=ok, handled=False)  # handled=False: the server says 535

    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, tls_context=context,
                            require_starttls=True, authenticator=authenticate,
                            auth_require_tls=True, auth_required=True)
    controller.start()
    try:
        yield inbox, port, cert
    finally:
        controller.stop()


def config_file(tmp_path: Path, port: int, ca: Path, **changes: object) -> Path:
    notify = {"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_starttls": True,
              "smtp_ca_bundle": str(ca), "smtp_user": USER, "sender": "jc@zwb.yn.gov.cn",
              "rectify_days": 10, **changes}
    path = tmp_path / "notify.yaml"
    path.write_text(yaml.safe_dump({"notify": notify, "notice": {"issuer": "某某省政务服务管理局"}},
                                   allow_unicode=True), encoding="utf-8")
    return path


def notify(db: Path, config: Path, *args: str, password: str | None = PASSWORD):
    import os

    old = os.environ.get("GOVSITE_SMTP_PASSWORD")
    if password is None:
        os.environ.pop("GOVSITE_SMTP_PASSWORD", None)
    else:
        os.environ["GOVSITE_SMTP_PASSWORD"] = password
    try:
        return invoke("--config", str(config), "notify", *args, db=db)
    finally:
        if old is None:
            os.environ.pop("GOVSITE_SMTP_PASSWORD", None)
        else:
            os.environ["GOVSITE_SMTP_PASSWORD"] = old


def parts(raw: bytes) -> tuple[email.message.EmailMessage, str, str]:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return message, text, html


def test_each_site_gets_one_chinese_message_once(smtp, tmp_path: Path) -> None:
    inbox, port, ca = smtp
    db = tmp_path / "notify.db"
    run = crawl_like_run(db, facts=channel_facts())
    config = config_file(tmp_path, port, ca)

    first = notify(db, config, "--run", str(run), "--by", "李四")
    assert first.code == 0, first.stderr
    assert inbox.logins == [USER]
    (mail_from, rcpt, raw), = inbox.messages
    assert (mail_from, rcpt) == ("jc@zwb.yn.gov.cn", [CONTACT])
    message, text, html = parts(raw)
    deadline = date.today() + timedelta(days=10)
    assert message["Subject"] == (f"【整改通知】青山县人民政府：1个问题，"
                                  f"请于{deadline:%Y年%m月%d日}前整改")
    for body in (text, html):
        assert "某某省政务服务管理局" in body
        assert "无有效的在线咨询建言渠道：候选渠道均不可用。" in body  # the problem, in Chinese
        assert "http://www.qingshan.gov.cn/" in body  # its page
        assert "信访、纪检举报渠道不计入" in body  # its evidence, labelled
        assert f"{deadline:%Y年%m月%d日}" in body
        assert "整改建议：在首页提供可用的在线咨询或建言渠道" in body  # its remediation, in Chinese
    assert "<th" in html and "检查过的渠道" in html
    assert "'kind'" not in text and "&#39;kind&#39;" not in html

    again = notify(db, config, "--run", str(run))
    assert again.code == 0 and len(inbox.messages) == 1  # not sent again
    assert "already sent for this run" in again.stderr
    uncontactable = crawl_like_run(db, url="http://www.baihe.gov.cn/", name="白河县人民政府",
                                   contact=None, facts=[])
    none = notify(db, config, "--run", str(uncontactable))
    assert none.code == 0 and len(inbox.messages) == 1
    assert "白河县人民政府: not notified: no contact e-mail in the registry" in none.stderr

    with sqlite3.connect(db) as connection:
        (recipient, problems), = connection.execute(
            "select recipient, problems from notices_sent").fetchall()
        events = connection.execute("select action, actor, run_id from problem_events").fetchall()
    assert recipient == CONTACT and len(json.loads(problems)) == 1
    assert events == [("notify", "李四", run)]
    listed = json.loads(invoke("findings", "list", "--format", "json", "--site", "青山县人民政府",
                               db=db).stdout)
    assert {p["state"] for p in listed if p["check"] == "consultation-channel"} == {"notified"}


def test_dry_run_writes_eml_files_and_sends_nothing(smtp, tmp_path: Path) -> None:
    inbox, port, ca = smtp
    db = tmp_path / "dry.db"
    run = crawl_like_run(db, facts=channel_facts())
    out = tmp_path / "eml"
    result = notify(db, config_file(tmp_path, port, ca), "--run", str(run), "--dry-run",
                    "-o", str(out))
    assert result.code == 0, result.stderr
    (eml,) = sorted(out.glob("*.eml"))
    message, text, _ = parts(eml.read_bytes())
    assert message["To"].addresses[0].addr_spec == CONTACT
    assert "无有效的在线咨询建言渠道" in text
    assert inbox.messages == []
    with sqlite3.connect(db) as connection:
        assert connection.execute("select count(*) from notices_sent").fetchone() == (0,)
    # Nothing recorded: the real send still goes out.
    assert notify(db, config_file(tmp_path, port, ca), "--run", str(run)).code == 0
    assert len(inbox.messages) == 1


def test_a_dismissed_finding_is_not_in_the_notice(smtp, tmp_path: Path) -> None:
    inbox, port, ca = smtp
    db = tmp_path / "dismissed.db"
    run = crawl_like_run(db, facts=channel_facts())
    report = json.loads(invoke("report", "--run", str(run), "--format", "json", db=db).stdout)
    (veto,) = [f for f in report["sites"][0]["findings"] if f["severity"] == "veto"]
    assert invoke("findings", "dismiss", veto["fingerprint"], "--reason", "误报", db=db).code == 0
    later = crawl_like_run(db, facts=channel_facts())
    result = notify(db, config_file(tmp_path, port, ca), "--run", str(later))
    assert result.code == 0 and inbox.messages == []
    assert "no open problems" in result.stderr


@pytest.mark.parametrize(("changes", "password", "said"), [
    ({"smtp_host": ""}, PASSWORD, "notify.smtp_host is not set"),
    ({}, None, "$GOVSITE_SMTP_PASSWORD is empty"),
    ({}, "wrong", "535"),  # the server refuses the login
    ({"smtp_ca_bundle": ""}, PASSWORD, "CERTIFICATE_VERIFY_FAILED"),  # untrusted: no login sent
])
def test_smtp_problems_are_one_line_and_exit_2(smtp, tmp_path: Path, changes, password,
                                               said) -> None:
    inbox, port, ca = smtp
    db = tmp_path / "bad.db"
    run = crawl_like_run(db, facts=channel_facts())
    result = notify(db, config_file(tmp_path, port, ca, **changes), "--run", str(run),
                    password=password)
    assert result.code == 2
    assert said in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert inbox.messages == []
    with sqlite3.connect(db) as connection:
        assert connection.execute("select count(*) from notices_sent").fetchone() == (0,)


def test_the_registry_takes_a_contact_e_mail_per_site(tmp_path: Path) -> None:
    db = tmp_path / "registry.db"
    registry = tmp_path / "sites.csv"
    registry.write_text("网站名称,网址,联系邮箱\n"
                        "青山县人民政府,http://www.qingshan.gov.cn/,webmaster@qingshan.gov.cn\n"
                        "白河县人民政府,http://www.baihe.gov.cn/,\n", encoding="utf-8")
    assert invoke("sites", "import", str(registry), db=db).code == 0
    with sqlite3.connect(db) as connection:
        contacts = dict(connection.execute("select name, contact_email from sites"))
    assert contacts == {"青山县人民政府": "webmaster@qingshan.gov.cn", "白河县人民政府": None}
    registry.write_text("网站名称,网址,联系邮箱\n青山县人民政府,http://www.qingshan.gov.cn/,"
                        "webmaster at qingshan\n", encoding="utf-8")
    bad = invoke("sites", "import", str(registry), db=db)
    assert bad.code == 2 and "row 2: malformed contact e-mail" in bad.stderr
