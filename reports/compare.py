"""`govsite report --compare A B`: which problems are new, resolved, persisting.

Problems are findings of severity veto, deduct or warn, matched by fingerprint
(checks.evaluate.fingerprint: the site, the check, the normalised location);
a finding saying the check could not judge a place (evidence `judged: false`)
is not a problem, and a problem of A at such a place in B is unverified.
For each site of run B:
- new: found by B, not by A (every problem of a site A did not inspect is new);
- persisting: found by both;
- resolved: found by A, not by B, where B could have seen it: B evaluated
  the problem's check and the site opened (storage.tracking.can_resolve);
- unverified: found by A, not by B, where B could not have seen it.
Sites of A that B did not inspect are listed as not inspected.
"""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console
from rich.table import Table

from govsite.checks.home import home_failed
from govsite.i18n import msg
from govsite.reports.model import ReportError, check_catalog, evaluated_checks, load_results
from govsite.storage.db import Store
from govsite.storage.models import Run
from govsite.storage.tracking import TRACKED_SEVERITIES, can_resolve

GROUPS = ("new", "resolved", "persisting", "unverified", "not_inspected")


def _run_meta(run: Run) -> dict[str, Any]:
    return {"id": run.id, "command": run.command, "as_of": run.as_of.isoformat(),
            "status": run.status, "source_run": run.source_run_id}


def _problem(site: dict[str, Any], finding: dict[str, Any]) -> dict[str, Any]:
    return {"site": site["name"], "site_url": site["url"], "check": finding["check"],
            "severity": finding["severity"], "url": finding["url"],
            "message": finding["message"], "fingerprint": finding["fingerprint"]}


def _judged(finding: dict[str, Any]) -> bool:
    return (finding.get("evidence") or {}).get("judged") is not False


def _problem_of(finding: dict[str, Any]) -> bool:
    """A problem, not a note: a tracked severity, about a place the check could judge."""
    return finding["severity"] in TRACKED_SEVERITIES and _judged(finding)


def build_compare(store: Store, run_a: int, run_b: int) -> dict[str, Any]:
    catalog = check_catalog()
    with store.sessions() as session:
        runs = {}
        for run_id in (run_a, run_b):
            run = session.get(Run, run_id)
            if run is None:
                raise ReportError(msg("run {run} not found", run=run_id))
            runs[run_id] = run
        before = {r["site_id"]: r for r in load_results(session, [run_a], catalog)}
        after = {r["site_id"]: r for r in load_results(session, [run_b], catalog)}
        meta_a, meta_b = _run_meta(runs[run_a]), _run_meta(runs[run_b])
    groups: dict[str, list[dict[str, Any]]] = {name: [] for name in GROUPS}
    for site_id, site_b in sorted(after.items(), key=lambda kv: kv[1]["name"]):
        found_b = {f["fingerprint"]: f for f in site_b["findings"] if _problem_of(f)}
        unjudged_b = {f["fingerprint"] for f in site_b["findings"] if not _judged(f)}
        site_a = before.get(site_id)
        found_a = {} if site_a is None else {f["fingerprint"]: f for f in site_a["findings"]
                                             if _problem_of(f)}
        checked = set(evaluated_checks(site_b["config_json"], catalog,
                                       {f["check"] for f in site_b["findings"]}))
        if site_b["verdict"] == "error":  # a crashed check proves nothing
            checked -= {f["check"] for f in site_b["findings"]
                        if f["message"].startswith("check failed to evaluate")}
        gate = home_failed(f["check"] for f in found_b.values())
        for fp, finding in found_b.items():
            groups["persisting" if fp in found_a else "new"].append(_problem(site_b, finding))
        for fp, finding in found_a.items():
            if fp in found_b:
                continue
            group = ("resolved" if fp not in unjudged_b
                     and can_resolve(finding["check"], checked, gate) else "unverified")
            groups[group].append(_problem(site_b, finding))
    for site_id, site_a in sorted(before.items(), key=lambda kv: kv[1]["name"]):
        if site_id not in after:
            groups["not_inspected"] += [_problem(site_a, f) for f in site_a["findings"]
                                        if _problem_of(f)]
    return {"kind": "compare", "from": meta_a, "to": meta_b,
            "summary": {name: len(items) for name, items in groups.items()}, **groups}


def print_compare(compare: dict[str, Any], console: Console) -> None:
    summary = compare["summary"]
    console.print(f"Run {compare['from']['id']} ({compare['from']['as_of']}) → run "
                  f"{compare['to']['id']} ({compare['to']['as_of']}): "
                  + ", ".join(f"{summary[g]} {g.replace('_', ' ')}" for g in GROUPS),
                  highlight=False)
    for group in GROUPS:
        if not compare[group]:
            continue
        table = Table(title=group.replace("_", " "))
        for column in ("site", "check", "severity", "url", "message"):
            table.add_column(column, overflow="fold")
        for problem in compare[group]:
            table.add_row(problem["site"], problem["check"], problem["severity"],
                          problem["url"], problem["message"])
        console.print(table)


def render_table(compare: dict[str, Any], *, width: int = 160, **_: Any) -> str:
    buffer = io.StringIO()
    print_compare(compare, Console(file=buffer, width=width, no_color=True))
    return buffer.getvalue()
