"""Accounts in the reports: each account's result in a run, read only from the
store, in the shape of a report's sites (verdict, score, vetoes, findings)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from govsite.reports.reasons import said_message
from govsite.storage.models import Account, AccountFinding, AccountResult, Run

SEVERITY_ORDER = {"veto": 0, "deduct": 1, "warn": 2, "info": 3}


def account_catalog() -> dict[str, dict[str, Any]]:
    """What reports say about each account check (and the wording check posts use)."""
    from govsite.checks.account_base import account_check_classes
    from govsite.reports.model import check_catalog

    catalog = {cls.id: {"id": cls.id, "title": cls.title, "title_zh": cls.title_zh,
                        "title_en": cls.title_en, "category": cls.category,
                        "severity": cls.severity, "indicator": cls.indicator,
                        "remediation": cls.remediation} for cls in account_check_classes()}
    sites = check_catalog()
    if "wording-errors" in sites:
        catalog["wording-errors"] = sites["wording-errors"]
    return catalog


def account_results(session: Any, run_ids: list[int], catalog: dict[str, dict[str, Any]],
                    lang: str = "en") -> list[dict[str, Any]]:
    """Every account result of these runs, each with its account id, run id,
    command and as-of date (for choosing across runs), by platform and name; a
    finding's `message` in `lang` (as a site's: `message_en`, `message_id` too)."""
    if not run_ids:
        return []
    rows = session.execute(
        select(Account, AccountResult, Run).join(AccountResult,
                                                 AccountResult.account_id == Account.id)
        .join(Run, Run.id == AccountResult.run_id).where(AccountResult.run_id.in_(run_ids))
        .order_by(Account.name, Account.id, Run.id)).all()
    findings: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for row in session.scalars(select(AccountFinding).where(AccountFinding.run_id.in_(run_ids))
                               .order_by(AccountFinding.id)):
        findings.setdefault((row.run_id, row.account_id), []).append({
            "check": row.check, "severity": row.severity, "url": row.url,
            "message": said_message(row.message_id, row.params, row.message, lang),
            "message_en": row.message, "message_id": row.message_id,
            "evidence": row.evidence or {},
            "category": catalog.get(row.check, {}).get("category", "operation"),
            "fingerprint": row.fingerprint})
    results = []
    for account, result, run in rows:
        found = sorted(findings.get((run.id, account.id), []),
                       key=lambda f: (SEVERITY_ORDER.get(f["severity"], 9), f["check"]))
        results.append({
            "account": account.id, "run_id": run.id, "command": run.command, "as_of": run.as_of,
            "created_at": account.created_at,
            "name": account.name, "platform": account.platform, "account_id": account.account_id,
            "organizer": account.organizer, "region": account.region,
            "feed_url": account.feed_url, "verdict": result.verdict, "score": result.score,
            "vetoes": list(result.vetoes), "reasons": list(result.reasons), "findings": found,
            "not_judged": [{"check": f["check"], "url": f["url"],
                            "reason": str(f["evidence"].get("reason") or f["message"])[:300]}
                           for f in found if f["evidence"].get("judged") is False]})
    return results


def report_accounts(session: Any, run_id: int, lang: str = "en") -> list[dict[str, Any]]:
    """A run report's `accounts` array, its messages in `lang`."""
    internal = ("account", "run_id", "command", "as_of", "created_at")
    return [{k: v for k, v in entry.items() if k not in internal}
            for entry in account_results(session, [run_id], account_catalog(), lang)]
