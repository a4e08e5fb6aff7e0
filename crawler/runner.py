"""Run one inspection crawl over a list of sites and record it in the store."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from scrapy.crawler import CrawlerProcess

from govsite.checks.registry import enabled_checks
from govsite.config import Config
from govsite.crawler.analysis_pool import AnalysisPool, worker_count
from govsite.crawler.browser import find_chromium, print_hint_once
from govsite.crawler.feeds import FeedPlan, FeedSpider
from govsite.crawler.progress import NullProgress
from govsite.crawler.render import Renderer
from govsite.crawler.settings import scrapy_settings
from govsite.crawler.spider import InspectionSpider
from govsite.crawler.state import CrawlPlan, Seed, SiteState
from govsite.crawler.tls import record_tls
from govsite.scoring.accounts import AccountJudges, judge_and_record_account
from govsite.scoring.judge import judge_and_record
from govsite.storage.account_runs import account_info
from govsite.storage.db import Store
from govsite.storage.journal import journal_index
from govsite.storage.models import Account, Site
from govsite.storage.recorder import RunRecorder, site_info
from govsite.storage.resume import (
    FEED_ACCOUNTS,
    mark_interrupted,
    note_feed_accounts,
    run_feed_accounts,
)
from govsite.web.addresses import allowed_classes
from govsite.web.urls import host_key


class _OneLine(logging.Filter):
    """Keeps a record's message, drops its traceback: Scrapy's robots.txt
    middleware logs a 60-line traceback for every site whose robots.txt does
    not answer, which the run records as the site's failure anyway."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info, record.exc_text = None, None
        return True


_ONE_LINE = _OneLine()
_ONE_LINE_LOGGERS = ("scrapy.downloadermiddlewares.robotstxt",)


def site_policy(site: Site, config: Config) -> str:
    """The registry row's render policy, else the config's."""
    return site.render_policy if site.render_policy in ("never", "auto", "always") \
        else config.render.policy


def run_inspection(store: Store, config: Config, sites: list[Site], *, as_of: date,
                   command: str = "crawl", progress: NullProgress | None = None,
                   log_level: str = "ERROR", evidence: bool = True,
                   seeds: dict[int, list[Seed]] | None = None,
                   resume_run: int | None = None,
                   accounts: list[Account] | None = None) -> int:
    """Crawl, extract, evaluate and score every site; return the run id.

    Pages are rendered in Chromium as each site's render policy says (see
    crawler/spider.py). With `evidence`, every finding whose page was fetched
    gets a screenshot once the crawl is over (crawler/evidence.py). Without a
    browser the run goes on: pages that needed rendering are recorded as not
    rendered, and how to install one is printed once on stderr.

    `seeds`: where a site's crawl starts (default: its home page); a recheck
    starts from the pages of the site's open problems.

    `resume_run`: go on with that interrupted run (storage/resume.py): `sites`
    are its unfinished sites, already cleared; its finished ones stay as they are.

    `accounts`: government new-media accounts whose feeds are read in the same
    crawl (crawler/feeds.py) and judged once it is over (scoring/accounts.py).

    Scrapy's reactor can start once per process, so one call per process.
    """
    progress = progress or NullProgress()
    checks = enabled_checks(config)
    recorder = RunRecorder(store, config, resume_run) if resume_run is not None else \
        RunRecorder.start_run(store, config, command, as_of, [s.id for s in sites])
    states = {site.id: site_state(site, config) for site in sites}
    record_tls(recorder, checks, {sid: s.info.url for sid, s in states.items()},
               config.crawl.user_agent)
    wants_render = any(state.render_policy != "never" for state in states.values())
    executable = browser_for(config, wants_render or evidence)
    renderer = Renderer(executable if wants_render else None)
    judges = AccountJudges.of(config)
    feeds = feed_plan(store, config, recorder.run_id, as_of, accounts or [], judges)
    if resume_run is None:  # a new run's feed accounts are those it reads now
        feed_ids = sorted(feeds.accounts)
        if feed_ids:
            note_feed_accounts(store, recorder.run_id, feed_ids)
    else:
        feed_ids = run_feed_accounts(store, resume_run)
    analysis = start_analysis(config, checks)
    plan = CrawlPlan(config=config, recorder=recorder, checks=checks, as_of=as_of,
                     sites=states, progress=progress, renderer=renderer, analysis=analysis,
                     seeds=seeds or {},
                     replay={} if resume_run is None else journal_index(store, resume_run,
                                                                       list(states)))
    process = crawler_process(
        config, log_level, renderer,
        [state.info.host for state in states.values()]
        + [host_key(a.feed_url) for a in feeds.accounts.values() if a.feed_url])
    progress.start(len(sites))
    status = "done"
    crawled = False
    stats: dict[str, Any] = {}
    try:
        if states or not feeds.accounts:
            process.crawl(InspectionSpider, plan=plan)
        if feeds.accounts:
            process.crawl(FeedSpider, plan=feeds)
        process.start()
        crawled = True
    except KeyboardInterrupt:
        status = "interrupted"
    finally:
        analysis.close()
        # A site the crawl never finished (interrupted, closed early) is still
        # evaluated on what was fetched, so no fetched page is lost.
        stopped = [state for state in states.values() if not state.done]
        for state in stopped:
            status = "interrupted" if status == "done" else status
            state.done = True
            plan.verdicts[state.info.id] = judge_and_record(
                recorder, state.info, checks, as_of, partial=True).verdict.verdict
        if stopped:  # judged on what they had; `crawl --resume` crawls them again
            mark_interrupted(store, recorder.run_id, [state.info.id for state in stopped])
        account_verdicts = judge_accounts(store, config, judges, feeds)
        progress.stop()
        stats = {
            "pages": sum(s.fetched for s in states.values()),
            "failed": sum(s.failed for s in states.values()),
            "sites": len(sites),
            **({"accounts": account_verdicts} if feeds.accounts else {}),
            **({FEED_ACCOUNTS: feed_ids} if feed_ids else {}),
            **({"resumed_sites": len(sites), "journal_replayed": plan.replayed}
               if resume_run is not None else {}),
            "limits_hit": {s.info.name: sorted(s.limits_hit) for s in states.values()
                           if s.limits_hit},
            "pages_rendered": sum(s.rendered for s in states.values()),
            "memory": plan.memory.stats(config.crawl.memory_ceiling_mb),
            "analysis": analysis.stats(),
            "render": {
                "browser": renderer.executable,
                "unavailable": renderer.unavailable if wants_render else None,
                "sites": {s.info.name: s.render_stats() for s in states.values()},
            },
        }
        shoot = evidence and crawled and status == "done"
        if not shoot:
            recorder.finish_run(status, stats)
    if shoot:
        finish_with_evidence(recorder, executable, stats)
    return recorder.run_id


def site_state(site: Site, config: Config) -> SiteState:
    """What the crawl tracks for one registered site, before its first page."""
    info = site_info(site)
    return SiteState(info=info, hosts={info.host}, allowed_addresses=allowed_classes([info.host]),
                     render_policy=site_policy(site, config))


def browser_for(config: Config, wanted: bool) -> str | None:
    """The Chromium to render and take evidence with, when wanted and found;
    without one, how to install it is printed once."""
    if not wanted:
        return None
    executable = find_chromium(config.browser.executable_path,
                               search_system=config.browser.search_system)
    if executable is None:
        print_hint_once()
    return executable


def start_analysis(config: Config, checks: list[Any]) -> AnalysisPool:
    analysis = AnalysisPool(config, checks, worker_count(config.crawl.analysis_workers),
                            timeout_s=config.crawl.analysis_timeout_s)
    analysis.start()
    return analysis


def crawler_process(config: Config, log_level: str, renderer: Renderer,
                    hosts: list[str]) -> CrawlerProcess:
    """Scrapy's process for the crawl, its loggers quietened to `log_level`;
    `hosts`: every host the run may crawl (the address scope)."""
    logging.getLogger("scrapy").setLevel(log_level)
    logging.getLogger("scrapy-playwright").setLevel(log_level)
    for name in _ONE_LINE_LOGGERS:
        logging.getLogger(name).addFilter(_ONE_LINE)  # once: addFilter skips a filter it has
    return CrawlerProcess(settings=scrapy_settings(
        config, log_level=log_level, browser=renderer.executable, registered_hosts=hosts))


def finish_with_evidence(recorder: RunRecorder, executable: str | None,
                         stats: dict[str, Any]) -> None:
    """Screenshots of the findings' pages, then the run is done."""
    from govsite.crawler.evidence import take_evidence

    try:
        stats["evidence"] = take_evidence(recorder.store, recorder.config, recorder.run_id,
                                          executable)
    except Exception as exc:  # evidence is an attachment: never lose the run over it
        logging.getLogger(__name__).exception("evidence pass failed")
        stats["evidence"] = {"screenshots": 0, "error": f"{type(exc).__name__}: {exc}"}
    recorder.finish_run("done", stats)


def feed_plan(store: Store, config: Config, run_id: int, as_of: date, accounts: list[Any],
              judges: AccountJudges) -> FeedPlan:
    """The feed crawl of the accounts that have a feed (a single-process crawl's, or
    the distributed run's feeds item: crawler/worker.py)."""
    return FeedPlan(store=store, run_id=run_id, as_of=as_of,
                    accounts={a.id: account_info(a) for a in accounts if a.feed_url},
                    max_posts=config.new_media.max_posts, bounds=config.crawl,
                    wording=judges.wording)


def judge_accounts(store: Store, config: Config, judges: AccountJudges,
                   feeds: FeedPlan) -> dict[str, int]:
    """Judge every account of the crawl on what its feed gave (an account whose
    feed never answered, the crawl stopped first, is not judged); verdict counts."""
    counts: dict[str, int] = {}
    for account in feeds.accounts.values():
        verdict = judge_and_record_account(store, feeds.run_id, judges, account, feeds.as_of,
                                           config.scoring).verdict.verdict
        counts[verdict] = counts.get(verdict, 0) + 1
    return counts
