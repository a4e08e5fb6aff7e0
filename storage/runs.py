"""The runs a database holds, with the state an operator needs: running,
interrupted (its process died or was killed), done or failed, and how far
each got (sites finished, pages stored)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from govsite.storage.db import Store
from govsite.storage.lock import current_holder, holder_gone
from govsite.storage.models import Page, Run, SiteCrawl, SiteResult
from govsite.storage.recorder import utcnow


@dataclass(frozen=True)
class RunSummary:
    id: int
    command: str
    as_of: date
    started_at: datetime
    finished_at: datetime | None
    state: str  # running | interrupted | done | failed | …
    sites: int
    sites_done: int
    pages: int
    results: int


def run_summaries(store: Store, limit: int = 50) -> list[RunSummary]:
    """The newest runs first. A run still marked running is "running" only
    while a live process holds the database for it; otherwise it was
    interrupted (killed, crashed, the machine rebooted)."""
    holder = current_holder(store)
    live_run = None
    if holder is not None and not holder_gone(holder, utcnow()):
        live_run = holder.run_id
    with store.sessions() as session:
        runs = session.scalars(select(Run).order_by(Run.id.desc()).limit(limit)).all()
        ids = [run.id for run in runs]

        def counts(column, *where) -> dict[int, int]:  # type: ignore[no-untyped-def]
            query = select(column, func.count()).where(column.in_(ids), *where).group_by(column)
            return dict(session.execute(query).all())

        sites = counts(SiteCrawl.run_id)
        done = counts(SiteCrawl.run_id, SiteCrawl.status == "done")
        pages = counts(Page.run_id)
        results = counts(SiteResult.run_id)
    summaries = []
    for run in runs:
        state = run.status
        if state == "running" and run.id != live_run:
            state = "interrupted"
        summaries.append(RunSummary(run.id, run.command, run.as_of, run.started_at,
                                    run.finished_at, state, sites.get(run.id, 0),
                                    done.get(run.id, 0), pages.get(run.id, 0),
                                    results.get(run.id, 0)))
    return summaries


def stopped_early(store: Store, run_id: int) -> str | None:
    """Why the run's crawl stopped before its sites were done (the memory
    ceiling, crawler/memory.py), or None."""
    with store.sessions() as session:
        stats = session.scalar(select(Run.stats).where(Run.id == run_id)) or {}
    return (stats.get("memory") or {}).get("stopped")
