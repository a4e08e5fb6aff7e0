"""Terminal tables (rich): one row per site, then the findings that matter."""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from govsite.reports.i18n import VERDICTS

VERDICT_STYLE = {"pass": "green", "fail": "bold red", "error": "yellow"}
SEVERITY_STYLE = {"veto": "bold red", "deduct": "red", "warn": "yellow", "info": "dim"}


def sites_table(report: dict[str, Any]) -> Table:
    run = report["run"]
    summary = report["summary"]
    table = Table(title=f"Run {run['id']} · as of {run['as_of']} · {summary['passed']}/"
                        f"{summary['sites']} qualified ({summary['pass_rate']:.1%})")
    for column in ("site", "url", "verdict", "score", "vetoes", "findings", "pages",
                   "not judged"):
        table.add_column(column, overflow="fold")
    for site in report["sites"]:
        counts: dict[str, int] = {}
        for finding in site["findings"]:
            counts[finding["severity"]] = counts.get(finding["severity"], 0) + 1
        judged = site["verdict"] != "error"  # its score would count only what could be read
        table.add_row(
            site["name"], site["url"],
            Text(site["verdict"] if judged else VERDICTS["en"]["error"],
                 style=VERDICT_STYLE.get(site["verdict"], "")),
            "" if site["score"] is None or not judged else f"{site['score']:g}",
            ", ".join(site["vetoes"]),
            " ".join(f"{k}:{v}" for k, v in sorted(counts.items())),
            str(site["pages"]), str(len(site.get("not_judged", ())) or ""))
    return table


def accounts_table(report: dict[str, Any]) -> Table:
    """The run's government new-media accounts, a row each, with their findings."""
    accounts = report.get("accounts") or []
    passed = sum(a["verdict"] == "pass" for a in accounts)
    table = Table(title=f"New-media accounts · {passed}/{len(accounts)} qualified")
    for column in ("account", "platform", "verdict", "vetoes", "findings"):
        table.add_column(column, overflow="fold")
    for account in accounts:
        table.add_row(account["name"], f"{account['platform']} {account['account_id']}",
                      Text(account["verdict"] if account["verdict"] != "error"
                           else VERDICTS["en"]["error"],
                           style=VERDICT_STYLE.get(account["verdict"], "")),
                      ", ".join(account["vetoes"]),
                      "; ".join(f"{f['check']}: {f['message']}" for f in account["findings"]
                                if f["severity"] != "info"))
    return table


def findings_table(report: dict[str, Any]) -> Table:
    table = Table(title="Findings")
    for column in ("site", "check", "severity", "url", "message"):
        table.add_column(column, overflow="fold")
    for site in report["sites"]:
        for finding in site["findings"]:
            if finding["severity"] == "info":
                continue
            table.add_row(site["name"], finding["check"],
                          Text(finding["severity"],
                               style=SEVERITY_STYLE.get(finding["severity"], "")),
                          finding["url"], finding["message"])
    return table


def render(report: dict[str, Any], *, width: int = 160, **_: Any) -> str:
    buffer = io.StringIO()
    print_report(report, Console(file=buffer, width=width, no_color=True))
    return buffer.getvalue()


def print_report(report: dict[str, Any], console: Console) -> None:
    if report["sites"] or not report.get("accounts"):
        console.print(sites_table(report))
    if any(site["findings"] for site in report["sites"]):
        console.print(findings_table(report))
    if report.get("accounts"):
        console.print(accounts_table(report))
