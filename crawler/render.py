"""Rendering with a browser: when a page needs it, and the download handler that does it.

Many government CMSs (Hanweb's jpage/dataproxy.jsp, TRS and others with
$.ajax/JSON, single-page apps) send a column's frame as HTML and fill its
list by script, so the static HTML looks empty when it is not. A browser
sees what a citizen sees, at the cost of a page load; govsite renders only
when it must:

- `render_reason()` (crawler/render_detect.py) reads a page's static HTML
  for signs of script-loaded content, by structure, not vendor class names;
- `Renderer` is the crawl's view of the browser: available or not, and why
  (no browser found, the browser keeps failing), with a circuit breaker;
- `RenderingHandler` (crawler/render_browser.py) is the scrapy-playwright
  download handler, imported only when a run renders.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# ---------------------------------------------------------------- the crawl's view
BROWSER_FAILURES = ("failed to start", "BrowserType.launch", "Browser has been closed",
                    "browser has been closed", "Executable doesn't exist", "start() must be awaited",
                    "Connection closed", "Browser closed", "Target crashed",
                    "has no attribute 'browser_type'")


@dataclass
class Renderer:
    """Whether pages can be rendered in this run, and why not."""

    executable: str | None
    unavailable: str | None = None  # why not: "no browser found", "the browser failed: ..."
    max_failures_in_row: int = 3
    failures_in_row: int = 0

    def __post_init__(self) -> None:
        if self.executable is None and self.unavailable is None:
            self.unavailable = "no browser found"

    @property
    def available(self) -> bool:
        return self.executable is not None and self.unavailable is None

    def succeeded(self) -> None:
        self.failures_in_row = 0

    def failed(self, message: str) -> bool:
        """Note a failed render; True when it was the browser, not the page, that failed.
        After a few browser failures in a row, rendering stops for the rest of the run."""
        if not any(marker in message for marker in BROWSER_FAILURES):
            return False
        self.failures_in_row += 1
        if self.failures_in_row >= self.max_failures_in_row and self.unavailable is None:
            self.unavailable = f"the browser failed: {message[:200]}"
            from govsite.crawler.browser import print_hint_once
            print_hint_once(f"{self.unavailable}; pages that need rendering are recorded as "
                            "not rendered for the rest of the run")
        return True


def context_name(site_id: int) -> str:
    """One browser context per site: cookies and storage never cross sites."""
    return f"site-{site_id}"


def describe_render_failure(failure: Any, navigation_timeout_s: float) -> str:
    """One line: why the browser could not give us the page."""
    value = failure.value if hasattr(failure, "value") else failure
    name = type(value).__name__
    text = (getattr(value, "message", None) or str(value)).strip().splitlines()
    first = text[0] if text else ""
    if isinstance(value, RenderTimeout):
        return first
    if "BrowserType.launch" in first:
        return "the browser failed to start: " + first.split("BrowserType.launch:", 1)[1].strip()
    if "Timeout" in name or "Timeout" in first:
        return f"timeout after {navigation_timeout_s:g} s"
    match = re.search(r"net::(ERR_[A-Z_]+)", first)
    if match:
        return f"browser could not load the page: {match.group(1)}"
    return f"{name}: {first[:300]}" if first else name


class RenderTimeout(Exception):
    """A render that took longer than its overall bound (a page busy forever)."""
