"""Turn a site's findings into a verdict: vetoes, then deductions from 100.

docs/rules.md "Verdict": any failed single-veto item makes a site unqualified;
otherwise deductions start from the base score, each item's deductions
capped at its weight, and a score below the pass line is unqualified.
Portal bonus points never rescue a veto.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from govsite.checks.base import Check, Fact, Finding, PageSummary, SiteInfo
from govsite.checks.evaluate import evaluate_site, fingerprint
from govsite.checks.home import home_opened
from govsite.config import DeductionRule, ScoringConfig


@dataclass(frozen=True)
class Verdict:
    verdict: str  # pass | fail | error
    score: float | None
    vetoes: list[str]
    reasons: list[str]
    counts: dict[str, int] = field(default_factory=dict)


def score_site(findings: Iterable[Finding], rules: ScoringConfig, *, kind: str = "department",
               bonus: float = 0.0) -> Verdict:
    """The verdict for one site from its findings under the scoring rules."""
    findings = list(findings)
    counts = dict(Counter(f.severity for f in findings))
    vetoes = sorted({f.check for f in findings if f.severity == "veto"})
    deducted: dict[str, float] = {}
    for finding in findings:
        if finding.severity != "deduct":
            continue
        rule = rules.deductions.get(finding.check, rules.default_deduction)
        points = rules.place_points.get(finding.check, {}).get(
            str(finding.evidence.get("place")), rule.points)
        deducted[finding.check] = min(deducted.get(finding.check, 0.0) + points, rule.cap)
    score = rules.base_score - sum(deducted.values())
    if (rules.portal_bonus_enabled and kind == "portal" and not vetoes
            and score > rules.portal_bonus_min_score):
        score += min(bonus, rules.portal_bonus_max)
    score = round(max(score, 0.0), 2)
    reasons = [f"single veto: {check}" for check in vetoes]
    reasons += [f"-{points:g} {check}" for check, points in sorted(deducted.items()) if points]
    if score < rules.pass_score:
        reasons.append(f"score {score:g} below {rules.pass_score:g}")
    verdict = "fail" if vetoes or score < rules.pass_score else "pass"
    return Verdict(verdict, score, vetoes, reasons, counts)


@dataclass(frozen=True)
class Judgement:
    """A site's findings and verdict, and which checks were evaluated cleanly."""

    findings: list[Finding]
    verdict: Verdict
    checked: list[str]  # check ids evaluated, without error
    broken: list[str]  # check ids whose evaluation raised
    pages: int = 0  # pages of the evidence judged
    dismissed: frozenset[str] = frozenset()  # fingerprints an auditor dismissed: not counted


def judge_site(checks: list[Check], site: SiteInfo, as_of: date, pages: list[PageSummary],
               facts: list[Fact], rules: ScoringConfig,
               dismissed: Collection[str] = ()) -> Judgement:
    """Evaluate every check over the site's stored evidence and score it.

    Pure (no network, no store): the crawl's end of site and `rescore` both
    call this, so a stored run re-evaluated under the same rules gives the same
    verdict. A check that failed to evaluate makes the verdict `error`: the
    site could not be judged completely. `dismissed`: fingerprints of findings
    an auditor dismissed (storage.overrides): kept, but left out of the score.
    """
    findings, broken = evaluate_site(checks, site, as_of, pages, facts)
    prints = [fingerprint(site.url, f) for f in findings]
    matched = frozenset(fp for fp in prints if fp in dismissed)
    counted = [f for f, fp in zip(findings, prints, strict=True) if fp not in matched]
    verdict = score_site(counted, rules, kind=site.kind)
    # evaluate_site skips the checks that need the home page when it did not open
    opened = home_opened(pages)
    if broken:
        unjudged = f"checks failed: {', '.join(broken)}"
    elif not opened and not verdict.vetoes:
        # Nothing but reachability could be inspected, and that did not veto
        # (too few visits to judge by the rule): no verdict, least of all "pass".
        unjudged = "home page did not open: site not inspected"
    else:
        unjudged = None
    if unjudged is not None:
        verdict = replace(verdict, verdict="error", reasons=[*verdict.reasons, unjudged])
    checked = [c.id for c in checks if c.id not in broken
               and (opened or not getattr(c, "requires_home_page", False))]
    return Judgement(findings, verdict, checked, broken, len(pages), matched)


__all__ = ["DeductionRule", "Judgement", "Verdict", "judge_site", "score_site"]
