"""Cookies a browser earned passing a site's bot-protection challenge, sent with
that site's static fetches (issue 14, item 3).

One job: at download time, give a static request the site's latest earned
cookies (SiteState.cookies, set when a rendered page passed the challenge), so
requests queued before a refresh carry the new pass, not the expired one.
Runs before Scrapy's CookiesMiddleware (700), which puts them in its jar.
"""

from __future__ import annotations

from typing import Any

import scrapy


class EarnedCookiesMiddleware:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> EarnedCookiesMiddleware:
        return cls(crawler)

    def process_request(self, request: scrapy.Request, spider: Any = None) -> None:
        if request.meta.get("playwright"):
            return None  # the browser keeps its own cookies
        plan = getattr(spider or self.crawler.spider, "plan", None)
        state = plan.sites.get(request.meta.get("site_id")) if plan is not None else None
        if state is not None and state.cookies:
            # Sent as the browser holds them, past Scrapy's jar: the jar would keep
            # an expired pass beside the new one, per path, and send both.
            request.meta["dont_merge_cookies"] = True
            request.headers["Cookie"] = "; ".join(f"{name}={value}"
                                                  for name, value in state.cookies.items())
        return None
