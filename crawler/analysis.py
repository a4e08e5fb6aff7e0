"""Read one fetched page: parse it once, list its links, see whether it needs
rendering, and run every check's `wants` and `extract` on it.

This is the CPU-heavy half of the crawl. It holds no crawl state and imports
no Scrapy, so it runs in the crawl process or in analysis workers
(crawler/analysis_pool.py): Scrapy's engine is one thread, and on a run over
hundreds of sites reading pages, not the network, is what bounds it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from lxml import etree

from govsite.checks.base import EXTRACT_ERROR, Check, FetchRequest, Link, PageContext, SiteInfo
from govsite.crawler.render_detect import render_reason
from govsite.i18n import msg
from govsite.web.challenge import challenge_sign, may_be_challenge
from govsite.web.encoding import decode_body
from govsite.web.html import (
    is_html,
    is_plain_text,
    page_links,
    page_resources,
    page_title,
    parse_html,
)


@dataclass
class PageJob:
    """One answer to read, with what the crawl decided about rendering it."""

    site: SiteInfo
    url: str  # as linked (canonical)
    final_url: str
    status: int
    content_type: str
    body: bytes
    depth: int
    purpose: str
    as_of: date
    rendered: bool = False
    text: str | None = None  # rendered: the DOM as the browser serialised it
    encoding: str | None = None
    # Render policy auto: look for script-loaded content in the static HTML.
    detect: bool = False
    # Why a page found to need rendering cannot have it (policy never, no
    # browser, limit reached); None: it can, so reading stops at the sign.
    cannot_render: str | None = None
    needs_render: bool = False  # a check asked for the page rendered
    render_error: str | None = None  # a render was tried and failed
    auto_min_items: int = 3


@dataclass
class PageReading:
    """What the crawl needs back from a page: row fields, links, requests, facts."""

    html: bool
    encoding: str | None
    title: str
    content_hash: str
    links: list[Link] = field(default_factory=list)
    resources: list[str] = field(default_factory=list)  # what it embeds (img, script, css)
    detected: str | None = None  # signs of script-loaded content in the static HTML
    to_render: bool = False  # stopped at those signs: the browser's reading will stand
    wanted: str | None = None  # a check asked for this page rendered (Check.render_wanted)
    needs_render: bool = False
    render_error: str | None = None
    requests: list[tuple[str, FetchRequest]] = field(default_factory=list)  # (check id, request)
    facts: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)  # (check, kind, data)
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # (check id, step, error)

    # A reading crosses from worker to crawl process: its links travel as plain
    # tuples, which pickle about 5x faster than named ones.
    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "links": [tuple(link) for link in self.links]}

    def __setstate__(self, state: dict[str, Any]) -> None:
        state["links"] = list(map(Link._make, state["links"]))
        self.__dict__.update(state)


# Written into the rendered DOM by crawler/render_browser.py (DATA_FAILURES_META).
_DATA_FAILURES = etree.XPath("//meta[@name='govsite-data-failures']/@content",
                             smart_strings=False)


def read_page(job: PageJob, checks: list[Check]) -> PageReading:
    """The page's reading; a check that fails is noted in `errors` (and as an
    EXTRACT_ERROR fact) and never costs the other checks the page."""
    body = job.body
    html = job.text is not None or is_html(job.content_type, body)
    if job.text is not None:
        text, encoding = job.text, job.encoding
    else:
        text, encoding = decode_body(body, job.content_type) \
            if html or is_plain_text(job.content_type) else ("", None)
    tree = parse_html(text) if html else None
    reading = PageReading(html=html, encoding=encoding, title=page_title(tree),
                          content_hash=hashlib.sha256(body).hexdigest(),
                          links=page_links(tree, job.final_url),
                          resources=page_resources(tree, job.final_url))
    needs_render, render_error = job.rendered or job.needs_render, job.render_error
    challenge = challenge_sign(job.status, tree) if may_be_challenge(job.status, text) else None
    if challenge is None and job.status == 429:  # asked to come back later, every time
        needs_render = True  # "could not be read": no check judges it
        render_error = msg("not read: rate limited (HTTP 429) after the waits the site asked for")
    elif challenge is not None:  # blocked is not broken: a browser passes it, or nothing is judged
        needs_render = True
        if job.rendered:
            render_error = msg("blocked by bot protection: the browser did not get past it "
                               "({challenge})", challenge=challenge)
        else:
            reading.detected = challenge
            if render_error is None and job.cannot_render is None:
                reading.to_render = True
                return reading
            render_error = msg("blocked by bot protection ({challenge}); {reason}",
                               challenge=challenge, reason=render_error or job.cannot_render)
    elif job.detect and not job.rendered and job.status < 400 and tree is not None:
        reading.detected = render_reason(tree, job.auto_min_items)
        if reading.detected is not None:
            if render_error is None and job.cannot_render is None:
                reading.to_render = True
                return reading
            needs_render = True
            render_error = render_error or job.cannot_render
    if not job.rendered:
        render_error = render_error or ("not rendered" if needs_render else None)
    elif tree is not None and render_error is None:
        failures = _DATA_FAILURES(tree)
        if failures:  # the browser saw the page's data requests fail (render_browser)
            render_error = msg("rendered, but data requests failed: {detail}",
                               detail=str(failures[0])[:460])
    reading.needs_render, reading.render_error = needs_render, render_error
    page = PageContext(
        site=job.site, url=job.url, final_url=job.final_url, status=job.status,
        depth=job.depth, purpose=job.purpose, content_type=job.content_type[:100],
        encoding=encoding, title=reading.title, text=text, tree=tree, links=reading.links,
        rendered=job.rendered, as_of=job.as_of, needs_render=needs_render,
        render_error=render_error)
    if not job.rendered and not needs_render and render_error is None and html \
            and job.status < 400 and tree is not None:
        wanted = _render_wanted(page, checks, reading)
        if wanted is not None:
            if job.cannot_render is None:  # its rendered reading will stand for it
                reading.wanted, reading.to_render = wanted, True
                return reading
            # No render to be had: every other check reads the static HTML as
            # usual; the one that asked sees render_error and does not judge.
            page.render_error = reading.render_error = job.cannot_render
    # Checks ask first (the crawl schedules their pages before ordinary links,
    # so a site map or column keeps its purpose), then read.
    for check in checks:
        try:
            reading.requests += [(check.id, want) for want in check.wants(page)
                                 if isinstance(want, FetchRequest)]
        except Exception as exc:
            _failed(reading, check, "wants", exc)
    for check in checks:
        try:
            reading.facts += [(check.id, fact["kind"], fact["data"])
                              for fact in check.extract(page)]
        except Exception as exc:
            _failed(reading, check, "extract", exc)
    return reading


def _render_wanted(page: PageContext, checks: list[Check], reading: PageReading) -> str | None:
    """The first check's reason to have this page rendered, as "check id: reason"."""
    for check in checks:
        try:
            reason = check.render_wanted(page)
        except Exception as exc:
            _failed(reading, check, "render_wanted", exc)
            continue
        if reason:
            return f"requested by check {check.id}: {reason}"[:300]
    return None


def _failed(reading: PageReading, check: Check, step: str, exc: Exception) -> None:
    error = f"{type(exc).__name__}: {exc}"
    reading.errors.append((check.id, step, error))
    reading.facts.append((check.id, EXTRACT_ERROR, {"step": step, "error": error}))
