"""The database schema: sites, runs, pages, facts, findings, site results.

SQLAlchemy 2 typed models. Portable types only (JSON, not JSONB) so the same
schema runs on SQLite and PostgreSQL; alembic migrations own its evolution.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    type_annotation_map: ClassVar = {dict[str, Any]: JSON, list[Any]: JSON}


class FactColumns:
    """A small observation a check extracted (of a site's page or an account)."""

    check: Mapped[str] = mapped_column(String(60))
    url: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(40))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class FindingColumns:
    """A problem a check reported (about a site or an account) in a run."""

    check: Mapped[str] = mapped_column(String(60))
    severity: Mapped[str] = mapped_column(String(10))
    url: Mapped[str] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)


class VerdictColumns:
    """A verdict in a run (a site's or an account's)."""

    verdict: Mapped[str] = mapped_column(String(10))  # pass | fail | error
    score: Mapped[float | None] = mapped_column(Float)
    vetoes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    reasons: Mapped[list[Any]] = mapped_column(JSON, default=list)
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Site(Base):
    """A registered government website (one registry row)."""

    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(500), unique=True)
    site_code: Mapped[str | None] = mapped_column(String(20))
    organizer: Mapped[str | None] = mapped_column(String(200))
    region: Mapped[str | None] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20), default="department")  # portal|department
    render_policy: Mapped[str | None] = mapped_column(String(10))  # never|auto|always|None
    registered: Mapped[bool] = mapped_column(Boolean, default=True)  # False: ad-hoc `check`
    # Who is told of the site's problems (`govsite notify`); from the registry.
    contact_email: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class Run(Base):
    """One inspection run: a crawl of some sites under one config, as of a date."""

    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    command: Mapped[str] = mapped_column(String(20))  # crawl | check | recheck | rescore
    as_of: Mapped[date] = mapped_column(Date)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(20), default="running")  # running|done|failed
    config_hash: Mapped[str] = mapped_column(String(32))
    config_json: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    stats: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # A rescore run re-evaluates this run's stored pages and facts under other
    # rules; both runs stay. A plain column (added by ALTER TABLE, no FK).
    source_run_id: Mapped[int | None] = mapped_column(Integer, index=True)


class SiteCrawl(Base):
    """Per-site crawl state of a run, kept in the store so no process owns it."""

    __tablename__ = "site_crawls"
    __table_args__ = (UniqueConstraint("run_id", "site_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending|crawling|done
    pages_fetched: Mapped[int] = mapped_column(Integer, default=0)
    pages_failed: Mapped[int] = mapped_column(Integer, default=0)
    pages_rendered: Mapped[int] = mapped_column(Integer, default=0)
    offsite_fetches: Mapped[int] = mapped_column(Integer, default=0)
    limits_hit: Mapped[list[Any]] = mapped_column(JSON, default=list)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)


class Page(Base):
    """One fetched URL of one run."""

    __tablename__ = "pages"
    __table_args__ = (Index("ix_pages_run_site", "run_id", "site_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(Text)
    final_url: Mapped[str] = mapped_column(Text)
    status: Mapped[int] = mapped_column(Integer)  # 0 when no HTTP response
    content_type: Mapped[str | None] = mapped_column(String(100))
    encoding: Mapped[str | None] = mapped_column(String(30))
    title: Mapped[str | None] = mapped_column(Text)
    depth: Mapped[int] = mapped_column(Integer)
    referrer: Mapped[str | None] = mapped_column(Text)
    purpose: Mapped[str] = mapped_column(String(40), default="crawl")
    fetched_at: Mapped[datetime] = mapped_column(DateTime)
    elapsed_s: Mapped[float | None] = mapped_column(Float)
    size: Mapped[int] = mapped_column(Integer, default=0)
    rendered: Mapped[bool] = mapped_column(Boolean, default=False)
    # The static HTML shows script-loaded content, or a check asked for the page
    # rendered (see crawler/render.py); why, and why no rendered reading was had.
    # A URL is stored once per run: a rendered reading supersedes the static one.
    needs_render: Mapped[bool] = mapped_column(Boolean, default=False,
                                               server_default=false())
    render_reason: Mapped[str | None] = mapped_column(String(300))
    render_error: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    error: Mapped[str | None] = mapped_column(Text)


class Link(Base):
    """A link from a site to another host: recorded, never followed by the crawl."""

    __tablename__ = "offsite_links"
    __table_args__ = (Index("ix_links_run_site", "run_id", "site_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    from_url: Mapped[str] = mapped_column(Text)
    to_url: Mapped[str] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(Text)


class FactRow(FactColumns, Base):
    """A small observation a check extracted from a page."""

    __tablename__ = "facts"
    __table_args__ = (Index("ix_facts_run_site", "run_id", "site_id", "check"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))


class FindingRow(FindingColumns, Base):
    """A problem a check reported about a site in a run."""

    __tablename__ = "findings"
    __table_args__ = (Index("ix_findings_run_site", "run_id", "site_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    # The message's catalogue id and parameters (govsite.i18n), so a report can
    # say it in either language; `message` keeps the English text.
    message_id: Mapped[str | None] = mapped_column(Text)
    params: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The auditor's dismissal in force when the site was judged (by, reason, kind,
    # at, until): the finding is kept and listed apart, but does not count.
    dismissal: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class HomeVisit(Base):
    """One visit to a site's home page by `govsite probe`: the evidence
    site-unreachable judges by (docs/rules.md: a week of visits, ≥20 a day)."""

    __tablename__ = "home_visits"
    __table_args__ = (Index("ix_home_visits_site_at", "site_id", "visited_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    visited_at: Mapped[datetime] = mapped_column(DateTime)  # UTC
    ok: Mapped[bool] = mapped_column(Boolean)  # opened within the time limit
    status: Mapped[int | None] = mapped_column(Integer)
    elapsed_s: Mapped[float | None] = mapped_column(Float)
    error: Mapped[str | None] = mapped_column(Text)


class SiteResult(VerdictColumns, Base):
    """A site's verdict in a run: written once, at the site's end."""

    __tablename__ = "site_results"
    __table_args__ = (UniqueConstraint("run_id", "site_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    pages: Mapped[int] = mapped_column(Integer, default=0)
    evaluated_at: Mapped[datetime] = mapped_column(DateTime)

    site: Mapped[Site] = relationship()


class Problem(Base):
    """One problem (a finding's fingerprint) across runs: when it was first and
    last seen, and the run that found it gone (rectification tracking).

    Kept up to date by RunRecorder.write_result, in the transaction that writes
    the site's findings; rescore runs (what-if re-evaluations) leave it alone.
    """

    __tablename__ = "problems"
    __table_args__ = (Index("ix_problems_site_open", "site_id", "resolved_run_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    check: Mapped[str] = mapped_column(String(60))
    severity: Mapped[str] = mapped_column(String(10))  # as last seen
    url: Mapped[str] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text)  # as last seen
    first_seen_run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"))
    last_seen_run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"))
    resolved_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("runs.id", ondelete="SET NULL"))
    reopened: Mapped[int] = mapped_column(Integer, default=0)  # came back after a fix
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    # An auditor's override (`govsite findings dismiss`): while in force (until
    # `dismissed_until`, inclusive, compared with a run's as-of date) the
    # finding is kept but does not fail the site. Its history: ProblemEvent.
    dismissed_at: Mapped[datetime | None] = mapped_column(DateTime)
    dismissed_by: Mapped[str | None] = mapped_column(String(100))
    dismissed_reason: Mapped[str | None] = mapped_column(Text)
    dismissed_kind: Mapped[str | None] = mapped_column(String(20))  # false-positive|exception
    dismissed_until: Mapped[date | None] = mapped_column(Date)
    notified_at: Mapped[datetime | None] = mapped_column(DateTime)  # last `govsite notify`


class ProblemEvent(Base):
    """The audit trail of a problem: every change a person (or `notify`) made,
    with who, when and why. Never updated, only added to."""

    __tablename__ = "problem_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(ForeignKey("problems.id", ondelete="CASCADE"),
                                            index=True)
    action: Mapped[str] = mapped_column(String(20))  # dismiss | restore | notify
    actor: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str | None] = mapped_column(String(20))
    until: Mapped[date | None] = mapped_column(Date)
    run_id: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(DateTime)  # UTC


class NoticeSent(Base):
    """A rectification e-mail sent to a site's contact for a run: one per run
    and site, so a second `govsite notify` does not send it again."""

    __tablename__ = "notices_sent"
    __table_args__ = (UniqueConstraint("run_id", "site_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    recipient: Mapped[str] = mapped_column(String(200))
    message_id: Mapped[str] = mapped_column(String(200))  # the e-mail's Message-ID
    problems: Mapped[list[Any]] = mapped_column(JSON)  # the fingerprints it listed
    sent_at: Mapped[datetime] = mapped_column(DateTime)  # UTC


class RunLock(Base):
    """The one run allowed to write to this database at a time (storage/lock.py):
    one row while a crawl, check, recheck or rescore runs, kept alive by a
    heartbeat, so a second one refuses or waits and a dead holder's lock is
    taken over rather than obeyed forever."""

    __tablename__ = "run_lock"

    id: Mapped[int] = mapped_column(primary_key=True)  # always 1: there is one lock
    command: Mapped[str] = mapped_column(String(20))
    run_id: Mapped[int | None] = mapped_column(Integer)
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    acquired_at: Mapped[datetime] = mapped_column(DateTime)  # UTC
    heartbeat_at: Mapped[datetime] = mapped_column(DateTime)  # UTC


class JournalEntry(Base):
    """A response the crawl received, kept until its site's result is written
    (crawler/journal.py), so `crawl --resume` reads it again instead of fetching
    it again. The rows of a finished site go in the transaction of its result;
    a done run keeps none."""

    __tablename__ = "response_journal"
    __table_args__ = (Index("ix_journal_run_key", "run_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"))
    # None: a request of Scrapy's own (robots.txt), kept until the run is done.
    site_id: Mapped[int | None] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(40))  # the request's fingerprint, + rendered
    url: Mapped[str] = mapped_column(Text)
    status: Mapped[int] = mapped_column(Integer)
    headers: Mapped[list[Any]] = mapped_column(JSON)  # [[name, value], ...], latin-1
    body: Mapped[bytes] = mapped_column(LargeBinary)  # zlib-compressed, as received
    encoding: Mapped[str | None] = mapped_column(String(30))  # a rendered page's
    latency_s: Mapped[float | None] = mapped_column(Float)


class Account(Base):
    """A registered government new-media account (政务新媒体): one registry row of
    `govsite accounts import`. One account per (platform, account id)."""

    __tablename__ = "accounts"
    __table_args__ = (UniqueConstraint("platform", "account_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    platform: Mapped[str] = mapped_column(String(20))  # wechat|weibo|toutiao|douyin|other
    account_id: Mapped[str] = mapped_column(String(200))  # the platform's own id of it
    organizer: Mapped[str | None] = mapped_column(String(200))
    region: Mapped[str | None] = mapped_column(String(100))
    feed_url: Mapped[str | None] = mapped_column(String(500))  # RSS/Atom (an RSSHub bridge)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class AccountRecord(Base):
    """One inspection result an auditor recorded by hand (`govsite accounts
    record`): the evidence for accounts no feed can show."""

    __tablename__ = "account_records"
    __table_args__ = (Index("ix_account_records_account", "account_id", "as_of"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    as_of: Mapped[date] = mapped_column(Date)
    check: Mapped[str] = mapped_column(String(60))
    result: Mapped[str] = mapped_column(String(10))  # pass | fail
    note: Mapped[str | None] = mapped_column(Text)
    evidence_url: Mapped[str | None] = mapped_column(Text)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"))
    imported_at: Mapped[datetime] = mapped_column(DateTime)


class AccountFact(FactColumns, Base):
    """What a run observed of an account: its feed's fetch, posts, words, or a
    recorded result; evaluation reads only these (so it can be re-run)."""

    __tablename__ = "account_facts"
    __table_args__ = (Index("ix_account_facts_run_account", "run_id", "account_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))


class AccountFinding(FindingColumns, Base):
    """A problem a check reported about an account in a run."""

    __tablename__ = "account_findings"
    __table_args__ = (Index("ix_account_findings_run_account", "run_id", "account_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    # As a site's finding (migration 0009): its message's catalogue id and parameters.
    message_id: Mapped[str | None] = mapped_column(Text)
    params: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class AccountResult(VerdictColumns, Base):
    """An account's verdict in a run, written once with its findings."""

    __tablename__ = "account_results"
    __table_args__ = (UniqueConstraint("run_id", "account_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    evaluated_at: Mapped[datetime] = mapped_column(DateTime)
