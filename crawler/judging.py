"""Judge each site as soon as its crawl ends: a Scrapy extension on `site_finished`.

The spider only says a site has nothing left to fetch (crawler.signals); this
extension judges it (scoring.judge: stored evidence → checks → score → result
row) and reports the verdict to the run's progress display.
"""

from __future__ import annotations

import logging
from typing import Any

from govsite.crawler.signals import site_finished
from govsite.scoring.judge import judge_and_record

logger = logging.getLogger(__name__)


class SiteJudging:
    @classmethod
    def from_crawler(cls, crawler: Any) -> SiteJudging:
        extension = cls()
        crawler.signals.connect(extension.judge, signal=site_finished)
        return extension

    def judge(self, site_id: int, spider: Any) -> None:
        plan = spider.plan
        state = plan.sites[site_id]
        feed = plan.feed  # a distributed run's worker (crawler/worker.py)
        if feed is not None and not feed.holds(site_id):
            logger.warning("not judging %s: another worker took it over", state.info.url)
            return
        try:
            verdict = judge_and_record(plan.recorder, state.info, plan.checks,
                                       plan.as_of).verdict.verdict
        except Exception:
            logger.exception("evaluation failed for %s", state.info.url)
            verdict = "error"
        plan.verdicts[site_id] = verdict
        if feed is not None:  # an evaluation that failed is not tried again elsewhere
            plan.recorder.flush()  # the result is stored before the site is said done
            feed.finished(site_id)
        plan.progress.site_done(state.info.name, verdict)
