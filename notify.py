"""`govsite notify`: each site's rectification notice, e-mailed to its contact.

For a run, every site with open problems and a contact e-mail in the registry
gets one message (reports.rectification: Chinese, HTML plus text). A message
is recorded in `notices_sent` (one per run and site) in the same transaction
that marks its problems notified (storage.overrides.record_notified), right
after the server accepted it, so running `notify` again sends nothing twice
and a failure half-way leaves the sent ones recorded. `--dry-run` writes the
messages as .eml files and records nothing.
"""

from __future__ import annotations

import contextlib
import os
import re
import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import date, timedelta
from email.policy import SMTP
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from govsite.config import Config
from govsite.i18n import msg
from govsite.storage.db import Store
from govsite.storage.models import NoticeSent, Site, SiteCrawl
from govsite.storage.overrides import record_notified
from govsite.storage.recorder import utcnow

if TYPE_CHECKING:  # jinja2 and the report model load only when notify runs
    from govsite.reports.rectification import Notice


class NotifyError(Exception):
    """No SMTP server configured, no password, the server refused; one line."""


@dataclass
class Plan:
    """What `notify` will do for a run: the messages, and the sites left out and why."""

    run_id: int
    deadline: date
    notices: list[Notice] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (site, why)


def plan(store: Store, config: Config, run_id: int | None, *, today: date,
         sites: list[str] | None = None) -> Plan:
    """The messages for the run's sites (those named in `sites`, else all)."""
    from govsite.reports.model import build_report
    from govsite.reports.rectification import compose, open_problems

    report = build_report(store, run_id, lang="zh")
    run_id = report["run"]["id"]
    deadline = today + timedelta(days=config.notify.rectify_days)
    with store.sessions() as session:
        contacts = dict(session.execute(
            select(Site.url, Site.contact_email).join(SiteCrawl, SiteCrawl.site_id == Site.id)
            .where(SiteCrawl.run_id == run_id)).all())
        sent = set(session.scalars(select(Site.url).join(NoticeSent, NoticeSent.site_id == Site.id)
                                   .where(NoticeSent.run_id == run_id)))
    result = Plan(run_id, deadline)
    for site in report["sites"]:
        if sites and site["name"] not in sites and site["url"] not in sites:
            continue
        if site["url"] in sent:
            result.skipped.append((site["name"], msg("already sent for this run")))
        elif not open_problems(site):
            result.skipped.append((site["name"], msg("no open problems")))
        elif not contacts.get(site["url"]):
            result.skipped.append((site["name"], msg("no contact e-mail in the registry")))
        else:
            result.notices.append(compose(report, site, recipient=contacts[site["url"]],
                                          sender=config.notify.sender, deadline=deadline,
                                          issuer=config.notice.issuer))
    return result


def write_eml(notices: list[Notice], folder: Path) -> list[Path]:
    """The messages as .eml files (--dry-run), one per site."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for number, notice in enumerate(notices, start=1):
        safe = re.sub(r'[\\/:*?"<>|\s]+', "_", notice.site)[:60]
        path = folder / f"{number:03d}-{safe}.eml"
        path.write_bytes(notice.message.as_bytes(policy=SMTP))
        written.append(path)
    return written


def connect(config: Config) -> smtplib.SMTP:
    """A logged-in SMTP connection as the config says (STARTTLS, user, password
    from the environment)."""
    settings = config.notify
    if not settings.smtp_host:
        raise NotifyError(msg("notify.smtp_host is not set in the config: give the office's SMTP "
                              "server, or use --dry-run to write .eml files"))
    password = os.environ.get(settings.smtp_password_env) if settings.smtp_user else None
    if settings.smtp_user and not password:
        raise NotifyError(msg("notify.smtp_user is set but ${variable} is empty: export the SMTP "
                              "password in that variable", variable=settings.smtp_password_env))
    try:
        server = smtplib.SMTP(settings.smtp_host, settings.smtp_port,
                              timeout=settings.smtp_timeout_s)
        if settings.smtp_starttls:
            server.starttls(context=ssl.create_default_context(
                cafile=settings.smtp_ca_bundle or None))
        if settings.smtp_user:
            server.login(settings.smtp_user, password or "")
    except UnicodeEncodeError:
        raise NotifyError(msg("${variable}: Python's SMTP login sends only ASCII user names and "
                              "passwords", variable=settings.smtp_password_env)) from None
    except (OSError, smtplib.SMTPException) as exc:
        raise NotifyError(msg("SMTP server {host}:{port}: {error}", host=settings.smtp_host,
                              port=settings.smtp_port, error=one_line(exc))) from None
    return server


def one_line(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) \
            else str(exc.smtp_error)
        return f"{exc.smtp_code} {' '.join(text.split())}"
    return " ".join(str(exc).split()) or type(exc).__name__


def send(store: Store, config: Config, work: Plan, *, by: str) -> list[Notice]:
    """Send each message and record it at once; return those sent."""
    sent: list[Notice] = []
    server = connect(config) if work.notices else None
    try:
        for notice in work.notices:
            try:
                assert server is not None
                server.send_message(notice.message)
            except (OSError, smtplib.SMTPException) as exc:
                raise NotifyError(msg("sending to {recipient} ({site}) failed: {error}; {count} sent "
                                      "before it are recorded", recipient=notice.recipient,
                                      site=notice.site, error=one_line(exc), count=len(sent))) from None
            now = utcnow()
            with store.sessions.begin() as session:
                site_id = session.scalar(select(Site.id).where(Site.url == notice.url))
                session.add(NoticeSent(run_id=work.run_id, site_id=site_id,
                                       recipient=notice.recipient,
                                       message_id=str(notice.message["Message-ID"]),
                                       problems=notice.fingerprints, sent_at=now))
                record_notified(session, notice.fingerprints, by=by, run_id=work.run_id, at=now)
            sent.append(notice)
    finally:
        if server is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                server.quit()
    return sent
