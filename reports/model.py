"""The report of one run as plain data, read only from the store.

Every format renders this one structure, which is also the JSON contract
(`reports/schema/report.schema.json`), so a report can be produced again at
any time without crawling.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from govsite.i18n import msg
from govsite.reports.account_model import report_accounts
from govsite.reports.reasons import said_message
from govsite.storage.db import Store
from govsite.storage.models import FindingRow, Run, Site, SiteCrawl, SiteResult

SEVERITY_ORDER = {"veto": 0, "deduct": 1, "warn": 2, "info": 3}
DEFAULT_CATEGORY = "operation"


class ReportError(Exception):
    """No such run, or nothing to report; one line for the user."""


def _iso(value: Any) -> str | None:
    return value.isoformat(timespec="seconds") if value is not None else None


def check_catalog() -> dict[str, dict[str, Any]]:
    """What reports say about each known check: title, category, indicator, remediation."""
    from govsite.checks.registry import available_checks

    try:
        known = available_checks()
    except Exception:  # a broken plug-in must not stop a report of stored results
        known = {}
    return {check_id: {"id": check_id, "title": cls.title,
                       "title_zh": getattr(cls, "title_zh", cls.title),
                       "title_en": getattr(cls, "title_en", cls.title),
                       "category": getattr(cls, "category", DEFAULT_CATEGORY),
                       "severity": cls.severity, "indicator": cls.indicator,
                       "remediation": cls.remediation}
            for check_id, cls in known.items()}


def evaluated_checks(config_json: dict[str, Any] | None, catalog: dict[str, Any],
                     seen: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """The checks a run evaluated: the known ones its config left enabled, and any
    check that reported something (a plug-in since removed)."""
    blocks = (config_json or {}).get("checks") or {}
    enabled = {check_id for check_id in catalog
               if (blocks.get(check_id) or {}).get("enabled", True) is not False}
    return sorted(enabled | set(seen))


def latest_run_id(store: Store) -> int:
    with store.sessions() as session:
        run_id = session.scalar(select(func.max(Run.id)))
    if run_id is None:
        raise ReportError(msg("no runs in the database yet: run `govsite crawl` first"))
    return run_id


def not_judged(findings: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The places a site's checks could not read in full (a render failed, a
    frame or a data request failed): said apart, so an auditor sees what the
    verdict rests on and what it could not see."""
    return [{"check": f["check"], "url": f["url"],
             "reason": str(f["evidence"].get("reason") or f["message"])[:300]}
            for f in findings if f["evidence"].get("judged") is False]


def finding_entry(row: FindingRow, catalog: dict[str, dict[str, Any]],
                  lang: str) -> dict[str, Any]:
    """A stored finding as reports show it: `message` in `lang` (from its
    catalogue id, govsite.i18n), the stored English as `message_en`."""
    message = said_message(row.message_id, row.params, row.message, lang)
    return {"check": row.check, "severity": row.severity, "url": row.url,
            "message": message, "message_en": row.message, "message_id": row.message_id,
            "evidence": row.evidence or {},
            "category": catalog.get(row.check, {}).get("category", DEFAULT_CATEGORY),
            "fingerprint": row.fingerprint, "dismissal": row.dismissal}


def split_dismissed(findings: list[dict[str, Any]]
                    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The findings that count, and those an auditor dismissed (listed apart,
    never counted), each in severity order."""
    def order(f: dict[str, Any]) -> tuple[int, str]:
        return SEVERITY_ORDER.get(f["severity"], 9), f["check"]

    return (sorted((f for f in findings if not f["dismissal"]), key=order),
            sorted((f for f in findings if f["dismissal"]), key=order))


def build_report(store: Store, run_id: int | None = None,
                 catalog: dict[str, dict[str, Any]] | None = None,
                 lang: str = "en") -> dict[str, Any]:
    """The run's report: run metadata, summary, per-site verdicts with findings
    (those dismissed apart), and the checks the run evaluated. Messages are
    said in `lang`; every other field is the same in both languages."""
    run_id = run_id if run_id is not None else latest_run_id(store)
    catalog = check_catalog() if catalog is None else catalog
    with store.sessions() as session:
        run = session.get(Run, run_id)
        if run is None:
            raise ReportError(msg("run {run} not found", run=run_id))
        crawled = session.execute(
            select(Site, SiteResult).join(SiteCrawl, SiteCrawl.site_id == Site.id)
            .outerjoin(SiteResult, (SiteResult.site_id == Site.id) & (SiteResult.run_id == run_id))
            .where(SiteCrawl.run_id == run_id).order_by(Site.name)).all()
        findings_by_site: dict[int, list[dict[str, Any]]] = {}
        for row in session.scalars(select(FindingRow).where(FindingRow.run_id == run_id)
                                   .order_by(FindingRow.id)):
            findings_by_site.setdefault(row.site_id, []).append(
                finding_entry(row, catalog, lang))
        sites = []
        for site, result in crawled:
            findings, dismissed = split_dismissed(findings_by_site.get(site.id, []))
            sites.append({
                "name": site.name, "url": site.url, "site_code": site.site_code,
                "organizer": site.organizer, "region": site.region, "kind": site.kind,
                "verdict": result.verdict if result else "error",
                "score": result.score if result else None,
                "vetoes": list(result.vetoes) if result else [],
                "reasons": list(result.reasons) if result else ["site was not evaluated"],
                "pages": result.pages if result else 0,
                "findings": findings, "not_judged": not_judged(findings),
                "dismissed": dismissed})
        run_data = {"id": run.id, "command": run.command, "status": run.status,
                    "as_of": run.as_of.isoformat(), "started_at": _iso(run.started_at),
                    "finished_at": _iso(run.finished_at), "config_hash": run.config_hash,
                    "stats": run.stats or {}, "source_run": run.source_run_id}
        config_json = run.config_json
        accounts = report_accounts(session, run_id, lang)
    passed = sum(s["verdict"] == "pass" for s in sites)
    failed = sum(s["verdict"] == "fail" for s in sites)
    errors = sum(s["verdict"] == "error" for s in sites)
    summary = {"sites": len(sites), "passed": passed, "failed": failed, "errors": errors,
               "pass_rate": round(passed / len(sites), 4) if sites else 0.0}
    seen = {f["check"] for site in sites for f in site["findings"]}
    checks = [catalog.get(check_id) or {
        "id": check_id, "title": check_id, "category": DEFAULT_CATEGORY, "severity": "warn",
        "indicator": "", "remediation": ""} for check_id in evaluated_checks(
            config_json, catalog, seen)]
    return {"run": run_data, "summary": summary, "sites": sites, "checks": checks,
            "accounts": accounts}


def load_results(session: Any, run_ids: list[int], catalog: dict[str, dict[str, Any]],
                 site_ids: list[int] | None = None, lang: str = "en") -> list[dict[str, Any]]:
    """Every site result of these runs (of these sites) as report site entries, each
    with its site id, run id, run command and as-of date (for choosing across runs)."""
    if not run_ids:
        return []
    query = (select(Site, SiteResult, Run).join(SiteResult, SiteResult.site_id == Site.id)
             .join(Run, Run.id == SiteResult.run_id).where(SiteResult.run_id.in_(run_ids)))
    finding_query = select(FindingRow).where(FindingRow.run_id.in_(run_ids))
    if site_ids is not None:
        query = query.where(SiteResult.site_id.in_(site_ids))
        finding_query = finding_query.where(FindingRow.site_id.in_(site_ids))
    rows = session.execute(query).all()
    findings: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for row in session.scalars(finding_query.order_by(FindingRow.id)):
        findings.setdefault((row.run_id, row.site_id), []).append(
            finding_entry(row, catalog, lang))
    results = []
    for site, result, run in rows:
        results.append({
            "site_id": site.id, "run_id": run.id, "command": run.command,
            "as_of": run.as_of, "registered": site.registered,
            "created_at": site.created_at, "config_json": run.config_json or {},
            "name": site.name, "url": site.url, "site_code": site.site_code,
            "organizer": site.organizer, "region": site.region, "kind": site.kind,
            "verdict": result.verdict, "score": result.score, "vetoes": list(result.vetoes),
            "reasons": list(result.reasons), "pages": result.pages,
            "findings": split_dismissed(findings.get((run.id, site.id), []))[0],
            "dismissed": split_dismissed(findings.get((run.id, site.id), []))[1]})
    return results

