"""Flat rows of a report for the tabular formats (csv, xlsx): sites and findings.

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
    severity_label,
    verdict_label,
)

SITE_COLUMNS = ("site", "url", "site_code", "organizer", "region", "kind", "verdict", "score",
                "vetoes", "reasons", "pages", "findings")
FINDING_COLUMNS = ("site", "url", "site_code", "verdict", "score", "check_id", "check",
                   "category", "severity", "finding_url", "message", "evidence", "fingerprint",
                   "screenshot", "dismissed")
# Cells whose text a spreadsheet would run as a formula (CSV/formula injection).
_FORMULA_START = ("=", "+", "@", "\t", "\r", "-")


def titles(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The report's checks by id: what check_title reads a title from."""
    return {check["id"]: check for check in report.get("checks", [])}


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
            rows.append([*head, *[""] * (len(FINDING_COLUMNS) - len(head))])
        for finding in [*site["findings"], *dismissed]:
            evidence = finding.get("evidence") or {}
            rows.append([
                *head, finding["check"],
                check_title(names.get(finding["check"], finding["check"]), lang),
                category_label(finding.get("category", ""), lang),
                severity_label(finding["severity"], lang), finding["url"], finding["message"],
                evidence_text(evidence, lang), finding.get("fingerprint") or "",
                str(evidence.get("screenshot") or ""),
                dismissal_text(finding["dismissal"], lang) if finding.get("dismissal") else ""])
    return rows


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
