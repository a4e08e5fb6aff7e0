"""robots.txt obeyed by every request that waits for it, not only the first.

Scrapy 2.19's RobotsTxtMiddleware, on the asyncio reactor, hands the parsed
robots.txt to the first request waiting for a host's robots.txt only: it
awaits a shared Deferred through `Deferred.asFuture`, which leaves the
Deferred's result None for the next waiter, and a None parser allows
everything. A feed bridge serves hundreds of accounts from one host, so most
of its feeds would be fetched whatever its robots.txt says. This middleware
lets the first request fetch robots.txt as Scrapy does and has the others
wait until the parser (or the failure, None) is in place.
"""

from __future__ import annotations

import asyncio
from typing import Any

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

WAIT_STEP_S = 0.05


class SharedRobotsTxtMiddleware(RobotsTxtMiddleware):
    async def robot_parser(self, request: Any) -> Any:
        netloc = urlparse_cached(request).netloc
        if isinstance(self._parsers.get(netloc), Deferred):  # another request fetches it
            while isinstance(self._parsers.get(netloc), Deferred):
                await asyncio.sleep(WAIT_STEP_S)
            return self._parsers[netloc]
        return await super().robot_parser(request)
