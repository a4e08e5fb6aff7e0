"""The crawl's address scope, enforced where requests are made.

`SiteBounds` refuses links to forbidden addresses before they are scheduled;
this module catches what only appears later: a redirect to such an address
(a downloader middleware sees every request, redirected ones included) and a
host name that resolves to one (a DNS resolver). See web/addresses.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scrapy.exceptions import IgnoreRequest
from scrapy.resolver import CachingThreadedResolver
from twisted.internet.error import DNSLookupError

from govsite.i18n import msg
from govsite.web.addresses import PUBLIC, address_class, refusal

REFUSED_PREFIX = "out of scope: "


class AddressScopeMiddleware:
    """Drops a request (a redirect's too) whose URL is an address outside its site's scope."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> AddressScopeMiddleware:
        return cls(crawler)

    def process_request(self, request: Any, spider: Any = None) -> None:
        allowed = self._site_allowed(request, spider or self.crawler.spider)
        reason = refusal(request.url, allowed)
        if reason is not None:
            raise IgnoreRequest(REFUSED_PREFIX + reason)


    def _site_allowed(self, request: Any, spider: Any) -> frozenset[str]:
        """The scope of the request's site; a request of Scrapy's own (robots.txt)
        carries no site: the run's scope (every registered site's classes)."""
        plan = getattr(spider, "plan", None)
        state = plan.sites.get(request.meta.get("site_id")) if plan is not None else None
        if state is not None:
            return state.allowed_addresses
        run_scope = self.crawler.settings.getlist("GOVSITE_ALLOWED_ADDRESSES")
        return frozenset(run_scope) if run_scope else PUBLIC


class ScopedResolver(CachingThreadedResolver):
    """Scrapy's caching resolver, refusing names that resolve outside the crawl's scope.

    The registered sites' own names resolve to whatever they resolve to (an
    intranet installation's sites may be private); any other name (a link's
    host, a redirect's) must resolve to a public address, or to a class some
    registered site is written on (loopback in the tests' estates)."""

    registered_names: frozenset[str] = frozenset()
    allowed: frozenset[str] = frozenset({"public"})

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> ScopedResolver:
        resolver = super().from_crawler(crawler, reactor)
        settings = crawler.settings
        resolver.registered_names = frozenset(
            n.lower() for n in settings.getlist("GOVSITE_REGISTERED_NAMES"))
        resolver.allowed = frozenset(settings.getlist("GOVSITE_ALLOWED_ADDRESSES") or ["public"])
        return resolver

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> Any:
        deferred = super().getHostByName(name, timeout)
        if name.lower() not in self.registered_names:
            deferred.addCallback(self.check, name)
        return deferred

    def check(self, ip: str, name: str) -> str:
        """The address when it is in scope; else the lookup fails with the reason."""
        kind = address_class(ip)
        if kind not in self.allowed:
            raise DNSLookupError(msg("{host} resolves to {ip}, a {kind} address: out of scope",
                                     host=name, ip=ip, kind=kind))
        return ip
