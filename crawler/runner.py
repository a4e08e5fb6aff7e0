"""Run one inspection crawl over a list of sites and record it in the store."""

from __future__ import annotations

import logging
from datetime import date

from scrapy.crawler import CrawlerProcess

from govsite.checks.registry import enabled_checks
from govsite.config import Config
from govsite.crawler.progress import NullProgress
from govsite.crawler.settings import scrapy_settings
from govsite.crawler.spider import CrawlPlan, InspectionSpider, SiteState
from govsite.storage.db import Store
from govsite.storage.models import Site
from govsite.storage.recorder import RunRecorder, site_info


def run_inspection(store: Store, config: Config, sites: list[Site], *, as_of: date,
                   command: str = "crawl", progress: NullProgress | None = None,
                   log_level: str = "ERROR") -> int:
    """Crawl, extract, evaluate and score every site; return the run id.

    Scrapy's reactor can start once per process, so one call per process.
    """
    progress = progress or NullProgress()
    checks = enabled_checks(config)
    recorder = RunRecorder.start_run(store, config, command, as_of, [s.id for s in sites])
    states = {}
    for site in sites:
        info = site_info(site)
        states[site.id] = SiteState(info=info, hosts={info.host})
    plan = CrawlPlan(config=config, recorder=recorder, checks=checks, as_of=as_of,
                     sites=states, progress=progress)
    logging.getLogger("scrapy").setLevel(log_level)
    process = CrawlerProcess(settings=scrapy_settings(config, log_level=log_level))
    progress.start(len(sites))
    status = "done"
    try:
        process.crawl(InspectionSpider, plan=plan)
        process.start()
    except KeyboardInterrupt:
        status = "interrupted"
    finally:
        # A site the crawl never finished (interrupted, closed early) is still
        # evaluated on what was fetched, so no fetched page is lost.
        for state in states.values():
            if not state.done:
                status = "interrupted" if status == "done" else status
                state.done = True
                plan.verdicts[state.info.id] = recorder.finalize_site(
                    state.info, checks, as_of).verdict
        progress.stop()
        pages = sum(s.fetched for s in states.values())
        recorder.finish_run(status, {
            "pages": pages, "failed": sum(s.failed for s in states.values()),
            "sites": len(sites),
            "limits_hit": {s.info.name: sorted(s.limits_hit) for s in states.values()
                           if s.limits_hit}})
    return recorder.run_id
