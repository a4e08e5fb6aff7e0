"""`govsite recheck SITE`: the auditor re-verifies a site's open problems, quickly.

What is fetched: the home page (a site that does not open cannot show that
anything was fixed), and the URL of every open problem (storage.tracking),
each with the depth and purpose it had when the problem was last seen, so
the checks read it as they did then. Ordinary links are not followed
(`crawl.max_depth` 0); the pages a check asks for (`Check.wants`: a site map's
columns, a board's pages) still are, within the usual bounds, so a check
that judges a site as a whole (five empty columns) gets what it needs.

What is evaluated: only the checks that own an open problem, plus
site-unreachable. The outcome is a run with command `recheck`: its findings,
and a verdict over them, are written like any run's, and the problems it
looked for and did not find again are marked resolved by it. A recheck does
not look for new kinds of problems; the next crawl does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

from govsite.checks.home import HOME_CHECK
from govsite.checks.registry import available_checks
from govsite.config import Config
from govsite.crawler.state import Seed
from govsite.storage.db import Store
from govsite.storage.models import Page, Site
from govsite.storage.tracking import open_problems
from govsite.web.urls import canonical

HOME_CHECKS = frozenset({HOME_CHECK})


@dataclass
class RecheckPlan:
    site: Site
    problems: list[Any]
    seeds: list[Seed]
    checks: list[str]
    unavailable: list[str] = field(default_factory=list)  # checks no longer installed


def plan_recheck(store: Store, site: Site) -> RecheckPlan:
    """What a recheck of the site fetches and evaluates."""
    known = available_checks()
    with store.sessions() as session:
        problems = open_problems(session, site.id)
        seeds = [Seed(site.url, 0, "crawl")]
        seen = {canonical(site.url)}
        for problem in problems:
            if not problem.url.lower().startswith(("http://", "https://")):
                continue
            url = canonical(problem.url)
            if url in seen:
                continue
            seen.add(url)
            page = session.scalars(select(Page).where(
                Page.run_id == problem.last_seen_run_id, Page.site_id == site.id,
                (Page.url == url) | (Page.final_url == problem.url)).limit(1)).first()
            if page is not None:
                seeds.append(Seed(url, max(page.depth, 1), page.purpose, page.referrer))
            else:
                seeds.append(Seed(url, 1, "crawl"))
    owners = sorted({p.check for p in problems})
    checks = sorted((set(owners) & set(known)) | (HOME_CHECKS & set(known)))
    return RecheckPlan(site, problems, seeds, checks,
                       unavailable=[c for c in owners if c not in known])


def recheck_config(config: Config, plan: RecheckPlan) -> Config:
    """The config of the recheck run: only the plan's checks, ordinary links not followed."""
    blocks = {check_id: dict(config.checks.get(check_id) or {})
              for check_id in available_checks()}
    for check_id, block in blocks.items():
        if check_id not in plan.checks:
            block["enabled"] = False
    crawl = config.crawl.model_copy(update={"max_depth": 0})
    return config.model_copy(update={"checks": blocks, "crawl": crawl})


def run_recheck(store: Store, config: Config, plan: RecheckPlan, *, as_of: date,
                progress: Any = None, evidence: bool = True) -> int:
    """Fetch and evaluate what the plan says, recorded as a `recheck` run; its id.

    The crawl machinery is the inspection's own (crawler.runner.run_inspection,
    with its rendering and bounds), started from the plan's seeds.
    """
    from govsite.crawler.runner import run_inspection

    return run_inspection(store, recheck_config(config, plan), [plan.site], as_of=as_of,
                          command="recheck", progress=progress, evidence=evidence,
                          seeds={plan.site.id: plan.seeds})


def outcome(store: Store, plan: RecheckPlan, run_id: int) -> tuple[int, int, int]:
    """Of the plan's problems after the recheck run: resolved, still present, not verified."""
    from govsite.storage.models import Problem

    ids = [p.id for p in plan.problems]
    with store.sessions() as session:
        problems = session.scalars(select(Problem).where(Problem.id.in_(ids))).all()
    resolved = sum(p.resolved_run_id == run_id for p in problems)
    persisting = sum(p.last_seen_run_id == run_id and p.resolved_run_id is None
                     for p in problems)
    return resolved, persisting, len(problems) - resolved - persisting
