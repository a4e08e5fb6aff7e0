"""Continuing an interrupted crawl: which run, which of its sites, and a clean slate for them.

A site's result (findings, verdict, tracking) is written in one transaction
(RunRecorder.write_result), so after any kill a site either has its whole
result in the run or none of it. `govsite crawl --resume` (and `check --resume`)
keeps the finished sites and crawls the others again, under the run's own
config and as-of date, so the run ends as an uninterrupted one would. An
unfinished site's page rows are dropped, but not the responses it had
received: the response journal (crawler/journal.py) answers them again, so
its second crawl reads the same pages without fetching them, and follows
the same links and checks' wants from them. No finished site is touched.
"""

from __future__ import annotations

from sqlalchemy import delete, select, update

from govsite.storage.db import Store
from govsite.storage.models import (
    AccountResult,
    FactRow,
    FindingRow,
    Link,
    Page,
    Run,
    SiteCrawl,
    SiteResult,
)

RESUMABLE_COMMANDS = ("crawl", "check")
# The run's statistics name the new-media accounts whose feeds it reads, from
# its start: a resume reads again those the kill left without a result.
FEED_ACCOUNTS = "feed_accounts"
# A site whose crawl was stopped (Ctrl-C) is judged on what it had, so its
# report is not empty, and marked so: a resume crawls it again.
INTERRUPTED = "interrupted"


def resumable_run(store: Store, command: str) -> Run | None:
    """The newest run of the command (crawl or check), if it did not finish.
    Called with the run lock held, so a run still marked running has no live
    process."""
    assert command in RESUMABLE_COMMANDS
    with store.sessions() as session:
        run = session.scalars(select(Run).where(Run.command == command)
                              .order_by(Run.id.desc()).limit(1)).first()
        if run is None or run.status not in ("running", INTERRUPTED):
            return None
        session.expunge(run)
        return run


def unfinished_sites(store: Store, run_id: int) -> list[int]:
    """The run's sites without a result, or stopped before their crawl ended."""
    with store.sessions() as session:
        sites = session.execute(select(SiteCrawl.site_id, SiteCrawl.status)
                                .where(SiteCrawl.run_id == run_id)).all()
        judged = set(session.scalars(select(SiteResult.site_id)
                                     .where(SiteResult.run_id == run_id)))
    return sorted(site for site, status in sites if site not in judged or status == INTERRUPTED)


def reset_sites(store: Store, run_id: int, site_ids: list[int]) -> None:
    """Drop what the unfinished sites had stored in the run, in one transaction,
    so their second crawl is written as a first one."""
    if not site_ids:
        return
    with store.sessions.begin() as session:
        for table in (Page, FactRow, Link, FindingRow, SiteResult):
            session.execute(delete(table).where(table.run_id == run_id,
                                                table.site_id.in_(site_ids)))
        session.execute(update(SiteCrawl).where(
            SiteCrawl.run_id == run_id, SiteCrawl.site_id.in_(site_ids)).values(
            status="pending", pages_fetched=0, pages_failed=0, pages_rendered=0,
            offsite_fetches=0, limits_hit=[], finished_at=None))
        session.execute(update(Run).where(Run.id == run_id).values(status="running",
                                                                   finished_at=None))


def mark_interrupted(store: Store, run_id: int, site_ids: list[int]) -> None:
    with store.sessions.begin() as session:
        session.execute(update(SiteCrawl).where(
            SiteCrawl.run_id == run_id, SiteCrawl.site_id.in_(site_ids)).values(
            status=INTERRUPTED))


def note_feed_accounts(store: Store, run_id: int, account_ids: list[int]) -> None:
    """Written when the run starts, before any feed is read."""
    with store.sessions.begin() as session:
        run = session.get(Run, run_id)
        assert run is not None
        run.stats = {**(run.stats or {}), FEED_ACCOUNTS: sorted(account_ids)}


def run_feed_accounts(store: Store, run_id: int) -> list[int]:
    """The feed accounts the run noted when it started."""
    with store.sessions() as session:
        stats = session.scalar(select(Run.stats).where(Run.id == run_id)) or {}
    return list(stats.get(FEED_ACCOUNTS) or [])


def unjudged_accounts(store: Store, run_id: int) -> list[int]:
    """The run's feed accounts without a result in it (the kill came first)."""
    with store.sessions() as session:
        judged = set(session.scalars(select(AccountResult.account_id)
                                     .where(AccountResult.run_id == run_id)))
    return [account for account in run_feed_accounts(store, run_id) if account not in judged]
