"""Per-site scope and bounds: which URLs a site's crawl may fetch.

One job: admit a URL into a site's crawl or refuse it, noting which bound
refused it (`limits_hit`, reported per site). Scrapy's own DEPTH_LIMIT,
URLLENGTH_LIMIT and OffsiteMiddleware are global to a spider; govsite crawls
hundreds of sites in one spider, each within its own hosts and budget, with
one-hop offsite fetches for what checks ask (`offsite`), so the rules are
govsite's own, counted per site.
"""

from __future__ import annotations

from govsite.config import CrawlConfig
from govsite.crawler.state import SiteState
from govsite.web.addresses import may_be_refused, refusal
from govsite.web.urls import extension, host_key, longest_segment_repeat, path_of


class SiteBounds:
    """The crawl section of the config, applied to one site's state at a time."""

    def __init__(self, crawl: CrawlConfig) -> None:
        self.crawl = crawl
        self.skip_extensions = {e.lower().lstrip(".") for e in crawl.skip_extensions}

    def admit(self, state: SiteState, url: str, offsite: bool, *,
              asked: bool = False) -> str | None:
        """The (canonical) URL when it is new and within the site's bounds (now
        counted against them), else None. `asked`: a check asked for this URL
        (an XML sitemap, robots.txt): its file type is no reason to skip it."""
        crawl = self.crawl
        if url in state.seen:
            return None
        if may_be_refused(url) and refusal(url, state.allowed_addresses) is not None:
            state.limits_hit.add("address_scope")
            return None
        if len(url) > crawl.max_url_length:
            state.limits_hit.add("max_url_length")
            return None
        if not asked and extension(url) in self.skip_extensions:
            return None
        if longest_segment_repeat(url) > crawl.max_repeated_path_segment:
            state.limits_hit.add("max_repeated_path_segment")
            return None
        if offsite:
            if state.offsite_fetches >= crawl.max_offsite_fetches_per_site:
                state.limits_hit.add("max_offsite_fetches_per_site")
                return None
            state.offsite_fetches += 1
        elif host_key(url) not in state.hosts:
            return None
        if state.scheduled >= crawl.max_pages_per_site:
            state.limits_hit.add("max_pages_per_site")
            return None
        if "?" in url:
            path = path_of(url)
            variants = state.query_variants.get(path, 0)
            if variants >= crawl.max_query_variants_per_path:
                state.limits_hit.add("max_query_variants_per_path")
                return None
            state.query_variants[path] = variants + 1
        state.seen.add(url)
        state.scheduled += 1
        return url

    def too_deep(self, state: SiteState, depth: int) -> bool:
        """Whether an ordinary link at this depth is past max_depth (noted)."""
        if depth > self.crawl.max_depth:
            state.limits_hit.add("max_depth")
            return True
        return False
