"""`govsite rescore`: re-evaluate a stored run under other rules, without the network.

The stored run is never changed. Its pages and facts are evaluated again by
every check enabled in the given config (`checks.evaluate.evaluate_site`)
and scored under its `scoring` rules; the findings and verdicts are written
as a NEW run (command `rescore`, `runs.source_run_id` = the run re-scored,
same as-of date, the new config and its hash), so an auditor sees both
verdicts side by side (`govsite report --compare SOURCE NEW`).

A rescore run holds no pages or facts of its own: its evidence is the first
run up its `source_run_id` chain that is not a rescore. Screenshots and other
evidence captured at crawl time are carried over by finding fingerprint when
the re-evaluated finding has none. Rescore runs do not update rectification
tracking (storage.tracking): they re-judge old evidence, they do not observe
the site.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import func, select

from govsite.checks.base import Finding
from govsite.checks.evaluate import fingerprint
from govsite.checks.registry import enabled_checks
from govsite.config import Config
from govsite.i18n import msg
from govsite.scoring.accounts import rejudge_accounts
from govsite.scoring.judge import judge_and_record
from govsite.storage.db import Store
from govsite.storage.models import (
    AccountResult,
    FindingRow,
    Run,
    Site,
    SiteCrawl,
    SiteResult,
)
from govsite.storage.recorder import RunRecorder, site_info

CARRIED_EVIDENCE = ("screenshot", "screenshot_error")
COUNTERS = ("pages_fetched", "pages_failed", "pages_rendered", "offsite_fetches", "limits_hit")


class RescoreError(Exception):
    """The run cannot be re-scored; one line for the user."""


def evidence_run_id(store: Store, run_id: int) -> int:
    """The run holding the pages and facts behind `run_id` (itself, unless a rescore)."""
    seen: set[int] = set()
    with store.sessions() as session:
        run = session.get(Run, run_id)
        while run is not None and run.command == "rescore" and run.source_run_id is not None:
            if run.id in seen:
                raise RescoreError(msg("run {run}: source_run_id chain loops at run {loop}",
                                        run=run_id, loop=run.id))
            seen.add(run.id)
            run = session.get(Run, run.source_run_id)
        if run is None:
            raise RescoreError(msg("run {run}: its source run no longer exists", run=run_id))
        return run.id


def _carry_over(finding: Finding, site_url: str,
                before: dict[str, dict[str, object]]) -> Finding:
    old = before.get(fingerprint(site_url, finding))
    if not old:
        return finding
    extra = {k: old[k] for k in CARRIED_EVIDENCE if k in old and k not in finding.evidence}
    return replace(finding, evidence={**finding.evidence, **extra}) if extra else finding


def rescore_run(store: Store, config: Config, source_run_id: int) -> int:
    """Re-evaluate and re-score every site of the run; return the new run's id."""
    checks = enabled_checks(config)
    with store.sessions() as session:
        source = session.get(Run, source_run_id)
        if source is None:
            raise RescoreError(msg("run {run} not found", run=source_run_id))
        if source.status == "running":
            raise RescoreError(msg("run {run} is still running: re-score it when done",
                                    run=source_run_id))
        as_of = source.as_of
        crawls = session.scalars(select(SiteCrawl).where(SiteCrawl.run_id == source_run_id)
                                 .order_by(SiteCrawl.site_id)).all()
        sites = {s.id: s for s in session.scalars(select(Site).where(
            Site.id.in_([c.site_id for c in crawls])))}
        old_verdicts = dict(session.execute(select(SiteResult.site_id, SiteResult.verdict)
                                            .where(SiteResult.run_id == source_run_id)).all())
        before: dict[int, dict[str, dict[str, object]]] = {}
        for row in session.scalars(select(FindingRow).where(
                FindingRow.run_id == source_run_id)):
            before.setdefault(row.site_id, {})[row.fingerprint] = row.evidence or {}
        accounts = session.scalar(select(func.count()).select_from(AccountResult).where(
            AccountResult.run_id == source_run_id)) or 0
    if not crawls and not accounts:
        raise RescoreError(msg("run {run} inspected no site and no account", run=source_run_id))
    evidence = RunRecorder(store, config, evidence_run_id(store, source_run_id),
                           track_problems=False)
    recorder = RunRecorder.start_run(store, config, "rescore", as_of,
                                     [c.site_id for c in crawls], source_run_id=source_run_id)
    changed = pages_total = accounts = 0
    status = "failed"
    try:
        for crawl in crawls:
            recorder.set_counters(crawl.site_id, **{k: getattr(crawl, k) for k in COUNTERS})
        recorder.flush()
        for crawl in crawls:
            info = site_info(sites[crawl.site_id])
            carried = before.get(info.id, {})
            judged = judge_and_record(recorder, info, checks, as_of, evidence=evidence,
                                      adjust=lambda f, url=info.url, old=carried:
                                      _carry_over(f, url, old))
            pages_total += judged.pages
            changed += old_verdicts.get(info.id) != judged.verdict.verdict
        accounts, accounts_changed = rejudge_accounts(
            store, config, source_run=source_run_id, evidence_run=evidence.run_id,
            new_run=recorder.run_id, as_of=as_of)
        changed += accounts_changed
        status = "done"
    finally:
        recorder.finish_run(status, {"sites": len(crawls), "pages": pages_total,
                                     "source_run": source_run_id,
                                     "evidence_run": evidence.run_id,
                                     "accounts": accounts, "verdicts_changed": changed})
    return recorder.run_id
