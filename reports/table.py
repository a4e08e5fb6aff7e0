"""Terminal tables (rich): one row per site, the findings that matter, then the
findings an auditor dismissed; headings and words in the report's language."""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from govsite.checks.base import SEVERITIES
from govsite.i18n import t
from govsite.reports.evidence import dismissal_text, evidence_text
from govsite.reports.i18n import (
    check_title,
    label,
    platform_label,
    severity_label,
    verdict_label,
)
from govsite.reports.rows import titles as check_catalog

VERDICT_STYLE = {"pass": "green", "fail": "bold red", "error": "yellow"}
SEVERITY_STYLE = {"veto": "bold red", "deduct": "red", "warn": "yellow", "info": "dim"}


def sites_table(report: dict[str, Any], lang: str = "en") -> Table:
    run = report["run"]
    summary = report["summary"]
    table = Table(title=t(lang, "Run {run} · as of {as_of} · {passed}/{sites} qualified "
                                "({rate})", run=run["id"], as_of=run["as_of"],
                          passed=summary["passed"], sites=summary["sites"],
                          rate=f"{summary['pass_rate']:.1%}"))
    for column in ("site", "url", "verdict", "score", "vetoes", "findings", "pages"):
        table.add_column(label(lang, column), overflow="fold")
    table.add_column(t(lang, "not judged"), overflow="fold")
    title = Titles(report, lang)
    for site in report["sites"]:
        counts: dict[str, int] = {}
        for finding in site["findings"]:
            counts[finding["severity"]] = counts.get(finding["severity"], 0) + 1
        judged = site["verdict"] != "error"  # its score would count only what could be read
        table.add_row(
            site["name"], site["url"],
            Text(verdict_label(site["verdict"], lang),
                 style=VERDICT_STYLE.get(site["verdict"], "")),
            "" if site["score"] is None or not judged else f"{site['score']:g}",
            title.joined(site["vetoes"]),
            " ".join(f"{severity_label(k, lang)}:{counts[k]}" for k in SEVERITIES if k in counts),
            str(site["pages"]), str(len(site.get("not_judged", ())) or ""))
    return table


class Titles:
    """The report's check titles in `lang` (a check no longer installed: its id),
    its catalogue read once per table."""

    def __init__(self, report: dict[str, Any], lang: str) -> None:
        self.catalog = check_catalog(report)
        self.lang = lang

    def __call__(self, check_id: str) -> str:
        return check_title(self.catalog.get(check_id, check_id), self.lang)

    def joined(self, check_ids: list[str]) -> str:
        return ("、" if self.lang == "zh" else ", ").join(map(self, check_ids))

    def cell(self, check_id: str) -> Text:
        """The title, and the id beneath it (what --baseline and the JSON name)."""
        cell = Text(self(check_id))
        cell.append(f"\n{check_id}", style="dim")
        return cell


def accounts_table(report: dict[str, Any], lang: str = "en") -> Table:
    """The run's government new-media accounts, a row each, with their findings."""
    accounts = report.get("accounts") or []
    passed = sum(a["verdict"] == "pass" for a in accounts)
    table = Table(title=t(lang, "New-media accounts · {passed}/{total} qualified",
                          passed=passed, total=len(accounts)))
    for column in (t(lang, "account"), t(lang, "platform"),
                   *(label(lang, key) for key in ("verdict", "vetoes", "findings"))):
        table.add_column(column, overflow="fold")
    title = Titles(report, lang)
    colon = "：" if lang == "zh" else ": "
    for account in accounts:
        table.add_row(account["name"],
                      f"{platform_label(account['platform'], lang)} {account['account_id']}",
                      Text(verdict_label(account["verdict"], lang),
                           style=VERDICT_STYLE.get(account["verdict"], "")),
                      title.joined(account["vetoes"]),
                      ("；" if lang == "zh" else "; ").join(
                          f"{title(f['check'])}{colon}{f['message']}"
                          for f in account["findings"] if f["severity"] != "info"))
    return table


def findings_table(report: dict[str, Any], lang: str = "en") -> Table:
    table = Table(title=label(lang, "findings"))
    for column in ("site", "check", "severity", "url", "message"):
        table.add_column(label(lang, column), overflow="fold")
    title = Titles(report, lang)
    for site in report["sites"]:
        for finding in site["findings"]:
            if finding["severity"] == "info":
                continue
            message = Text(finding["message"])
            evidence = evidence_text(finding.get("evidence") or {}, lang)
            if evidence:
                message.append("\n" + evidence, style="dim")
            table.add_row(site["name"], title.cell(finding["check"]),
                          Text(severity_label(finding["severity"], lang),
                               style=SEVERITY_STYLE.get(finding["severity"], "")),
                          finding["url"], message)
    return table


def dismissed_table(report: dict[str, Any], lang: str = "en") -> Table:
    table = Table(title=label(lang, "dismissed_heading"))
    for column in ("site", "check", "fingerprint", "message", "dismissed"):
        table.add_column(label(lang, column), overflow="fold")
    title = Titles(report, lang)
    for site in report["sites"]:
        for finding in site.get("dismissed", []):
            table.add_row(site["name"], title.cell(finding["check"]), finding.get("fingerprint", ""),
                          finding["message"], dismissal_text(finding["dismissal"], lang))
    return table


def render(report: dict[str, Any], *, width: int = 160, lang: str = "en", **_: Any) -> str:
    buffer = io.StringIO()
    print_report(report, Console(file=buffer, width=width, no_color=True), lang)
    return buffer.getvalue()


def print_report(report: dict[str, Any], console: Console, lang: str = "en") -> None:
    if report["sites"] or not report.get("accounts"):
        console.print(sites_table(report, lang))
    if any(site["findings"] for site in report["sites"]):
        console.print(findings_table(report, lang))
    if any(site.get("dismissed") for site in report["sites"]):
        console.print(dismissed_table(report, lang))
    if report.get("accounts"):
        console.print(accounts_table(report, lang))
