"""Scrapy settings for an inspection run, all derived from config.yaml.

Every politeness and bound setting the crawl uses is set here, in one place,
the way Scrapy keeps its own defaults in one settings module.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from govsite.config import Config
from govsite.web.addresses import allowed_classes

# Statuses handed to the spider instead of being filtered: a 404 column is a
# finding, not noise. Redirects are still followed (3xx is not listed).
HANDLED_STATUSES: list[int] = list(range(400, 600))


def scrapy_settings(config: Config, *, log_level: str = "ERROR",
                    browser: str | None = None,
                    registered_hosts: Iterable[str] = ()) -> dict[str, Any]:
    """`browser`: the Chromium to render with; None leaves scrapy-playwright out
    entirely (every request on Scrapy's own HTTP handler). `registered_hosts`
    (host[:port] of every site in the run) set the address scope."""
    crawl = config.crawl
    hosts = list(registered_hosts)
    settings = {
        "BOT_NAME": "govsite",
        "USER_AGENT": crawl.user_agent,
        "ROBOTSTXT_OBEY": crawl.robots_obey,
        "CONCURRENT_REQUESTS": crawl.concurrent_requests,
        "CONCURRENT_REQUESTS_PER_DOMAIN": crawl.concurrent_per_host,
        "DOWNLOAD_DELAY": crawl.download_delay_s,
        "RANDOMIZE_DOWNLOAD_DELAY": True,
        "AUTOTHROTTLE_ENABLED": crawl.autothrottle,
        "AUTOTHROTTLE_START_DELAY": max(crawl.download_delay_s, 0.1),
        "AUTOTHROTTLE_MAX_DELAY": crawl.autothrottle_max_delay_s,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": crawl.autothrottle_target_concurrency,
        "DOWNLOAD_TIMEOUT": crawl.download_timeout_s,
        "DNS_TIMEOUT": min(crawl.download_timeout_s, 30),
        "RETRY_ENABLED": crawl.retries > 0,
        "RETRY_TIMES": crawl.retries,
        "GOVSITE_RATE_LIMIT_RETRIES": crawl.rate_limit_retries,
        "GOVSITE_MAX_RETRY_AFTER_S": crawl.max_retry_after_s,
        "DOWNLOAD_MAXSIZE": crawl.max_response_bytes,
        "DOWNLOAD_WARNSIZE": 0,
        "REDIRECT_MAX_TIMES": 10,
        "METAREFRESH_ENABLED": True,
        "METAREFRESH_MAXDELAY": 30,
        # Our spider bounds depth and pages per site itself (they must be
        # per site, not per crawl), and de-duplicates per site.
        "DEPTH_LIMIT": 0,
        "DEPTH_STATS_VERBOSE": False,
        # Balance the scheduler across sites: one slow host must not starve others.
        "SCHEDULER_PRIORITY_QUEUE": "scrapy.pqueues.DownloaderAwarePriorityQueue",
        "TELNETCONSOLE_ENABLED": False,
        # Page readings are awaited as asyncio futures (crawler/analysis_pool.py).
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        # Callbacks return requests, never items: Scrapy would start CONCURRENT_ITEMS
        # asyncio tasks per response to process them in parallel.
        "CONCURRENT_ITEMS": 1,
        # Scrapy components whose job govsite does itself per site (scope, depth,
        # URL length) or does not need: each costs a call per request, some a
        # module load (RemoteControl imports aiohttp).
        "SPIDER_MIDDLEWARES": {
            "scrapy.spidermiddlewares.urllength.UrlLengthMiddleware": None,
            "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
            "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None,
        },
        # Address scope (web/addresses.py): names resolving to, and redirects
        # to, link-local, private or loopback addresses a registered site is
        # not on are never requested.
        "DNS_RESOLVER": "govsite.crawler.scope.ScopedResolver",
        "GOVSITE_REGISTERED_NAMES": sorted({urlsplit("//" + h).hostname or "" for h in hosts}),
        "GOVSITE_ALLOWED_ADDRESSES": sorted(allowed_classes(hosts)),
        "DOWNLOADER_MIDDLEWARES": {
            "govsite.crawler.scope.AddressScopeMiddleware": 50,
            # Scrapy's, fixed: every request waiting for a host's robots.txt obeys
            # it, not only the first (crawler/robots.py): sites share platform hosts,
            # accounts share a feed bridge.
            "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
            "govsite.crawler.robots.SharedRobotsTxtMiddleware": 100,
            # Before Scrapy's RetryMiddleware (550) sees a 429: wait as the site asks.
            "govsite.crawler.ratelimit.RateLimitMiddleware": 560,
            # Before Scrapy's CookiesMiddleware (700): a challenge's earned cookies.
            "govsite.crawler.cookies.EarnedCookiesMiddleware": 690,
            # Nearest the download handlers (after HttpCacheMiddleware's 900): keeps
            # each answer as received, and gives it back in a resumed run.
            "govsite.crawler.journal.ResponseJournalMiddleware": 950,
            "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
            "scrapy.downloadermiddlewares.httpauth.HttpAuthMiddleware": None,
            "scrapy.downloadermiddlewares.stats.DownloaderStats": None,
        },
        "EXTENSIONS": {
            "scrapy.extensions.feedexport.FeedExporter": None,
            "scrapy.extensions.memusage.MemoryUsage": None,
            "scrapy.extensions.logstats.LogStats": None,
            "scrapy.extensions.remote_control.RemoteControl": None,
            # govsite's own: each site is judged the moment its crawl ends.
            "govsite.crawler.judging.SiteJudging": 500,
            # govsite's memory ceiling over the crawl's process tree (browser included).
            "govsite.crawler.memory.MemoryGuard": 510,
        },
        "COOKIES_ENABLED": True,
        "LOG_LEVEL": log_level,
        "LOG_ENABLED": True,
    }
    if browser is not None:
        from govsite.crawler.render_browser import playwright_settings

        settings.update(playwright_settings(browser, config.browser, crawl))
    return settings
