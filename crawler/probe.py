"""One visit to each home page, as a citizen's browser would make it: the
monitoring behind site-unreachable (docs/rules.md: a week, ≥20 visits a day).

Deliberately small and separate from the crawl: a visit is one GET of the
home page (redirects followed) that must answer below 400 within the time
limit, whole. The standard library does it; a Scrapy crawler per visit would
cost more than the visit. The time limit bounds the whole visit, not each
read, so a server that trickles its answer fails the visit like a browser
user would give up on it (the socket timeout bounds each wait, so a visit
ends within twice the limit at worst).
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from datetime import UTC, datetime
from functools import lru_cache

from govsite.config import Config
from govsite.storage.db import Store
from govsite.storage.models import Site
from govsite.storage.visits import Visit, record_visits
from govsite.web.challenge import CHALLENGE_STATUSES, challenge_sign
from govsite.web.html import parse_html

READ_CHUNK = 65536
MAX_READ_BYTES = 5 * 1024 * 1024  # a home page larger than this has opened


@lru_cache(maxsize=1)
def _opener() -> urllib.request.OpenerDirector:
    """One opener for every visit (its TLS context is built once). As the crawl
    (Scrapy) does, certificates are not verified: a visitor whose browser warns
    still reaches the page, and the rule is about reaching it."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return urllib.request.build_opener(urllib.request.HTTPSHandler(context=context))


def _is_challenge(error: urllib.error.HTTPError) -> bool:
    """A bot-protection challenge (web/challenge.py): blocked is not broken."""
    if error.code not in CHALLENGE_STATUSES:
        return False
    try:
        body = error.read(MAX_READ_BYTES)
    except (OSError, http.client.HTTPException, ValueError):
        return False
    text = body.decode("utf-8", "replace")
    return challenge_sign(error.code, parse_html(text)) is not None


def visit(site_id: int, url: str, *, timeout_s: float, user_agent: str) -> Visit:
    """Visit one home page; never raises."""
    started = time.monotonic()
    at = datetime.now(UTC).replace(tzinfo=None)

    late = f"did not open within {timeout_s:g} s"

    def done(status: int | None, error: str | None = None) -> Visit:
        return Visit(site_id, url, at, error is None, status,
                     round(time.monotonic() - started, 3), error)

    def too_late() -> bool:
        return time.monotonic() - started > timeout_s

    request = urllib.request.Request(url, headers={"User-Agent": user_agent})
    try:
        with _opener().open(request, timeout=timeout_s) as response:  # < 400, else raises
            status = response.status
            read = 0
            while read < MAX_READ_BYTES and not too_late():
                chunk = response.read1(READ_CHUNK)  # what has arrived: read() would wait
                if not chunk:
                    break
                read += len(chunk)
    except urllib.error.HTTPError as exc:
        if _is_challenge(exc):  # the server answered in time; a browser gets through
            return done(exc.code, late if too_late() else None)
        return done(exc.code, f"HTTP {exc.code}")
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, socket.timeout | TimeoutError):
            return done(None, late)
        return done(None, f"{type(reason).__name__}: {reason}"[:300])
    return done(status, late if too_late() else None)


def visit_all(sites: Iterable[tuple[int, str]], *, timeout_s: float, user_agent: str,
              concurrency: int = 32) -> Iterator[Visit]:
    """One visit to each (site id, home URL), `concurrency` at a time, each
    yielded as it ends (the caller stores them as they come: a probe of
    14,000 sites stopped halfway keeps the half it made)."""
    sites = list(sites)
    with ThreadPoolExecutor(max_workers=max(1, min(concurrency, len(sites) or 1))) as pool:
        futures = [pool.submit(visit, site_id, url, timeout_s=timeout_s, user_agent=user_agent)
                   for site_id, url in sites]
        for future in as_completed(futures):
            yield future.result()


PROBE_WRITE_BATCH = 100  # visits stored together while a probe runs


def probe_and_record(store: Store, config: Config, sites: list[Site], *,
                     concurrency: int = 32) -> list[Visit]:
    """Visit each site's home page once, under site-unreachable's time limit,
    storing the visits in batches as they end; every visit, in order of ending."""
    from govsite.checks.site_unreachable import SiteUnreachable

    settings = SiteUnreachable.Settings.model_validate(
        config.checks.get(SiteUnreachable.id) or {})
    visits: list[Visit] = []
    pending: list[Visit] = []
    for done in visit_all([(s.id, s.url) for s in sites], timeout_s=settings.home_timeout_s,
                          user_agent=config.crawl.user_agent, concurrency=concurrency):
        visits.append(done)
        pending.append(done)
        if len(pending) == PROBE_WRITE_BATCH:
            record_visits(store, pending)
            pending = []
    record_visits(store, pending)
    return visits
