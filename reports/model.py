"""The report of one run as plain data, read only from the store.

Every format renders this one structure, which is also the JSON contract
(`reports/schema/report.schema.json`), so a report can be produced again at
any time without crawling.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from govsite.storage.db import Store
from govsite.storage.models import FindingRow, Run, Site, SiteCrawl, SiteResult

SEVERITY_ORDER = {"veto": 0, "deduct": 1, "warn": 2, "info": 3}


class ReportError(Exception):
    """No such run, or nothing to report; one line for the user."""


def _iso(value: Any) -> str | None:
    return value.isoformat(timespec="seconds") if value is not None else None


def latest_run_id(store: Store) -> int:
    with store.sessions() as session:
        run_id = session.scalar(select(func.max(Run.id)))
    if run_id is None:
        raise ReportError("no runs in the database yet: run `govsite crawl` first")
    return run_id


def build_report(store: Store, run_id: int | None = None) -> dict[str, Any]:
    """The run's report: run metadata, summary, and per-site verdicts with findings."""
    run_id = run_id if run_id is not None else latest_run_id(store)
    with store.sessions() as session:
        run = session.get(Run, run_id)
        if run is None:
            raise ReportError(f"run {run_id} not found")
        crawled = session.execute(
            select(Site, SiteResult).join(SiteCrawl, SiteCrawl.site_id == Site.id)
            .outerjoin(SiteResult, (SiteResult.site_id == Site.id) & (SiteResult.run_id == run_id))
            .where(SiteCrawl.run_id == run_id).order_by(Site.name)).all()
        findings_by_site: dict[int, list[dict[str, Any]]] = {}
        for row in session.scalars(select(FindingRow).where(FindingRow.run_id == run_id)
                                   .order_by(FindingRow.id)):
            findings_by_site.setdefault(row.site_id, []).append({
                "check": row.check, "severity": row.severity, "url": row.url,
                "message": row.message, "evidence": row.evidence or {}})
        sites = []
        for site, result in crawled:
            findings = sorted(findings_by_site.get(site.id, []),
                              key=lambda f: (SEVERITY_ORDER.get(f["severity"], 9), f["check"]))
            sites.append({
                "name": site.name, "url": site.url, "site_code": site.site_code,
                "organizer": site.organizer, "region": site.region, "kind": site.kind,
                "verdict": result.verdict if result else "error",
                "score": result.score if result else None,
                "vetoes": list(result.vetoes) if result else [],
                "reasons": list(result.reasons) if result else ["site was not evaluated"],
                "pages": result.pages if result else 0,
                "findings": findings})
        run_data = {"id": run.id, "command": run.command, "status": run.status,
                    "as_of": run.as_of.isoformat(), "started_at": _iso(run.started_at),
                    "finished_at": _iso(run.finished_at), "config_hash": run.config_hash,
                    "stats": run.stats or {}}
    passed = sum(s["verdict"] == "pass" for s in sites)
    failed = sum(s["verdict"] == "fail" for s in sites)
    errors = sum(s["verdict"] == "error" for s in sites)
    summary = {"sites": len(sites), "passed": passed, "failed": failed, "errors": errors,
               "pass_rate": round(passed / len(sites), 4) if sites else 0.0}
    return {"run": run_data, "summary": summary, "sites": sites}


def exit_code(report: dict[str, Any]) -> int:
    """0 when every inspected site qualified; 1 when any failed or could not be judged."""
    summary = report["summary"]
    return 0 if summary["sites"] and summary["passed"] == summary["sites"] else 1
