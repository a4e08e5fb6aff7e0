"""Fetch the feeds of government accounts (RSS/Atom, e.g. an RSSHub bridge) in
the crawl, through Scrapy: the same process and settings as the websites'
crawl, so the same politeness (per-host concurrency, delay, AutoThrottle,
robots.txt), bounds (download timeout, response size, retries) and address
scope apply. Many accounts share one bridge host; Scrapy's per-host slots
keep it from being hammered.

Each answer is read at once (extract/feeds.py) into the account's facts for
the run: the fetch (`feed`: URL, status, what went wrong), its posts (`post`:
title, link, date) and the wrong wordings in their text (the websites'
`wording-errors` dictionary). A feed host that fails, answers an error or
gives no feed makes a `feed` fact with the problem: the account is then "not
judged", never failed (checks/account_not_updated.py).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from twisted.python.failure import Failure

from govsite.checks.account_base import FEED, POST, AccountInfo
from govsite.checks.wording_errors import WordingErrors
from govsite.crawler.settings import HANDLED_STATUSES
from govsite.crawler.spider import describe_failure
from govsite.extract.feeds import FeedReading, read_feed
from govsite.i18n import msg
from govsite.storage.account_runs import write_facts
from govsite.storage.db import Store

ACCEPT = ("application/rss+xml, application/atom+xml, application/xml;q=0.9, "
          "text/xml;q=0.9, */*;q=0.5")
FactRow = tuple[str, str, str, dict[str, Any]]


@dataclass
class FeedPlan:
    """What the feed crawl needs: where to store, the accounts, the rules."""

    store: Store
    run_id: int
    as_of: date
    accounts: dict[int, AccountInfo]
    max_posts: int
    bounds: Any  # config.crawl: the download timeout named in failures
    wording: WordingErrors | None = None


def feed_facts(url: str, status: int, content_type: str | None, body: bytes, *, as_of: date,
               max_posts: int, wording: WordingErrors | None) -> list[FactRow]:
    """An answer of a feed URL as the account's facts of the run."""
    if status >= 400:
        return [(FEED, url, FEED, {"status": status,
                                   "problem": msg("the feed answered HTTP {status}",
                                               status=status)})]
    reading = read_feed(body, content_type, as_of=as_of, max_posts=max_posts)
    facts: list[FactRow] = [(FEED, url, FEED, _summary(status, reading))]
    if reading.problem is not None:
        return facts
    for post in reading.posts:
        facts.append((FEED, post.link or url, POST, {
            "title": post.title, "link": post.link, "raw_date": post.raw_date,
            "published": post.published.isoformat() if post.published else None}))
        if wording is not None:
            day = post.published
            facts += [(wording.id, post.link or url, fact["kind"], fact["data"])
                      for fact in wording.text_facts(post.text, lambda day=day: day)]
    return facts


def _summary(status: int, reading: FeedReading) -> dict[str, Any]:
    return {"status": status, "problem": reading.problem, "title": reading.title,
            "posts": len(reading.posts), "dated": sum(p.published is not None
                                                      for p in reading.posts),
            "complete": reading.complete, "damage": reading.damage}


class FeedSpider(scrapy.Spider):
    """One GET per account feed; the answer becomes the account's facts."""

    name = "govsite-feeds"
    handle_httpstatus_list = HANDLED_STATUSES  # a 404 feed is evidence of why not judged

    def __init__(self, plan: FeedPlan, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # Not `plan`: the crawl's middlewares read a site plan there; a feed
        # request has no site, so the run's address scope applies to it.
        self.feeds = plan

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for request in list(self._requests()):
            yield request

    def _requests(self) -> Iterator[scrapy.Request]:
        for account in self.feeds.accounts.values():
            if account.feed_url:
                yield scrapy.Request(account.feed_url, callback=self.parse_feed,
                                     errback=self.on_error, dont_filter=True,
                                     headers={"Accept": ACCEPT},
                                     meta={"account_id": account.id})

    def parse_feed(self, response: Response) -> None:
        account_id = response.meta["account_id"]
        plan = self.feeds
        url = plan.accounts[account_id].feed_url or response.url
        try:
            facts = feed_facts(url, response.status,
                               response.headers.get(b"Content-Type", b"").decode("latin-1"),
                               response.body, as_of=plan.as_of, max_posts=plan.max_posts,
                               wording=plan.wording)
        except Exception as exc:  # a hostile feed costs its account only
            self.logger.exception("failed to read feed %s", url)
            facts = [(FEED, url, FEED, {"status": response.status,
                                        "problem": msg("reading failed: {detail}",
                                                       detail=str(exc))})]
        write_facts(plan.store, plan.run_id, account_id, facts)

    def on_error(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        account_id = request.meta["account_id"]
        plan = self.feeds
        url = plan.accounts[account_id].feed_url or request.url
        if failure.check(IgnoreRequest):  # robots.txt, or out of the address scope
            reason = msg("not fetched: {reason}",
                         reason=str(failure.value) or msg("disallowed by robots.txt"))
        else:
            reason = describe_failure(failure, plan.bounds)
        write_facts(plan.store, plan.run_id, account_id,
                    [(FEED, url, FEED, {"status": 0, "problem": reason})])

