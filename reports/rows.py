"""Flat rows of a report for the tabular formats (csv, xlsx): sites, new-media
accounts, and the findings of both (an account's in the same columns, its
platform and account id where a site has its code, `subject` telling them apart).

Headers and the labels of verdicts, severities and categories follow `lang`;
check ids and fingerprints stay as they are, for matching across runs.
"""

from __future__ import annotations

from typing import Any

from govsite.reports.evidence import dismissal_text, evidence_text
from govsite.reports.i18n import (
    category_label,
    check_title,
    label,
    localize_reasons,
    platform_label,
    severity_label,
    verdict_label,
)

SITE_COLUMNS = ("site", "url", "site_code", "organizer", "region", "kind", "verdict", "score",
                "vetoes", "reasons", "pages", "findings")
FINDING_COLUMNS = ("site", "url", "site_code", "verdict", "score", "check_id", "check",
                   "category", "severity", "finding_url", "message", "evidence", "fingerprint",
                   "screenshot", "dismissed", "subject")
ACCOUNT_COLUMNS = ("account", "platform", "account_id", "organizer", "region", "verdict",
                   "score", "vetoes", "reasons", "findings")
# Cells whose text a spreadsheet would run as a formula (CSV/formula injection).
_FORMULA_START = ("=", "+", "@", "\t", "\r", "-")


def titles(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The report's checks by id, the account checks' too when it has accounts:
    what check_title reads a title from."""
    found = {check["id"]: check for check in report.get("checks", [])}
    if report.get("accounts"):
        from govsite.reports.account_model import account_catalog

        found = {**account_catalog(), **found}
    return found


def headers(columns: tuple[str, ...], lang: str) -> list[str]:
    return [label(lang, column) for column in columns]


def _score(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def site_rows(report: dict[str, Any], lang: str) -> list[list[Any]]:
    names = titles(report)
    rows = []
    for site in report["sites"]:
        rows.append([
            site["name"], site["url"], site.get("site_code") or "", site.get("organizer") or "",
            site.get("region") or "", site.get("kind") or "",
            verdict_label(site["verdict"], lang), _score(site["score"]),
            "; ".join(check_title(names.get(v, v), lang) for v in site["vetoes"]),
            "; ".join(localize_reasons(site.get("reasons") or [], names, lang)), site["pages"],
            len(site["findings"])])
    return rows


def finding_rows(report: dict[str, Any], lang: str, *,
                 include_clean_sites: bool = False) -> list[list[Any]]:
    """One row per finding, then the site's dismissed findings (their `dismissed`
    cell says by whom and why); with include_clean_sites a site without
    findings gets a row of its own with the finding columns empty."""
    names = titles(report)
    rows = []
    for site in report["sites"]:
        head = [site["name"], site["url"], site.get("site_code") or "",
                verdict_label(site["verdict"], lang), _score(site["score"])]
        dismissed = site.get("dismissed") or []
        if not site["findings"] and not dismissed and include_clean_sites:
            rows.append([*head, *[""] * (len(FINDING_COLUMNS) - len(head) - 1),
                         label(lang, "subject_site")])
        for finding in [*site["findings"], *dismissed]:
            rows.append([*head, *finding_cells(finding, names, lang),
                         label(lang, "subject_site")])
    rows += account_finding_rows(report, lang, include_clean=include_clean_sites, names=names)
    return rows


def account_rows(report: dict[str, Any], lang: str) -> list[list[Any]]:
    """A row per government new-media account the run inspected."""
    names = titles(report)
    return [[account["name"], platform_label(account["platform"], lang), account["account_id"],
             account.get("organizer") or "", account.get("region") or "",
             verdict_label(account["verdict"], lang), _score(account["score"]),
             "; ".join(check_title(names.get(v, v), lang) for v in account["vetoes"]),
             "; ".join(localize_reasons(account.get("reasons") or [], names, lang)),
             len(account["findings"])] for account in report.get("accounts") or []]


def account_finding_rows(report: dict[str, Any], lang: str, *, include_clean: bool = False,
                         names: dict[str, dict[str, Any]] | None = None) -> list[list[Any]]:
    """An account's findings in FINDING_COLUMNS: its feed where a site has its URL,
    `platform account_id` where a site has its code."""
    names = titles(report) if names is None else names
    rows = []
    for account in report.get("accounts") or []:
        head = [account["name"], account.get("feed_url") or "",
                f"{platform_label(account['platform'], lang)} {account['account_id']}",
                verdict_label(account["verdict"], lang), _score(account["score"])]
        tail = label(lang, "subject_account")
        if not account["findings"] and include_clean:
            rows.append([*head, *[""] * (len(FINDING_COLUMNS) - len(head) - 1), tail])
        for finding in account["findings"]:
            rows.append([*head, *finding_cells(finding, names, lang), tail])
    return rows


def finding_cells(finding: dict[str, Any], names: dict[str, dict[str, Any]],
                  lang: str) -> list[Any]:
    """A finding's cells of FINDING_COLUMNS, from check_id to dismissed."""
    evidence = finding.get("evidence") or {}
    return [finding["check"], check_title(names.get(finding["check"], finding["check"]), lang),
            category_label(finding.get("category", ""), lang),
            severity_label(finding["severity"], lang), finding["url"], finding["message"],
            evidence_text(evidence, lang), finding.get("fingerprint") or "",
            str(evidence.get("screenshot") or ""),
            dismissal_text(finding["dismissal"], lang) if finding.get("dismissal") else ""]


def defuse(value: Any) -> Any:
    """Text a spreadsheet would take for a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        if value.startswith("-") and _is_number(value):
            return value
        return "'" + value
    return value


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
