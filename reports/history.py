"""The runs behind a report's pictures: pass rate and problems by category over
the stored runs, and each site's score and verdict over them (read only).

The trend is made of the inspections (crawl and check runs) up to the report's
run, plus that run whatever it is (a recheck or a rescore is reported on its
own); at most `MAX_RUNS`, the newest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from govsite.reports.model import DEFAULT_CATEGORY
from govsite.storage.db import Store
from govsite.storage.models import FindingRow, Run, SiteResult

MAX_RUNS = 24
TREND_COMMANDS = ("crawl", "check")
COUNTED = ("veto", "deduct")  # the problems a verdict is made of


@dataclass
class RunPoint:
    """One run on the trend."""

    id: int
    as_of: str
    command: str
    sites: int
    passed: int
    problems: dict[str, int] = field(default_factory=dict)  # by category

    @property
    def pass_rate(self) -> float:
        return self.passed / self.sites if self.sites else 0.0


@dataclass
class History:
    runs: list[RunPoint]
    sites: dict[str, list[dict[str, Any]]]  # site URL -> [{run, as_of, score, verdict}]


def build_history(store: Store, run_id: int, categories: dict[str, str]) -> History:
    """The trend up to `run_id`; `categories`: check id -> category."""
    from govsite.storage.models import Site

    with store.sessions() as session:
        runs = session.execute(
            select(Run.id, Run.as_of, Run.command).where(
                Run.id <= run_id, (Run.command.in_(TREND_COMMANDS)) | (Run.id == run_id))
            .order_by(Run.as_of.desc(), Run.id.desc()).limit(MAX_RUNS)).all()
        ids = [r.id for r in runs]
        results = session.execute(
            select(SiteResult.run_id, Site.url, SiteResult.score, SiteResult.verdict)
            .join(Site, Site.id == SiteResult.site_id).where(SiteResult.run_id.in_(ids))).all()
        # A dismissed finding is not a problem (its JSON null is not SQL NULL:
        # filtered here, not in SQL).
        findings = [(run, check) for run, check, dismissal in session.execute(
            select(FindingRow.run_id, FindingRow.check, FindingRow.dismissal).where(
                FindingRow.run_id.in_(ids), FindingRow.severity.in_(COUNTED)))
            if not dismissal]
    points = {r.id: RunPoint(r.id, r.as_of.isoformat(), r.command, 0, 0) for r in runs}
    sites: dict[str, list[dict[str, Any]]] = {}
    for run, url, score, verdict in results:
        point = points[run]
        point.sites += 1
        point.passed += verdict == "pass"
        sites.setdefault(url, []).append({"run": run, "as_of": point.as_of, "score": score,
                                          "verdict": verdict})
    for run, check in findings:
        category = categories.get(check, DEFAULT_CATEGORY)
        points[run].problems[category] = points[run].problems.get(category, 0) + 1
    order = sorted(points.values(), key=lambda p: (p.as_of, p.id))
    rank = {p.id: i for i, p in enumerate(order)}
    for series in sites.values():
        series.sort(key=lambda entry: rank[entry["run"]])
    return History(order, sites)
