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
from govsite.reports.i18n import CATEGORY_ORDER, category_label, check_title
from govsite.reports.model import (
    DEFAULT_CATEGORY,
    ReportError,
    check_catalog,
    evaluated_checks,
    load_results,
)
from govsite.reports.templates import html_env, text_env
from govsite.storage.db import Store
from govsite.storage.models import Run, Site, SiteResult

INSPECTION_COMMANDS = ("crawl", "check", "rescore")
OBSERVATION_COMMANDS = ("crawl", "check", "recheck")  # what rectification is judged on
FINISHED = ("done", "interrupted")
PROBLEM_SEVERITIES = ("veto", "deduct")
ZH_NUMBERS = {1: "一", 2: "二", 3: "三", 4: "四"}
ZH_ORDINALS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十")
EN_ORDINALS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
EN_QUARTERS = {1: "first", 2: "second", 3: "third", 4: "fourth"}
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
            raise ValueError(f"expected a quarter such as 2022Q3, got {text!r}")
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

    def text(self, lang: str) -> str:
        if lang == "zh":
            return f"{self.year}年第{ZH_NUMBERS[self.quarter]}季度"
        return f"the {EN_QUARTERS[self.quarter]} quarter of {self.year}"


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


# ------------------------------------------------------------------ wording
def _quote(name: str, lang: str) -> str:
    return f"“{name}”网站" if lang == "zh" else f"the “{name}” website"


def _join(items: list[str], lang: str) -> str:
    if lang == "zh":
        return "、".join(items)
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + ", and " + items[-1]


def _title(catalog: dict[str, Any], check: str, lang: str) -> str:
    return check_title(catalog.get(check, check), lang)


def _percent(value: float) -> str:
    return f"{value * 100:.1f}%"


def _reasons(result: dict[str, Any], catalog: dict[str, Any], lang: str,
             pass_score: float) -> str:
    """Why a site is unqualified, in the notice's words."""
    parts = []
    for veto in result["vetoes"]:
        count = sum(f["check"] == veto and f["severity"] == "veto" for f in result["findings"])
        title = _title(catalog, veto, lang)
        parts.append(f"单项否决：{title}（{count}处）" if lang == "zh"
                     else f"single veto: {title} ({count})")
    score = result["score"]
    if score is not None and score < pass_score:
        deductions = []
        for reason in result["reasons"]:
            match = _DEDUCTION.match(reason)
            if match:
                deductions.append(f"{_title(catalog, match.group('check'), lang)} "
                                  f"−{match.group('points')}")
        detail = "；".join(deductions) if lang == "zh" else "; ".join(deductions)
        if lang == "zh":
            parts.append(f"得分{score:g}分，低于{pass_score:g}分" + (f"（{detail}）" if detail
                                                                else ""))
        else:
            parts.append(f"score {score:g}, below {pass_score:g}" + (f" ({detail})" if detail
                                                                    else ""))
    if result["verdict"] == "error":
        parts.append("未能完成检查" if lang == "zh" else "could not be judged")
    return ("；" if lang == "zh" else "; ").join(parts)


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
    """The notice's data: figures, and the text of every section in `lang`."""
    catalog = check_catalog()
    with store.sessions() as session:
        if run_ids:
            runs = [session.get(Run, run_id) for run_id in run_ids]
            missing = [rid for rid, run in zip(run_ids, runs, strict=True) if run is None]
            if missing:
                raise ReportError(f"run {missing[0]} not found")
            quarter = Quarter.parse(period) if period else Quarter.of(
                max(run.as_of for run in runs if run is not None))
            chosen = list(run_ids)
        else:
            if period is None:
                latest = session.scalar(select(Run.as_of).where(
                    Run.command.in_(INSPECTION_COMMANDS)).order_by(Run.as_of.desc()).limit(1))
                if latest is None:
                    raise ReportError("no runs in the database yet: run `govsite crawl` first")
                quarter = Quarter.of(latest)
            else:
                quarter = Quarter.parse(period)
            chosen = _quarter_run_ids(session, quarter)
            if not chosen:
                raise ReportError(f"no finished crawl, check or rescore run has an as-of date "
                                  f"in {quarter.label} ({quarter.start} to {quarter.end})")
        latest = _latest_per_site(load_results(session, chosen, catalog))
        registered = _registered(session, quarter, latest)
        previous = quarter.previous
        previous_runs = _quarter_run_ids(session, previous)
        previous_latest = _latest_per_site(load_results(session, previous_runs, catalog))
        previous_registered = {s.id for s in _registered(session, previous, previous_latest)}
        previous_unqualified = {sid: r for sid, r in previous_latest.items()
                                if r["verdict"] == "fail" and sid in previous_registered}
        rectification = _rectification(session, catalog, previous_unqualified, quarter.end)
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
    categories = _categories(results, catalog, lang, config.notice.example_sites)
    notice = {
        "kind": "notice", "lang": lang,
        "period": {"label": quarter.label, "start": quarter.start.isoformat(),
                   "end": quarter.end.isoformat()},
        "previous_period": {"label": previous.label, "runs": previous_runs,
                            "unqualified": len(previous_unqualified)},
        "runs": chosen, "totals": totals,
        "window": [d.isoformat() for d in window] if window else None,
        "rectification": [{k: v for k, v in o.items() if k not in ("remaining", "unverified")}
                          | {"remaining": [f["fingerprint"] for f in o["remaining"]]}
                          for o in rectification],
        "categories": categories,
        "unqualified": [{"name": r["name"], "url": r["url"], "organizer": r["organizer"],
                         "site_code": r["site_code"], "region": r["region"], "score": r["score"],
                         "run": r["run_id"],
                         "reasons": _reasons(r, catalog, lang, _pass_score(r, config))}
                        for r in sorted(unqualified, key=lambda r: r["name"])],
        # report-shaped, so the exit code is decided like any report's
        "sites": [{k: v for k, v in r.items() if k not in ("as_of", "created_at", "config_json")}
                  for r in results],
    }
    notice["document"] = _document(notice, quarter, previous, previous_runs, rectification,
                                   unqualified, not_judged, catalog, config, lang)
    return notice


def _categories(results: list[dict[str, Any]], catalog: dict[str, Any], lang: str,
                examples: int) -> list[dict[str, Any]]:
    by_check: dict[str, dict[int, dict[str, Any]]] = {}
    for result in results:
        for finding in result["findings"]:
            if finding["severity"] in PROBLEM_SEVERITIES:
                by_check.setdefault(finding["check"], {})[result["site_id"]] = result
    groups = []
    for category in CATEGORY_ORDER:
        checks = []
        for check, sites in by_check.items():
            if catalog.get(check, {}).get("category", DEFAULT_CATEGORY) != category:
                continue
            ordered = sorted(sites.values(), key=lambda r: (r["verdict"] != "fail",
                                                            r["score"] or 0, r["name"]))
            checks.append({"check": check, "title": _title(catalog, check, lang),
                           "sites": len(ordered),
                           "examples": [r["name"] for r in ordered[:examples]]})
        checks.sort(key=lambda c: (-c["sites"], c["check"]))
        groups.append({"category": category, "label": category_label(category, lang),
                       "checks": checks})
    return groups


def _document(notice: dict[str, Any], quarter: Quarter, previous: Quarter,
              previous_runs: list[int], rectification: list[dict[str, Any]],
              unqualified: list[dict[str, Any]], not_judged: list[dict[str, Any]],
              catalog: dict[str, Any], config: Config, lang: str) -> dict[str, Any]:
    """Every heading, paragraph and table of the notice, as plain text."""
    zh = lang == "zh"
    scope = config.notice.scope or ("本地区" if zh else "")
    totals = notice["totals"]
    period, before = quarter.text(lang), previous.text(lang)
    q = (lambda name: _quote(name, lang))  # noqa: E731

    # (I) rectification of the previous quarter
    done = [o for o in rectification if o["status"] == "completed"]
    open_ = [o for o in rectification if o["status"] == "not-completed"]
    unseen = [o for o in rectification if o["status"] == "not-verified"]
    if not previous_runs:
        rect = (f"未找到{before}的检查结果，本期不通报整改情况。" if zh else
                f"No inspection results of {before} were found; no rectification is reported.")
    elif not rectification:
        rect = (f"{before}检查未发现不合格政府网站。" if zh else
                f"The inspection of {before} found no unqualified government website.")
    elif zh:
        rect = f"经复查，{before}检查发现的{len(rectification)}个不合格政府网站中，"
        if open_ and not unseen and done:
            rect += f"除{_join([q(o['name']) for o in open_], lang)}未完成整改外，其余网站均已完成整改。"
        else:
            clauses = [f"{len(done)}个已完成整改"]
            if open_:
                clauses.append(f"{_join([q(o['name']) for o in open_], lang)}未完成整改")
            if unseen:
                clauses.append(f"{_join([q(o['name']) for o in unseen], lang)}尚未复查")
            rect += "；".join(clauses) + "。"
    else:
        rect = (f"After review, of the {len(rectification)} unqualified government websites "
                f"found in {before}, {len(done)} completed rectification")
        if open_:
            rect += f"; {_join([q(o['name']) for o in open_], lang)} did not"
        if unseen:
            rect += f"; {_join([q(o['name']) for o in unseen], lang)} not yet reviewed"
        rect += "."

    # (II) this quarter's totals
    window = notice["window"]
    if zh:
        when = (f"{_zh_date(window[0])}至{_zh_date(window[1])}" if window and window[0] != window[1]
                else (_zh_date(window[0]) if window else period))
        totals_text = (f"{when}，{scope}登记在册的政府网站共{totals['registered']}个，"
                       f"本次检查{totals['inspected']}个，发现不合格政府网站{totals['unqualified']}个，"
                       f"总体合格率{_percent(totals['pass_rate'])}。")
        if totals["not_judged"]:
            totals_text += f"另有{totals['not_judged']}个网站未能完成检查。"
        if totals["not_inspected"]:
            totals_text += f"{totals['not_inspected']}个已登记网站本季度未检查。"
    else:
        when = (f"From {window[0]} to {window[1]}" if window and window[0] != window[1]
                else (f"On {window[0]}" if window else f"In {period}"))
        where = f" in {scope}" if scope else ""
        totals_text = (f"{when}, {totals['registered']} government websites{where} were "
                       f"registered. {totals['inspected']} were inspected and "
                       f"{totals['unqualified']} found unqualified; the overall pass rate is "
                       f"{_percent(totals['pass_rate'])}.")
        if totals["not_judged"]:
            totals_text += f" {totals['not_judged']} could not be judged."
        if totals["not_inspected"]:
            totals_text += f" {totals['not_inspected']} registered websites were not inspected."

    # problems by category
    problem_sections = []
    for number, group in enumerate(notice["categories"]):
        heading = (f"（{ZH_ORDINALS[number]}）{group['label']}方面" if zh
                   else f"({EN_ORDINALS[number]}) {group['label'].capitalize()}")
        items = []
        for check in group["checks"]:
            names = _join([q(name) for name in check["examples"]], lang)
            if zh:
                items.append(f"{check['title']}：{check['sites']}个网站存在此问题，如{names}。")
            else:
                items.append(f"{check['title']}: {check['sites']} website(s), such as {names}.")
        if not items:
            items.append("本季度检查未发现此类问题。" if zh else
                         "No such problem was found this quarter.")
        problem_sections.append({"heading": heading, "paragraphs": [], "bullets": items})

    # attachments
    head = (["序号", "网站名称", "网址", "主办单位", "网站标识码", "不合格原因"] if zh else
            ["No.", "Website", "URL", "Organizer", "Site code", "Reasons"])
    rows = [[str(i), u["name"], u["url"], u["organizer"] or "", u["site_code"] or "",
             u["reasons"]] for i, u in enumerate(notice["unqualified"], start=1)]
    attachments = [{"title": (f"附件1：{period}不合格政府网站名单" if zh else
                              f"Attachment 1: unqualified government websites, {period}"),
                    "columns": head, "rows": rows,
                    "empty": "无。" if zh else "None."}]
    status_text = {"completed": ("已完成整改", "completed"),
                   "not-completed": ("未完成整改", "not completed"),
                   "not-verified": ("尚未复查", "not yet reviewed")}
    rect_rows = []
    for i, o in enumerate(rectification, start=1):
        remaining = "；".join if zh else "; ".join
        rect_rows.append([str(i), o["name"], o["url"],
                          status_text[o["status"]][0 if zh else 1],
                          remaining(sorted({_title(catalog, f["check"], lang)
                                            for f in o["remaining"]}))])
    attachments.append({
        "title": (f"附件2：{before}不合格政府网站整改情况" if zh else
                  f"Attachment 2: rectification of the unqualified websites of {before}"),
        "columns": (["序号", "网站名称", "网址", "整改情况", "仍存在的问题"] if zh else
                    ["No.", "Website", "URL", "Rectification", "Problems remaining"]),
        "rows": rect_rows, "empty": "无。" if zh else "None."})
    if not_judged:
        attachments.append({
            "title": f"附件3：{period}未能完成检查的网站" if zh else
                     f"Attachment 3: websites that could not be judged, {period}",
            "columns": ["序号", "网站名称", "网址", "原因"] if zh else
                       ["No.", "Website", "URL", "Reason"],
            "rows": [[str(i), r["name"], r["url"], "；".join(r["reasons"]) if zh
                      else "; ".join(r["reasons"])]
                     for i, r in enumerate(sorted(not_judged, key=lambda r: r["name"]), 1)],
            "empty": ""})

    issuer = config.notice.issuer
    title = (f"关于{period}{config.notice.scope}政府网站检查情况的通报" if zh else
             f"Notice on the inspection of government websites{' in ' + scope if scope else ''}"
             f" in {period}")
    intro = (f"根据国家和{scope}政府网站管理有关要求，{period}对{scope}政府网站运行情况进行了检查。"
             "现将检查情况通报如下：" if zh else
             f"In accordance with the national requirements on the management of government "
             f"websites, the operation of government websites{' in ' + scope if scope else ''} "
             f"was inspected in {period}. The results are reported as follows.")
    return {
        "title": title, "issuer": issuer, "intro": intro,
        "date": _zh_date(date.today().isoformat()) if zh else date.today().isoformat(),
        "sections": [
            {"heading": "一、总体情况" if zh else "1. Overall situation", "subsections": [
                {"heading": (f"（一）{before}问题整改情况" if zh else
                             f"(I) Rectification of the problems of {before}"),
                 "paragraphs": [rect], "bullets": []},
                {"heading": (f"（二）{period}政府网站检查情况" if zh else
                             f"(II) Inspection of government websites in {period}"),
                 "paragraphs": [totals_text], "bullets": []}]},
            {"heading": "二、存在问题" if zh else "2. Problems found",
             "subsections": problem_sections},
        ],
        "attachments": attachments,
    }


def _zh_date(iso: str) -> str:
    day = date.fromisoformat(iso)
    return f"{day.year}年{day.month}月{day.day}日"


# ------------------------------------------------------------------ rendering
def render(notice: dict[str, Any], **_: Any) -> str:
    """The notice as Markdown."""
    return text_env().get_template("notice.md.j2").render(doc=notice["document"],
                                                         lang=notice["lang"])


def render_html(notice: dict[str, Any], **_: Any) -> str:
    return html_env().get_template("notice.html.j2").render(doc=notice["document"],
                                                           lang=notice["lang"])


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
