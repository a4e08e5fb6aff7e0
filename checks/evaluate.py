"""Run every enabled check's evaluation over a site's stored evidence.

Pure: no network. A check that raises becomes an `error` finding for that
check rather than losing the site's other results.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

from govsite.checks.base import (
    EXTRACT_ERROR,
    Check,
    Fact,
    Finding,
    PageSummary,
    SiteEvidence,
    SiteInfo,
)
from govsite.checks.home import home_opened
from govsite.i18n import msg
from govsite.web.urls import canonical


def fingerprint(site_url: str, finding: Finding) -> str:
    """Stable across runs: the site, the check and the normalised location."""
    location = canonical(finding.url) if finding.url.startswith("http") else finding.url
    key = "|".join((canonical(site_url), finding.check, location,
                    str(finding.evidence.get("key", ""))))
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def evaluate_site(checks: list[Check], site: SiteInfo, as_of, pages: list[PageSummary],
                  facts: list[Fact]) -> tuple[list[Finding], list[str]]:
    """All findings for a site, and the ids of checks that failed to evaluate."""
    by_check: dict[str, list[Fact]] = defaultdict(list)
    for fact in facts:
        by_check[fact.check].append(fact)
    findings: list[Finding] = []
    broken: list[str] = []
    opened = home_opened(pages)
    for check in checks:
        if check.requires_home_page and not opened:
            continue
        facts_of_check = by_check.get(check.id, [])
        failed_pages = [f.url for f in facts_of_check if f.kind == EXTRACT_ERROR]
        if failed_pages:
            text = msg("check could not read {count} page(s); they were not judged",
                       count=len(failed_pages))
            findings.append(Finding(check.id, "warn", failed_pages[0], str(text),
                                    {"pages": failed_pages[:20], "judged": False},
                                    text.msgid, text.stored()))
        evidence = SiteEvidence(site, as_of, pages,
                                [f for f in facts_of_check if f.kind != EXTRACT_ERROR])
        try:
            findings.extend(check.evaluate(evidence))
        except Exception as exc:  # one bad check must not lose the site's result
            broken.append(check.id)
            text = msg("check failed to evaluate: {error}", error=f"{type(exc).__name__}: {exc}")
            findings.append(Finding(check.id, "warn", site.url, str(text), {},
                                    text.msgid, text.stored()))
    return findings, broken
