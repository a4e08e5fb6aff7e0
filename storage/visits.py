"""Home-page visits recorded by `govsite probe`, and how evaluation sees them.

docs/rules.md judges 站点无法访问 on a week of monitoring (≥20 visits a day, a visit
failing when the home page has not opened within 15 s, failures ≥ 5%). One
crawl is one visit; the operator's scheduled `govsite probe` adds the rest.
Judging (scoring.judge) hands them to the site-unreachable check as facts, so
a stored run re-evaluated (`rescore`) is judged on the same visits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from govsite.storage.db import Store
from govsite.storage.models import HomeVisit

VISIT_LOOKBACK_DAYS = 31  # the longest window site-unreachable may be configured to use


@dataclass(frozen=True)
class Visit:
    """One visit to one home page."""

    site_id: int
    url: str
    visited_at: datetime  # UTC, naive
    ok: bool
    status: int | None = None
    elapsed_s: float | None = None
    error: str | None = None


def record_visits(store: Store, visits: list[Visit]) -> None:
    with store.sessions.begin() as session:
        session.add_all(HomeVisit(site_id=v.site_id, visited_at=v.visited_at, ok=v.ok,
                                  status=v.status, elapsed_s=v.elapsed_s,
                                  error=v.error and v.error[:500]) for v in visits)


def stored_visits(store: Store, site_id: int, as_of: date) -> list[dict[str, Any]]:
    """The site's visits on the VISIT_LOOKBACK_DAYS up to and including `as_of`."""
    end = datetime.combine(as_of + timedelta(days=1), time())
    start = end - timedelta(days=VISIT_LOOKBACK_DAYS)
    with store.sessions() as session:
        rows = session.execute(
            select(HomeVisit.visited_at, HomeVisit.ok, HomeVisit.status, HomeVisit.elapsed_s,
                   HomeVisit.error)
            .where(HomeVisit.site_id == site_id, HomeVisit.visited_at >= start,
                   HomeVisit.visited_at < end)
            .order_by(HomeVisit.visited_at)).all()
    return [visit_data(at, ok, status, elapsed_s, error)
            for at, ok, status, elapsed_s, error in rows]


def visit_data(at: datetime, ok: bool, status: int | None, elapsed_s: float | None,
               error: str | None) -> dict[str, Any]:
    return {"at": at.isoformat(timespec="seconds"), "ok": bool(ok), "status": status,
            "elapsed_s": elapsed_s, "error": error}
