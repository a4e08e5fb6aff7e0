"""Write a run to the store: batched page/fact/link rows, one transaction per site result.

The recorder is the only writer during a crawl. Per-site counters live in
`site_crawls` (flushed with each batch) so no single process owns a site's
state, and a site's findings and verdict are written once, at its end.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import UTC, date, datetime
from sys import intern
from time import monotonic
from typing import Any, Protocol

from sqlalchemy import bindparam, delete, select, update

from govsite.checks.base import Fact, Finding, PageSummary, SiteInfo
from govsite.checks.evaluate import fingerprint
from govsite.config import Config
from govsite.storage.db import Store
from govsite.storage.models import (
    FactRow,
    FindingRow,
    JournalEntry,
    Link,
    Page,
    Run,
    Site,
    SiteCrawl,
    SiteResult,
)
from govsite.storage.tracking import Observed, update_problems
from govsite.web.urls import host_key

# Buffered journal bodies (compressed) are written once they reach this size,
# whatever the row count: a batch of large pages must not sit in memory.
JOURNAL_FLUSH_BYTES = 8 * 1024 * 1024


class SiteVerdict(Protocol):
    """What a site's result row holds (scoring.score.Verdict provides it)."""

    verdict: str
    score: float | None
    vetoes: list[str]
    reasons: list[str]
    counts: dict[str, int]


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class RunRecorder:
    """Buffers rows of one run and writes them in batches."""

    def __init__(self, store: Store, config: Config, run_id: int, *,
                 track_problems: bool = True) -> None:
        self.store = store
        self.config = config
        self.run_id = run_id
        self.track_problems = track_problems
        self._pages: list[dict[str, Any]] = []
        self._facts: list[dict[str, Any]] = []
        self._links: list[dict[str, Any]] = []
        self._journal: list[dict[str, Any]] = []
        self._journal_bytes = 0
        self._flushed_at = monotonic()
        self._counters: dict[int, dict[str, Any]] = {}

    # -- run lifecycle -------------------------------------------------
    @classmethod
    def start_run(cls, store: Store, config: Config, command: str, as_of: date,
                  site_ids: list[int], *, source_run_id: int | None = None) -> RunRecorder:
        with store.sessions.begin() as session:
            run = Run(command=command, as_of=as_of, started_at=utcnow(), status="running",
                      config_hash=config.fingerprint(),
                      config_json=config.model_dump(mode="json"), stats={},
                      source_run_id=source_run_id)
            session.add(run)
            session.flush()
            session.add_all(SiteCrawl(run_id=run.id, site_id=site_id, status="pending",
                                      limits_hit=[], started_at=utcnow()) for site_id in site_ids)
            run_id = run.id
        return cls(store, config, run_id, track_problems=command != "rescore")

    def finish_run(self, status: str, stats: dict[str, Any]) -> None:
        self.flush()
        with self.store.sessions.begin() as session:
            session.execute(update(Run).where(Run.id == self.run_id).values(
                status=status, finished_at=utcnow(), stats=stats))
            if status == "done":  # nothing left to resume: the journal goes
                session.execute(delete(JournalEntry).where(JournalEntry.run_id == self.run_id))

    # -- buffered rows -------------------------------------------------
    def add_page(self, row: dict[str, Any]) -> None:
        self._pages.append({"run_id": self.run_id, **row})
        self._maybe_flush()

    def add_fact(self, site_id: int, check: str, url: str, kind: str,
                 data: dict[str, Any]) -> None:
        self._facts.append({"run_id": self.run_id, "site_id": site_id, "check": check,
                            "url": url, "kind": kind, "data": data})
        self._maybe_flush()

    def add_offsite_link(self, site_id: int, from_url: str, to_url: str, text: str) -> None:
        self._links.append({"run_id": self.run_id, "site_id": site_id, "from_url": from_url,
                            "to_url": to_url, "text": text[:200]})
        self._maybe_flush()

    def add_response(self, row: dict[str, Any]) -> None:
        """A response for the journal (crawler/journal.py); flushed with the rows
        before it, or sooner when the buffered bodies grow large."""
        self._journal.append({"run_id": self.run_id, **row})
        self._journal_bytes += len(row["body"])
        if self._journal_bytes >= JOURNAL_FLUSH_BYTES:
            self.flush()
        else:
            self._maybe_flush()

    def set_counters(self, site_id: int, **values: Any) -> None:
        """Latest per-site counters; written with the next flush."""
        self._counters.setdefault(site_id, {}).update(values)

    def _maybe_flush(self) -> None:
        """A full batch is written; so is any batch older than write_interval_s,
        so a kill loses at most that much work (a resume fetches it again)."""
        if len(self._pages) + len(self._facts) + len(self._links) + len(self._journal) >= \
                self.config.storage.write_batch \
                or monotonic() - self._flushed_at >= self.config.storage.write_interval_s:
            self.flush()

    def flush(self) -> None:
        if not (self._pages or self._facts or self._links or self._journal or self._counters):
            return
        with self.store.sessions.begin() as session:
            if self._pages:
                session.execute(Page.__table__.insert(), self._pages)
            if self._facts:
                session.execute(FactRow.__table__.insert(), self._facts)
            if self._links:
                session.execute(Link.__table__.insert(), self._links)
            if self._journal:
                session.execute(JournalEntry.__table__.insert(), self._journal)
            self._write_counters(session)
        self._pages, self._facts, self._links, self._counters = [], [], [], {}
        self._journal, self._journal_bytes = [], 0
        self._flushed_at = monotonic()

    def _write_counters(self, session: Any) -> None:
        """One executemany per shape of counters, not one UPDATE per site: a run
        over 300 sites touches most of them between two flushes."""
        shapes: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for site_id, values in self._counters.items():
            shapes.setdefault(tuple(sorted(values)), []).append({"site": site_id, **values})
        table = SiteCrawl.__table__
        for keys, rows in shapes.items():
            session.execute(update(table).where(
                table.c.run_id == self.run_id, table.c.site_id == bindparam("site"))
                .values({key: bindparam(key) for key in keys}), rows)

    # -- a site's end --------------------------------------------------
    def load_evidence(self, site_id: int) -> tuple[list[PageSummary], list[Fact]]:
        """The site's pages and facts, read as plain rows (not ORM objects, which
        would each carry identity-map state: a 20,000-page site's evaluation
        would hold tens of megabytes more) and streamed in chunks."""
        pages_query = select(Page.url, Page.final_url, Page.status, Page.depth, Page.purpose,
                             Page.title, Page.error, Page.rendered, Page.elapsed_s,
                             Page.needs_render, Page.render_error).where(
            Page.run_id == self.run_id, Page.site_id == site_id).order_by(Page.id)
        facts_query = select(FactRow.check, FactRow.url, FactRow.kind, FactRow.data).where(
            FactRow.run_id == self.run_id, FactRow.site_id == site_id).order_by(FactRow.id)
        # Repeated words (purposes, check ids, fact kinds) are shared, not copied
        # per row, and a page's final URL is its URL unless it was redirected.
        with self.store.sessions() as session:
            pages = [PageSummary(url, url if final_url == url else final_url, status, depth,
                                 intern(purpose), title or "", error, rendered, elapsed_s,
                                 needs_render, render_error)
                     for (url, final_url, status, depth, purpose, title, error, rendered,
                          elapsed_s, needs_render, render_error)
                     in session.execute(pages_query.execution_options(yield_per=2000))]
            facts = [Fact(intern(check), url, intern(kind), data) for check, url, kind, data
                     in session.execute(facts_query.execution_options(yield_per=2000))]
        return pages, facts

    def write_result(self, site: SiteInfo, findings: list[Finding], verdict: SiteVerdict,
                     page_count: int, *, checked: Collection[str] | None = None,
                     partial: bool = False,
                     dismissals: Mapping[str, dict[str, Any]] | None = None) -> None:
        """Replace the site's findings and verdict for this run in one transaction.

        The same transaction brings the site's rectification tracking (the
        `problems` table) up to date, unless this recorder does not track
        (rescore runs). `checked`: the checks evaluated without error (None:
        all), so a problem is only found resolved by a run that looked for it.
        `partial`: judged on what an interrupted crawl had; its journal is kept
        for the resume that crawls it again.
        `dismissals`: the auditor's dismissals in force, by fingerprint, stored
        with the findings they match.
        """
        dismissals = dismissals or {}
        prints = [fingerprint(site.url, f) for f in findings]
        with self.store.sessions.begin() as session:
            session.execute(delete(FindingRow).where(
                FindingRow.run_id == self.run_id, FindingRow.site_id == site.id))
            session.execute(delete(SiteResult).where(
                SiteResult.run_id == self.run_id, SiteResult.site_id == site.id))
            session.add_all(FindingRow(
                run_id=self.run_id, site_id=site.id, check=f.check, severity=f.severity,
                url=f.url, message=f.message, evidence=f.evidence,
                fingerprint=fp, message_id=f.message_id, params=f.params or None,
                dismissal=dismissals.get(fp)) for f, fp in zip(findings, prints, strict=True))
            session.add(SiteResult(
                run_id=self.run_id, site_id=site.id, verdict=verdict.verdict,
                score=verdict.score, vetoes=verdict.vetoes, reasons=verdict.reasons,
                counts=verdict.counts, pages=page_count, evaluated_at=utcnow()))
            session.execute(update(SiteCrawl).where(
                SiteCrawl.run_id == self.run_id, SiteCrawl.site_id == site.id).values(
                status="done", finished_at=utcnow()))
            if not partial:  # the site's end: a resume never reads its pages again
                session.execute(delete(JournalEntry).where(
                    JournalEntry.run_id == self.run_id, JournalEntry.site_id == site.id))
            if self.track_problems:
                update_problems(session, run_id=self.run_id, site_id=site.id, checked=checked,
                                findings=[Observed(fp, f.check, f.severity, f.url, f.message,
                                                   judged=f.evidence.get("judged") is not False)
                                          for f, fp in zip(findings, prints, strict=True)])


def site_info(site: Site) -> SiteInfo:
    return SiteInfo(site.id, site.name, site.url, host_key(site.url), site.kind, site.site_code)
