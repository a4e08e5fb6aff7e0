"""Judge a site: load its stored evidence, evaluate the checks, score, write the result.

One module for the one job the crawl (at each site's end), `rescore` and
`recheck` all do, so they cannot judge differently. Evaluation and scoring
are pure (scoring.score.judge_site); this module adds the store on both
sides: storage only reads and writes rows.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from govsite.checks.base import Check, Fact, Finding, PageSummary, SiteInfo
from govsite.checks.site_unreachable import VISIT_KIND, SiteUnreachable
from govsite.scoring.score import Judgement, judge_site
from govsite.storage.overrides import active_dismissals
from govsite.storage.recorder import RunRecorder
from govsite.storage.visits import stored_visits


def site_evidence(evidence: RunRecorder, site_id: int, as_of: date | None
                  ) -> tuple[list[PageSummary], list[Fact]]:
    """The run's pages and facts of the site and, with `as_of`, the home-page
    visits `govsite probe` recorded before it, as site-unreachable facts (so
    evaluation stays a function of the evidence it is given)."""
    pages, facts = evidence.load_evidence(site_id)
    if as_of is not None:
        facts += [Fact(SiteUnreachable.id, "", VISIT_KIND, visit)
                  for visit in stored_visits(evidence.store, site_id, as_of)]
    return pages, facts


def judge_and_record(recorder: RunRecorder, site: SiteInfo, checks: list[Check], as_of: date,
                     *, evidence: RunRecorder | None = None,
                     adjust: Callable[[Finding], Finding] | None = None,
                     partial: bool = False) -> Judgement:
    """Judge the site on `evidence`'s stored run (default: the recorder's own)
    and write findings and verdict into the recorder's run, in one transaction.
    `adjust`: a last change to each finding before it is written (rescore
    carries crawl-time screenshots over). The auditor's dismissals in force
    on `as_of` (storage.overrides) are left out of the score and stored with
    their findings, in crawl, recheck and rescore alike. `partial`: an
    interrupted crawl's site, judged on what it had (RunRecorder.write_result)."""
    recorder.flush()
    pages, facts = site_evidence(evidence or recorder, site.id, as_of)
    dismissals = active_dismissals(recorder.store, site.id, as_of)
    judged = judge_site(checks, site, as_of, pages, facts, recorder.config.scoring,
                        dismissed=dismissals)
    findings = [adjust(f) for f in judged.findings] if adjust else judged.findings
    recorder.write_result(site, findings, judged.verdict, len(pages), checked=judged.checked,
                          partial=partial,
                          dismissals={fp: dismissals[fp] for fp in judged.dismissed})
    return judged
