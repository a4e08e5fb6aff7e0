"""One worker of a distributed crawl (issue 15): `govsite worker --redis … --db …`.

A distributed run is seeded once (`govsite crawl --redis …`: the run and its
sites in the shared database, the site ids in Redis, crawler/sitequeue.py).
Any number of workers, on any machines, then take sites from Redis while
they have room for them (`distributed.active_sites` at once), crawl each from
its home page to its judgement through the ordinary spider, and write into
the one database. A site taken again after its worker died is first cleared
of what that worker stored, then resumed from the run's response journal:
what the dead worker had fetched is read back, not fetched again, and its
bounds are counted again as the pages are read again. The worker that sees
the last site done finishes the run: evidence screenshots, run statistics,
status `done`.

The run's new-media feeds are one more item of the queue (`FEEDS_ITEM`, no
site has id 0): the worker that takes it reads every feed account's feed in
its own process beside its sites (crawler/feeds.py, as a single-process crawl
does) and judges the accounts before it marks the item done, so the run is
complete only once they are judged. A worker that dies reading them loses
the item's lease like a site's; the next worker reads them all again (an
account's facts and result are replaced, never doubled).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select

from govsite.checks.registry import enabled_checks
from govsite.config import Config
from govsite.crawler.feeds import FeedPlan, FeedSpider
from govsite.crawler.progress import NullProgress
from govsite.crawler.render import Renderer
from govsite.crawler.runner import (
    browser_for,
    crawler_process,
    feed_plan,
    finish_with_evidence,
    judge_accounts,
    site_policy,
    site_state,
    start_analysis,
)
from govsite.crawler.sharedlinks import SharedLinkAnswers
from govsite.crawler.sitequeue import SiteQueue
from govsite.crawler.spider import InspectionSpider
from govsite.crawler.state import CrawlPlan, SiteState
from govsite.crawler.tls import store_tls, tls_facts
from govsite.i18n import msg
from govsite.scoring.accounts import AccountJudges
from govsite.storage.db import Store
from govsite.storage.journal import journal_index
from govsite.storage.models import Account, AccountResult, Run, Site, SiteCrawl, SiteResult
from govsite.storage.recorder import RunRecorder
from govsite.storage.resume import (
    FEED_ACCOUNTS,
    note_feed_accounts,
    reset_sites,
    run_feed_accounts,
)
from govsite.web.urls import host_key

logger = logging.getLogger(__name__)


FEEDS_ITEM = 0  # the queue item "read the run's feeds"; site ids start at 1


class WorkerError(Exception):
    """The worker could not crawl (exit 2); the run goes on with the other workers."""


@dataclass
class SiteFeed:
    """Hands the spider the sites this worker leases, as it has room for them."""

    queue: SiteQueue
    recorder: RunRecorder
    sites: dict[int, Site]  # the run's registry rows
    active_sites: int
    taking: bool = False
    renewal: Any = None  # the LoopingCall renewing this worker's leases
    start_feeds: Callable[[], None] | None = None  # reads the run's feeds (FEEDS_ITEM)
    reading_feeds: bool = False

    async def take(self, spider: InspectionSpider) -> list[SiteState]:
        """Lease sites up to the worker's room for them and make them ready to
        crawl; sites whose worker died are put back in the queue first."""
        plan = spider.plan
        room = self.active_sites - sum(1 for s in plan.sites.values() if not s.done)
        if room <= 0 or self.taking:
            return []
        self.taking = True
        self._keep_renewing(plan)
        try:
            ids = self.queue.take(room)
            if len(ids) < room and self.queue.reclaim():
                ids += self.queue.take(room - len(ids))
            feeds = FEEDS_ITEM in ids
            ids = [site_id for site_id in ids if site_id != FEEDS_ITEM]
            ready = await asyncio.to_thread(self._prepare, plan.checks, ids)
        finally:
            self.taking = False
        if feeds:
            self._read_feeds()
        # The plan and the recorder are the reactor's: changed here, never in the thread.
        fresh, replay, tls = ready
        for key, entries in replay.items():
            plan.replay.setdefault(key, []).extend(entries)
        states = {site_id: site_state(self.sites[site_id], self.recorder.config)
                  for site_id in fresh}
        store_tls(self.recorder, {sid: s.info.url for sid, s in states.items()}, tls)
        plan.sites.update(states)
        return list(states.values())

    def _read_feeds(self) -> None:
        if self.start_feeds is None:  # seeded with feeds this worker cannot find: done
            self.queue.finish(FEEDS_ITEM)
            return
        self.reading_feeds = True
        self.start_feeds()

    def _prepare(self, checks: list[Any], ids: list[int]) -> tuple[
            list[int], dict[str, list[int]], list[tuple[int, str, dict[str, Any]]]]:
        """(In a thread: the database, Redis and TLS look-ups.) A site judged
        before its worker could say so is only marked done; the others are
        cleared of what an earlier worker stored, and what it fetched is looked
        up in the journal. Returns those sites, their journal, their TLS facts."""
        store, run_id = self.recorder.store, self.recorder.run_id
        judged = already_judged(store, run_id, ids)
        for site_id in judged:
            self.queue.finish(site_id)
        fresh = [site_id for site_id in ids if site_id not in judged]
        if not fresh:
            return [], {}, []
        reset_sites(store, run_id, fresh)
        replay = journal_index(store, run_id, fresh, unowned=False)
        tls = tls_facts(checks, {site_id: self.sites[site_id].url for site_id in fresh},
                        self.recorder.config.crawl.user_agent)
        return fresh, replay, tls

    def _keep_renewing(self, plan: CrawlPlan) -> None:
        """Renew the leases every lease_s / 3 seconds from the crawl's reactor
        (started on the first take: the reactor is Scrapy's to install)."""
        if self.renewal is None:
            from twisted.internet import task

            self.renewal = task.LoopingCall(_renew, self.queue, plan)
            self.renewal.start(max(1.0, self.queue.lease_s / 3), now=False)

    def stop_renewing(self) -> None:
        if self.renewal is not None and self.renewal.running:
            self.renewal.stop()

    def link_answers(self, timeout_s: float) -> SharedLinkAnswers:
        """Link-check answers shared with the other workers; a claim outlives a
        HEAD and a GET that both time out."""
        return SharedLinkAnswers(self.queue.server, self.queue.run_id,
                                 claim_s=2 * timeout_s + 5)

    def holds(self, site_id: int) -> bool:
        """This worker still holds the site's lease (a worker stalled past its
        lease must not judge a site another worker took over)."""
        return self.queue.holder(site_id) == self.queue.worker

    def finished(self, site_id: int) -> None:
        self.queue.finish(site_id)

    def run_complete(self) -> bool:
        return self.queue.complete()


def already_judged(store: Store, run_id: int, site_ids: list[int]) -> set[int]:
    with store.sessions() as session:
        return set(session.scalars(select(SiteResult.site_id).where(
            SiteResult.run_id == run_id, SiteResult.site_id.in_(site_ids))))


def run_sites(store: Store, run_id: int) -> dict[int, Site]:
    """The registry rows of the run's sites, by id."""
    with store.sessions() as session:
        sites = list(session.scalars(select(Site).join(
            SiteCrawl, SiteCrawl.site_id == Site.id).where(SiteCrawl.run_id == run_id)))
        for site in sites:
            session.expunge(site)
    return {site.id: site for site in sites}


def run_worker(store: Store, config: Config, queue: SiteQueue, as_of: date, *,
               progress: NullProgress | None = None, log_level: str = "ERROR",
               evidence: bool = True) -> bool:
    """Crawl the run's sites this worker takes until the run's every site is
    done; True when this worker finished the run. `config` and `as_of` are the
    run's own (stored when it was seeded), with this machine's limits."""
    progress = progress or NullProgress()
    checks = enabled_checks(config)
    recorder = RunRecorder(store, config, queue.run_id)
    sites = run_sites(store, queue.run_id)
    wants_render = any(site_policy(site, config) != "never" for site in sites.values())
    executable = browser_for(config, wants_render or evidence)
    renderer = Renderer(executable if wants_render else None)
    feed = SiteFeed(queue=queue, recorder=recorder, sites=sites,
                    active_sites=config.distributed.active_sites)
    judges = AccountJudges.of(config)
    feeds = run_feeds(store, config, queue.run_id, as_of, judges)
    if feeds is not None:
        feed.start_feeds = lambda: read_feeds(process, feeds, feed, config, judges)
    analysis = start_analysis(config, checks)
    plan = CrawlPlan(config=config, recorder=recorder, checks=checks, as_of=as_of,
                     sites={}, progress=progress, renderer=renderer, analysis=analysis,
                     feed=feed)
    process = crawler_process(
        config, log_level, renderer, [host_key(site.url) for site in sites.values()]
        + [host_key(a.feed_url) for a in (feeds.accounts.values() if feeds else ()) if a.feed_url])
    failures: list[Any] = []
    progress.start(len(sites))
    try:
        process.crawl(InspectionSpider, plan=plan).addErrback(failures.append)
        process.start()
    finally:
        feed.stop_renewing()
        analysis.close()
        recorder.flush()
        progress.stop()
    queue.note_replayed(plan.replayed)
    if failures:  # the crawl could not run: its sites' leases lapse for other workers
        raise WorkerError(msg("the crawl failed: {error}", error=failures[0].getErrorMessage()))
    if not queue.complete() or run_status(store, queue.run_id) == "done" \
            or not queue.claim_finish():
        return False
    stats = {**run_totals(store, queue.run_id), "workers": queue.workers()}
    if evidence:
        finish_with_evidence(recorder, executable, stats)
    else:
        recorder.finish_run("done", stats)
    return True


def run_feeds(store: Store, config: Config, run_id: int, as_of: date,
              judges: AccountJudges) -> FeedPlan | None:
    """The run's feed accounts (noted when it was seeded) as a feed crawl's plan."""
    ids = run_feed_accounts(store, run_id)
    if not ids:
        return None
    with store.sessions() as session:
        accounts = list(session.scalars(select(Account).where(Account.id.in_(ids))))
    return feed_plan(store, config, run_id, as_of, accounts, judges)


def read_feeds(process: Any, feeds: FeedPlan, feed: SiteFeed, config: Config,
               judges: AccountJudges) -> None:
    """(On the reactor.) Read the feeds beside the sites, then, in a thread, judge
    the accounts and mark the item done: judged or not (a feed that never
    answered leaves its account not judged), the run must be able to complete."""
    from twisted.internet.threads import deferToThread

    def judge(_: Any) -> None:
        try:
            if feed.queue.holder(FEEDS_ITEM) == feed.queue.worker:  # not taken over
                judge_accounts(feeds.store, config, judges, feeds)
        except Exception:
            logger.exception("judging the run's new-media accounts failed")
        finally:
            feed.reading_feeds = False
            feed.queue.finish(FEEDS_ITEM)

    process.crawl(FeedSpider, plan=feeds).addBoth(lambda result: deferToThread(judge, result))


def _renew(queue: SiteQueue, plan: CrawlPlan) -> None:
    """Keep the leases of the sites being crawled (and of the feeds item while
    this worker reads them); a lost one is said once."""
    active = [site_id for site_id, state in plan.sites.items() if not state.done]
    if plan.feed is not None and plan.feed.reading_feeds:
        active.append(FEEDS_ITEM)
    for site_id in queue.renew(active):
        logger.warning("lost the lease of site %s: another worker took it over", site_id)


def run_status(store: Store, run_id: int) -> str | None:
    with store.sessions() as session:
        return session.scalar(select(Run.status).where(Run.id == run_id))


def run_totals(store: Store, run_id: int) -> dict[str, Any]:
    """The run's statistics, summed over what every worker stored."""
    with store.sessions() as session:
        pages, failed, rendered, sites = session.execute(
            select(func.coalesce(func.sum(SiteCrawl.pages_fetched), 0),
                   func.coalesce(func.sum(SiteCrawl.pages_failed), 0),
                   func.coalesce(func.sum(SiteCrawl.pages_rendered), 0),
                   func.count()).where(SiteCrawl.run_id == run_id)).one()
        limits = session.execute(select(Site.name, SiteCrawl.limits_hit).join(
            Site, Site.id == SiteCrawl.site_id).where(SiteCrawl.run_id == run_id)).all()
    totals: dict[str, Any] = {
        "pages": int(pages), "failed": int(failed), "sites": int(sites),
        "pages_rendered": int(rendered), "distributed": True,
        "limits_hit": {name: sorted(hit) for name, hit in limits if hit}}
    feed_ids = run_feed_accounts(store, run_id)
    if feed_ids:  # as a single-process crawl says them: verdict counts, the feed accounts
        with store.sessions() as session:
            verdicts = session.execute(select(AccountResult.verdict, func.count()).where(
                AccountResult.run_id == run_id).group_by(AccountResult.verdict)).all()
        totals.update({"accounts": {verdict: int(n) for verdict, n in verdicts},
                       FEED_ACCOUNTS: feed_ids})
    return totals


def seed_run(store: Store, config: Config, sites: list[Site], as_of: Any,
             redis_url: str, accounts: list[Any] = ()) -> SiteQueue:  # type: ignore[assignment]
    """A new distributed run: the run and its sites in the shared database (its
    config stored, as every run's), the site ids offered to workers in Redis,
    and, with feed accounts, the item that reads their feeds (FEEDS_ITEM)."""
    recorder = RunRecorder.start_run(store, config, "crawl", as_of, [site.id for site in sites])
    feed_ids = sorted(a.id for a in accounts if a.feed_url)
    if feed_ids:
        note_feed_accounts(store, recorder.run_id, feed_ids)
    queue = SiteQueue(redis_url, recorder.run_id, lease_s=config.distributed.lease_s)
    queue.seed([site.id for site in sites] + ([FEEDS_ITEM] if feed_ids else []))
    return queue
