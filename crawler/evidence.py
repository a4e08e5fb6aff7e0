"""Evidence: a screenshot of every finding's page, as an auditor attaches to a notice.

Findings are written at each site's end, inside the crawl; the screenshots
are taken after the crawl, in a separate pass, so the crawl's reactor and
this browser never share a loop and a slow screenshot never holds a site's
verdict back. The pass:

- picks each finding of the run whose page was fetched with HTTP 200 (by
  the page's URL as linked or as finally served), one screenshot per
  distinct page, at most `browser.max_screenshots_per_site` per site;
- loads each in Chromium (one context per site, at most
  `browser.max_open_pages` pages open, DOMContentLoaded then the bounded
  settle wait of crawler/render.py, images shown, media aborted), and takes
  a full-page PNG cut at `browser.screenshot_max_height_px`;
- writes it to `<evidence root>/<storage.evidence_dir>/run_<id>/site_<id>/
  <sha1 of URL, 16 hex>.png`, where the evidence root is the folder of the
  SQLite database (`Store.evidence_root`), and records the path in the
  finding's evidence as `evidence["screenshot"]`: relative to the evidence
  root (POSIX separators), or absolute when `storage.evidence_dir` is;
  a page that could not be shot gets `evidence["screenshot_error"]`.

It runs in its own thread with its own asyncio loop (Playwright's async
API), so it works whatever loop the caller's thread had.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import threading
from collections import defaultdict
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import and_, or_, select

from govsite.config import BrowserConfig, Config
from govsite.crawler.browser import launch_options
from govsite.crawler.render_browser import NetworkWatch, context_options, settle
from govsite.i18n import msg
from govsite.storage.db import Store
from govsite.storage.models import FindingRow, Page
from govsite.web.challenge import BLOCKED
from govsite.web.urls import canonical

log = logging.getLogger(__name__)


@dataclass
class Shot:
    """One page to photograph and the findings that point at it."""

    site_id: int
    url: str  # where to load it (the page's final URL)
    path: Path
    finding_ids: list[int] = field(default_factory=list)
    error: str | None = None


def evidence_folder(store: Store, config: Config, run_id: int) -> Path:
    folder = Path(config.storage.evidence_dir).expanduser()
    base = folder if folder.is_absolute() else store.evidence_root / folder
    return base / f"run_{run_id}"


def stored_path(store: Store, path: Path) -> str:
    """What goes in evidence["screenshot"]: relative to the evidence root when inside it."""
    try:
        return path.relative_to(store.evidence_root).as_posix()
    except ValueError:
        return str(path)


def plan_shots(store: Store, config: Config, run_id: int) -> list[Shot]:
    """The pages to photograph: one per distinct page of the run's findings."""
    folder = evidence_folder(store, config, run_id)
    cap = config.browser.max_screenshots_per_site
    shots: dict[tuple[int, str], Shot] = {}
    per_site: dict[int, int] = defaultdict(int)
    with store.sessions() as session:
        findings = session.execute(
            select(FindingRow.id, FindingRow.site_id, FindingRow.url)
            .where(FindingRow.run_id == run_id).order_by(FindingRow.id)).all()
        by_site: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for finding_id, site_id, url in findings:
            if url and url.startswith(("http://", "https://")):
                by_site[site_id].append((finding_id, url))
        for site_id, site_findings in by_site.items():
            served: dict[str, str] = {}  # a page's URL (as linked or final) -> final URL
            # Pages that opened, and pages a bot-protection wall kept shut: the
            # challenge page is the auditor's evidence that the site was blocked.
            for url, final_url in session.execute(
                    select(Page.url, Page.final_url).where(
                        Page.run_id == run_id, Page.site_id == site_id,
                        or_(and_(Page.status == 200, Page.error.is_(None)),
                            Page.render_error.like(f"{BLOCKED}%")))):
                served.setdefault(url, final_url)
                served.setdefault(canonical(final_url), final_url)
            for finding_id, url in site_findings:
                final_url = served.get(url) or served.get(canonical(url))
                if final_url is None:
                    continue
                key = (site_id, final_url)
                if key not in shots:
                    if per_site[site_id] >= cap:
                        continue
                    per_site[site_id] += 1
                    name = hashlib.sha1(final_url.encode()).hexdigest()[:16] + ".png"
                    shots[key] = Shot(site_id, final_url, folder / f"site_{site_id}" / name)
                shots[key].finding_ids.append(finding_id)
    return list(shots.values())


def take_evidence(store: Store, config: Config, run_id: int,
                  executable: str | None) -> dict[str, Any]:
    """Screenshot every finding's page and record the paths; returns run statistics."""
    shots = plan_shots(store, config, run_id)
    if not shots:
        return {"screenshots": 0, "failed": 0}
    if executable is None:
        return {"screenshots": 0, "failed": 0, "skipped": "no browser found"}
    result: dict[str, Any] = {}

    def work() -> None:
        try:
            asyncio.run(_shoot_all(executable, config.browser, config.crawl.user_agent, shots))
        except Exception as exc:  # the browser would not start: every shot failed
            result["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:300]}"

    thread = threading.Thread(target=work, name="govsite-evidence", daemon=True)
    thread.start()
    thread.join()
    if "error" in result:
        for shot in shots:
            shot.error = shot.error or f"browser failed: {result['error']}"
    _record(store, shots)
    taken = sum(1 for shot in shots if shot.error is None)
    stats: dict[str, Any] = {"screenshots": taken, "failed": len(shots) - taken,
                             "folder": stored_path(store, evidence_folder(store, config, run_id))}
    if "error" in result:
        stats["error"] = result["error"]
    return stats


def _record(store: Store, shots: list[Shot]) -> None:
    """Put each screenshot's path (or why there is none) into its findings' evidence."""
    with store.sessions.begin() as session:
        for shot in shots:
            extra = {"screenshot": stored_path(store, shot.path)} if shot.error is None \
                else {"screenshot_error": shot.error}
            for row in session.scalars(select(FindingRow).where(
                    FindingRow.id.in_(shot.finding_ids))):
                row.evidence = {**(row.evidence or {}), **extra}  # a new dict: JSON change seen


async def _shoot_all(executable: str, browser_config: BrowserConfig, user_agent: str,
                     shots: list[Shot]) -> None:
    from playwright.async_api import async_playwright

    by_site: dict[int, list[Shot]] = defaultdict(list)
    for shot in shots:
        by_site[shot.site_id].append(shot)
    pages = asyncio.Semaphore(browser_config.max_open_pages)
    sites = asyncio.Semaphore(browser_config.max_open_pages)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(**launch_options(executable))
        lock = asyncio.Lock()

        async def connected() -> Any:
            nonlocal browser
            async with lock:
                if not browser.is_connected():  # it crashed: start another
                    browser = await playwright.chromium.launch(**launch_options(executable))
                return browser

        async def site(site_shots: list[Shot]) -> None:
            async with sites:
                try:
                    context = await (await connected()).new_context(
                        **context_options(browser_config, user_agent))
                except Exception as exc:
                    for shot in site_shots:
                        shot.error = msg("browser failed: {detail}",
                                         detail=str(exc).splitlines()[0][:300])
                    return
                try:
                    await context.route("**/*", _abort_media)
                    await asyncio.gather(*(_shoot(context, shot, browser_config, pages)
                                           for shot in site_shots))
                finally:
                    with suppress(Exception):
                        await asyncio.wait_for(context.close(), 15)

        try:
            await asyncio.gather(*(site(group) for group in by_site.values()))
        finally:
            with suppress(Exception):
                await asyncio.wait_for(browser.close(), 15)


async def _abort_media(route: Any) -> None:
    if route.request.resource_type == "media":
        await route.abort()
    else:
        await route.continue_()


async def _shoot(context: Any, shot: Shot, config: BrowserConfig,
                 pages: asyncio.Semaphore) -> None:
    bound = config.navigation_timeout_s + config.settle_timeout_s + 30
    async with pages:
        page = None
        try:
            page = await context.new_page()
            await asyncio.wait_for(_capture(page, shot, config), bound)
        except TimeoutError:
            shot.error = msg("screenshot took longer than {seconds} s", seconds=f"{bound:g}")
        except Exception as exc:
            message = (getattr(exc, "message", None) or str(exc)).strip().splitlines()
            first = message[0] if message else type(exc).__name__
            shot.error = (msg("timeout after {seconds} s",
                              seconds=f"{config.navigation_timeout_s:g}")
                          if "Timeout" in first else first[:300])
        finally:
            if page is not None:
                with suppress(Exception):
                    await asyncio.wait_for(page.close(), 10)
        if shot.error:
            log.warning("no screenshot of %s: %s", shot.url, shot.error)


async def _capture(page: Any, shot: Shot, config: BrowserConfig) -> None:
    watch = NetworkWatch(page)
    try:
        await page.goto(shot.url, wait_until="domcontentloaded",
                        timeout=config.navigation_timeout_s * 1000)
        await settle(page, watch, config.settle_timeout_s, config.settle_quiet_ms / 1000)
    except Exception as exc:  # a challenge reloading itself interrupts its own load:
        if not _reloading(exc):  # what it shows between reloads is the evidence
            raise
    shot.path.parent.mkdir(parents=True, exist_ok=True)
    for attempt in range(RELOADING_TRIES):
        try:
            await _photograph(page, shot, config)
            return
        except Exception as exc:  # a page that reloads itself (a challenge loop)
            if attempt + 1 == RELOADING_TRIES or not _reloading(exc):
                raise
            await asyncio.sleep(0.1)


# A challenge that reloads itself every few hundred ms: try between reloads.
RELOADING_TRIES = 8
_RELOAD_SIGNS = ("context was destroyed", "navigat", "interrupted", "ERR_ABORTED")


def _reloading(exc: Exception) -> bool:
    """Playwright's words for a page that navigated away while being read."""
    text = str(exc)
    return any(sign in text for sign in _RELOAD_SIGNS)


async def _photograph(page: Any, shot: Shot, config: BrowserConfig) -> None:
    height = await page.evaluate(
        "() => Math.max(document.documentElement ? document.documentElement.scrollHeight : 0,"
        " document.body ? document.body.scrollHeight : 0)")
    height = max(1, min(int(height or 1), config.screenshot_max_height_px))
    await page.screenshot(path=str(shot.path), full_page=True, animations="disabled",
                          clip={"x": 0, "y": 0, "width": config.viewport_width,
                                "height": height},
                          timeout=config.navigation_timeout_s * 1000)
