"""The quarterly inspection notice (通报), as Markdown and HTML, Chinese or English.

Its structure follows the provincial notice in ../shared/seed/:

1. Overall situation: (I) the rectification of the previous quarter's
   unqualified sites, which completed and which did not; (II) this quarter's
   totals: registered, inspected, unqualified, pass rate.
2. Problems, grouped under daily operation (日常运维), interaction (互动回应),
   services (办事服务) and security (安全), each naming example sites.
3. Attachments: the unqualified sites with their reasons, and the state of
   the previous quarter's rectifications.

Which results count:
- the quarter's inspection = runs of `crawl`, `check` or `rescore` whose
  as-of date falls in the quarter (or the runs given), finished or
  interrupted; for each site the latest run wins (as-of date, then run id);
- registered = sites registered when the notice is made that were already
  in the registry by the quarter's end, or were inspected in it (the store
  keeps no history of deregistration); ad-hoc `check`s of unregistered sites
  are left out. Pass rate = qualified / registered (docs/rules.md "Verdict");
- rectification of a site unqualified last quarter = judged from its latest
  later run up to this quarter's end, `recheck` runs included: completed
  when none of the veto or deduct problems that made it unqualified is found
  again by a run that evaluated their checks; not completed when one is,
  or the site no longer opens; not verified when no later run looked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from govsite.checks.home import HOME_CHECK
from govsite.config import Config
from govsite.i18n import msg
from govsite.reports.account_model import account_catalog
from govsite.reports.evidence import dismissal_text
from govsite.reports.i18n import CATEGORY_ORDER, category_label, check_title
from govsite.reports.model import (
    DEFAULT_CATEGORY,
    ReportError,
    check_catalog,
    evaluated_checks,
    load_results,
)
from govsite.reports.notice_media import build_media
from govsite.reports.templates import html_env, text_env
from govsite.storage.db import Store
from govsite.storage.models import Run, Site, SiteResult

INSPECTION_COMMANDS = ("crawl", "check", "rescore", "record")  # record: accounts only
OBSERVATION_COMMANDS = ("crawl", "check", "recheck")  # what rectification is judged on
FINISHED = ("done", "interrupted")
PROBLEM_SEVERITIES = ("veto", "deduct")
_PERIOD = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]([1-4])\s*$")
_DEDUCTION = re.compile(r"^-(?P<points>[\d.]+) (?P<check>\S+)$")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    quarter: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        match = _PERIOD.match(text or "")
        if not match:
            raise ValueError(msg("expected a quarter such as 2022Q3, got {value}", value=repr(text)))
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.quarter - 2, 1)

    @property
    def end(self) -> date:
        following = date(self.year + (self.quarter == 4), 1 if self.quarter == 4
                         else 3 * self.quarter + 1, 1)
        return following - timedelta(days=1)

    @property
    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.quarter == 1 else Quarter(self.year,
                                                                         self.quarter - 1)

    @property
    def label(self) -> str:
        return f"{self.year}Q{self.quarter}"


# ------------------------------------------------------------------ choosing results
def _latest_per_site(results: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    latest: dict[int, dict[str, Any]] = {}
    for result in results:
        known = latest.get(result["site_id"])
        if known is None or (result["as_of"], result["run_id"]) > (known["as_of"],
                                                                    known["run_id"]):
            latest[result["site_id"]] = result
    return latest


def _quarter_run_ids(session: Any, quarter: Quarter) -> list[int]:
    return list(session.scalars(select(Run.id).where(
        Run.as_of >= quarter.start, Run.as_of <= quarter.end,
        Run.command.in_(INSPECTION_COMMANDS), Run.status.in_(FINISHED)).order_by(Run.id)))


def _registered(session: Any, quarter: Quarter, inspected: dict[int, dict[str, Any]]
                ) -> list[Site]:
    sites = session.scalars(select(Site).where(Site.registered).order_by(Site.name)).all()
    return [s for s in sites if s.created_at.date() <= quarter.end or s.id in inspected]


def _pass_score(result: dict[str, Any], config: Config) -> float:
    scoring = (result.get("config_json") or {}).get("scoring") or {}
    return float(scoring.get("pass_score", config.scoring.pass_score))


# ------------------------------------------------------------------ reasons
def _title(catalog: dict[str, Any], check: str, lang: str) -> str:
    return check_title(catalog.get(check, check), lang)


def _reasons(result: dict[str, Any], catalog: dict[str, Any], lang: str,
             pass_score: float) -> list[dict[str, Any]]:
    """Why a site is unqualified: its vetoes, a score below the pass mark (with the
    deductions), or no judgement; the templates word them."""
    reasons: list[dict[str, Any]] = []
    for veto in result["vetoes"]:
        count = sum(f["check"] == veto and f["severity"] == "veto" for f in result["findings"])
        reasons.append({"kind": "veto", "check": veto, "title": _title(catalog, veto, lang),
                        "count": count})
    score = result["score"]
    if score is not None and score < pass_score:
        deductions = []
        for reason in result["reasons"]:
            match = _DEDUCTION.match(reason)
            if match:
                deductions.append({"check": match.group("check"),
                                   "title": _title(catalog, match.group("check"), lang),
                                   "points": match.group("points")})
        reasons.append({"kind": "score", "score": score, "pass_score": pass_score,
                        "deductions": deductions})
    if result["verdict"] == "error":
        reasons.append({"kind": "not-judged"})
    return reasons


# ------------------------------------------------------------------ rectification
def _rectification(session: Any, store_catalog: dict[str, Any], unqualified: dict[int, Any],
                   until: date) -> list[dict[str, Any]]:
    """For each site unqualified last quarter: completed, not-completed or not-verified."""
    outcomes = []
    for site_id, before in unqualified.items():
        problems = [f for f in before["findings"] if f["severity"] in PROBLEM_SEVERITIES]
        later_rows = session.execute(
            select(SiteResult.run_id, Run.as_of).join(Run, Run.id == SiteResult.run_id).where(
                SiteResult.site_id == site_id, Run.command.in_(OBSERVATION_COMMANDS),
                Run.status.in_(FINISHED), Run.as_of <= until)).all()
        later_ids = [run_id for run_id, as_of in later_rows
                     if (as_of, run_id) > (before["as_of"], before["run_id"])]
        later = None
        if later_ids:
            candidates = load_results(session, later_ids, store_catalog, [site_id])
            later = max(candidates, key=lambda r: (r["as_of"], r["run_id"]), default=None)
        outcome = {"site_id": site_id, "name": before["name"], "url": before["url"],
                   "before_run": before["run_id"], "after_run": None, "status": "not-verified",
                   "remaining": [], "unverified": []}
        if later is not None:
            outcome["after_run"] = later["run_id"]
            found = {f["fingerprint"] for f in later["findings"]
                     if (f.get("evidence") or {}).get("judged") is not False}
            unjudged = {f["fingerprint"] for f in later["findings"]} - found
            seen_checks = {f["check"] for f in later["findings"]}
            evaluated = set(evaluated_checks(later["config_json"], store_catalog, seen_checks))
            gate = any(f["check"] == HOME_CHECK and f["severity"] == "veto"
                       for f in later["findings"])
            outcome["remaining"] = [p for p in problems if p["fingerprint"] in found]
            outcome["unverified"] = [p for p in problems if p["check"] not in evaluated
                                     or p["fingerprint"] in unjudged]
            if gate and not outcome["remaining"]:
                outcome["remaining"] = [f for f in later["findings"]
                                        if f["check"] == HOME_CHECK]
            if outcome["remaining"]:
                outcome["status"] = "not-completed"
            elif outcome["unverified"] or later["verdict"] == "error":
                outcome["status"] = "not-verified"
            else:
                outcome["status"] = "completed"
        outcomes.append(outcome)
    return sorted(outcomes, key=lambda o: o["name"])


# ------------------------------------------------------------------ the notice
def build_notice(store: Store, config: Config, *, period: str | None = None,
                 run_ids: list[int] | None = None, lang: str = "zh") -> dict[str, Any]:
    """The notice's data: figures, names, lists and statuses; check and category
    labels in `lang`. The words are the templates' (notice.{zh,en}.j2)."""
    catalog = check_catalog()
    with store.sessions() as session:
        if run_ids:
            runs = [session.get(Run, run_id) for run_id in run_ids]
            missing = [rid for rid, run in zip(run_ids, runs, strict=True) if run is None]
            if missing:
                raise ReportError(msg("run {run} not found", run=missing[0]))
            quarter = Quarter.parse(period) if period else Quarter.of(
                max(run.as_of for run in runs if run is not None))
            chosen = list(run_ids)
        else:
            if period is None:
                latest = session.scalar(select(Run.as_of).where(
                    Run.command.in_(INSPECTION_COMMANDS)).order_by(Run.as_of.desc()).limit(1))
                if latest is None:
                    raise ReportError(msg("no runs in the database yet: run `govsite crawl` first"))
                quarter = Quarter.of(latest)
            else:
                quarter = Quarter.parse(period)
            chosen = _quarter_run_ids(session, quarter)
            if not chosen:
                raise ReportError(msg("no finished crawl, check, rescore or record run has an "
                                      "as-of date in {quarter} ({start} to {end})",
                                      quarter=quarter.label, start=str(quarter.start),
                                      end=str(quarter.end)))
        latest = _latest_per_site(load_results(session, chosen, catalog))
        registered = _registered(session, quarter, latest)
        previous = quarter.previous
        previous_runs = _quarter_run_ids(session, previous)
        previous_latest = _latest_per_site(load_results(session, previous_runs, catalog))
        previous_registered = {s.id for s in _registered(session, previous, previous_latest)}
        previous_unqualified = {sid: r for sid, r in previous_latest.items()
                                if r["verdict"] == "fail" and sid in previous_registered}
        rectification = _rectification(session, catalog, previous_unqualified, quarter.end)
        media_catalog = account_catalog()
        media = build_media(session, chosen, quarter, media_catalog,
                            lambda r: _reasons(r, media_catalog, lang, _pass_score(r, config)))
    registered_ids = {s.id for s in registered}
    results = [latest[s.id] for s in registered if s.id in latest]
    qualified = [r for r in results if r["verdict"] == "pass"]
    unqualified = [r for r in results if r["verdict"] == "fail"]
    not_judged = [r for r in results if r["verdict"] == "error"]
    totals = {
        "registered": len(registered), "inspected": len(results), "qualified": len(qualified),
        "unqualified": len(unqualified), "not_judged": len(not_judged),
        "not_inspected": len(registered) - len(results),
        "unregistered_excluded": sum(sid not in registered_ids for sid in latest),
        "pass_rate": round(len(qualified) / len(registered), 4) if registered else 0.0}
    window = (min(r["as_of"] for r in results), max(r["as_of"] for r in results)) \
        if results else None
    categories = _categories(results, catalog | media_catalog, lang,
                             config.notice.example_sites, media["accounts"] if media else [])
    return {
        "kind": "notice", "lang": lang,
        "period": _period(quarter) | {"start": quarter.start.isoformat(),
                                      "end": quarter.end.isoformat()},
        "previous_period": _period(previous) | {"runs": previous_runs,
                                                "unqualified": len(previous_unqualified)},
        "scope": config.notice.scope, "issuer": config.notice.issuer,
        "issued": date.today().isoformat(),
        "runs": chosen, "totals": totals,
        "window": [d.isoformat() for d in window] if window else None,
        "rectification": [
            {k: v for k, v in o.items() if k not in ("remaining", "unverified")}
            | {"remaining": [f["fingerprint"] for f in o["remaining"]],
               "problems": sorted({_title(catalog, f["check"], lang) for f in o["remaining"]})}
            for o in rectification],
        "categories": categories,
        "unqualified": [{"name": r["name"], "url": r["url"], "organizer": r["organizer"],
                         "site_code": r["site_code"], "region": r["region"], "score": r["score"],
                         "run": r["run_id"],
                         "reasons": _reasons(r, catalog, lang, _pass_score(r, config))}
                        for r in sorted(unqualified, key=lambda r: r["name"])],
        "not_judged": [{"name": r["name"], "url": r["url"], "reasons": r["reasons"]}
                       for r in sorted(not_judged, key=lambda r: r["name"])],
        "dismissed": [{"name": r["name"], "check": f["check"],
                       "title": _title(catalog, f["check"], lang), "url": f["url"],
                       "fingerprint": f["fingerprint"],
                       "text": dismissal_text(f["dismissal"], lang)}
                      for r in sorted(results, key=lambda r: r["name"])
                      for f in r.get("dismissed", [])],
        # report-shaped, so the exit code is decided like any report's
        "sites": [{k: v for k, v in r.items() if k not in ("as_of", "created_at", "config_json")}
                  for r in results],
        # the new-media section (reports/notice_media.py); None: no accounts
        "media": media,
        "accounts": media["accounts"] if media else [],
    }


def _categories(results: list[dict[str, Any]], catalog: dict[str, Any], lang: str,
                examples: int, accounts: list[dict[str, Any]] | None = None
                ) -> list[dict[str, Any]]:
    """Problems by category and check, each with how many sites (and accounts)
    have it and the first few by name, the unqualified first."""
    by_check: dict[str, dict[int, dict[str, Any]]] = {}
    by_check_accounts: dict[str, dict[int, dict[str, Any]]] = {}
    for found, key, rows in ((by_check, "site_id", results),
                             (by_check_accounts, "account", accounts or [])):
        for result in rows:
            for finding in result["findings"]:
                if finding["severity"] in PROBLEM_SEVERITIES:
                    found.setdefault(finding["check"], {})[result[key]] = result
    groups = []
    for category in CATEGORY_ORDER:
        checks = []
        for check in sorted({*by_check, *by_check_accounts}):
            if catalog.get(check, {}).get("category", DEFAULT_CATEGORY) != category:
                continue
            ordered = _worst_first(by_check.get(check, {}))
            media = _worst_first(by_check_accounts.get(check, {}))
            checks.append({"check": check, "title": _title(catalog, check, lang),
                           "sites": len(ordered),
                           "examples": [r["name"] for r in ordered[:examples]],
                           "accounts": len(media),
                           "account_examples": [{"name": r["name"], "platform": r["platform"]}
                                                for r in media[:examples]]})
        checks.sort(key=lambda c: (-c["sites"] - c["accounts"], c["check"]))
        groups.append({"category": category, "label": category_label(category, lang),
                       "checks": checks})
    return groups


def _worst_first(results: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(results.values(), key=lambda r: (r["verdict"] != "fail", r["score"] or 0,
                                                   r["name"]))


def _period(quarter: Quarter) -> dict[str, Any]:
    return {"label": quarter.label, "year": quarter.year, "quarter": quarter.quarter}


# ------------------------------------------------------------------ rendering
def render(notice: dict[str, Any], **_: Any) -> str:
    """The notice as Markdown."""
    return text_env().get_template("notice.md.j2").render(n=notice)


def render_html(notice: dict[str, Any], **_: Any) -> str:
    """The notice as one HTML file, its figures inline (reports.charts)."""
    from govsite.reports.charts import notice_figures

    return html_env().get_template("notice.html.j2").render(n=notice,
                                                            figures=notice_figures(notice))


def write(notice: dict[str, Any], output: Path, **_: Any) -> list[Path]:
    """Markdown and HTML side by side: `X.md` and `X.html` for `--output X.md` or
    `X.html`; `DIR/notice-2022Q3.<lang>.md` and `.html` for a directory."""
    if output.suffix.lower() in (".md", ".html", ".htm"):
        base = output.with_suffix("")
    else:
        output.mkdir(parents=True, exist_ok=True)
        base = output / f"notice-{notice['period']['label']}.{notice['lang']}"
    base.parent.mkdir(parents=True, exist_ok=True)
    md_path, html_path = base.with_name(base.name + ".md"), base.with_name(base.name + ".html")
    md_path.write_text(render(notice), encoding="utf-8")
    html_path.write_text(render_html(notice), encoding="utf-8")
    return [md_path, html_path]
