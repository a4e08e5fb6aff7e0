"""The notice's new-media part (政务新媒体), as the seed notice gives it: the
quarter's registered accounts, unqualified ones and the pass rate, then the
same per platform (WeChat official accounts, Weibo, Toutiao, Douyin, other),
and an attachment listing the unqualified accounts with their reasons.

Results are chosen as for sites: the quarter's runs (crawls reading feeds,
auditors' `record` runs), the latest per account (as-of, then run id).
Registered = accounts in the registry imported by the quarter's end or
inspected in it; pass rate = qualified / registered, so an account not
inspected counts against it (the notice says how many).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from govsite.reports.account_model import account_results
from govsite.storage.accounts import PLATFORMS, all_accounts


def rate_text(qualified: int, registered: int) -> str:
    """A pass rate as the seed notice prints it: a percentage to one decimal,
    rounded half up, but never 100.0% while one failed (2943 of 2944 is 99.9%)."""
    if not registered:
        return "0.0%"
    value = (Decimal(qualified) * 100 / Decimal(registered)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP)
    if value >= 100 and qualified < registered:
        value = Decimal("99.9")
    return f"{value}%"


def build_media(session: Any, run_ids: list[int], quarter: Any, catalog: dict[str, Any],
                reasons: Any) -> dict[str, Any] | None:
    """The new-media section's data; None when no account is registered or judged.
    `reasons(result)` words why one is unqualified (the notice's own reasons)."""
    latest: dict[int, dict[str, Any]] = {}
    for result in account_results(session, run_ids, catalog):
        known = latest.get(result["account"])
        if known is None or (result["as_of"], result["run_id"]) > (known["as_of"],
                                                                    known["run_id"]):
            latest[result["account"]] = result
    registered = [a for a in all_accounts(session)
                  if a.created_at.date() <= quarter.end or a.id in latest]
    if not registered:
        return None
    results = [latest[a.id] for a in registered if a.id in latest]
    platforms = []
    for platform in PLATFORMS:
        ids = {a.id for a in registered if a.platform == platform}
        if ids:
            platforms.append(_figures(len(ids), [r for r in results if r["account"] in ids])
                             | {"platform": platform})
    unqualified = sorted((r for r in results if r["verdict"] == "fail"),
                         key=lambda r: (PLATFORMS.index(r["platform"]), r["name"]))
    return {
        "totals": _figures(len(registered), results),
        "window": [min(r["as_of"] for r in results).isoformat(),
                   max(r["as_of"] for r in results).isoformat()] if results else None,
        "platforms": platforms,
        "unqualified": [{"name": r["name"], "platform": r["platform"],
                         "account_id": r["account_id"], "organizer": r["organizer"],
                         "region": r["region"], "run": r["run_id"], "reasons": reasons(r)}
                        for r in unqualified],
        "accounts": [{k: v for k, v in r.items() if k not in ("as_of", "created_at")}
                     for r in results],
    }


def _figures(registered: int, results: list[dict[str, Any]]) -> dict[str, Any]:
    qualified = sum(r["verdict"] == "pass" for r in results)
    return {"registered": registered, "inspected": len(results), "qualified": qualified,
            "unqualified": sum(r["verdict"] == "fail" for r in results),
            "not_judged": sum(r["verdict"] == "error" for r in results),
            "not_inspected": registered - len(results),
            "pass_rate": round(qualified / registered, 4) if registered else 0.0,
            "pass_rate_text": rate_text(qualified, registered)}
