"""The one statement of "the home page opened", which several rules rest on.

A site whose home page did not open on this run is judged by site-unreachable
alone (the checks that read the site would see an empty crawl), and its other
problems are neither seen again nor resolved by that run (tracking, compare,
the notice's rectification section). Every module asks here.
"""

from __future__ import annotations

from collections.abc import Iterable

from govsite.checks.base import PageSummary

# A finding of this check (veto or not-judged warning) means the run's visit to
# the home page failed: nothing else about the site could be observed.
HOME_CHECK = "site-unreachable"


def is_home(page: PageSummary) -> bool:
    """The run's own visit to the registered home page."""
    return page.depth == 0 and page.purpose == "crawl"


def page_opened(page: PageSummary) -> bool:
    return not page.error and 200 <= page.status < 400


def home_page(pages: Iterable[PageSummary]) -> PageSummary | None:
    return next((page for page in pages if is_home(page)), None)


def home_opened(pages: Iterable[PageSummary]) -> bool:
    """Whether this run's visit opened the home page."""
    home = home_page(pages)
    return home is not None and page_opened(home)


def home_failed(check_ids: Iterable[str]) -> bool:
    """Whether a run's findings (by check id) say its home page did not open."""
    return HOME_CHECK in set(check_ids)
