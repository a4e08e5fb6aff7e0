"""The reference check: every hook of the contract, doing nothing useful.

Copy this file to write a check (checks/my_check.py gives the id my-check and
the config key `checks: my-check:`). Like 18F domain-scan's scanners/noop.py,
it is small enough to learn the contract from in a minute. Disabled in the
bundled config.yaml; `checks: noop: {enabled: true}` runs it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import Field

from govsite.checks.base import (
    Check,
    CheckSettings,
    FetchRequest,
    Finding,
    PageContext,
    SiteEvidence,
)
from govsite.i18n import msg


class Settings(CheckSettings):
    # Every number a rule uses comes from config.yaml (checks: noop:), with its source.
    report_pages: bool = Field(...)


class Noop(Check):
    title_zh = "参考检查（不做任何判断）"
    title_en = "Reference check (judges nothing)"
    indicator = msg("none: the reference implementation of the check contract")
    severity = "info"
    category = "operation"
    requires_home_page = True  # not judged when the home page did not open
    remediation = msg("Nothing to do.")
    Settings = Settings

    def wants(self, page: PageContext) -> Iterable[FetchRequest]:
        """Pages this check needs beyond the crawl (none): e.g. a site map's columns."""
        return ()

    def extract(self, page: PageContext) -> Iterable[dict[str, Any]]:
        """Small JSON facts from one parsed page, stored with the run."""
        if page.ok and page.depth == 0:
            yield {"kind": "seen", "data": {"title": page.title}}

    def evaluate(self, site: SiteEvidence) -> Iterator[Finding]:
        """The site's facts into findings: pure, no network (so `rescore` works)."""
        if self.settings.report_pages:
            for fact in site.facts:
                yield self.finding(fact.url, msg("Home page read: {title}", title=fact.data["title"]),
                                   title=fact.data["title"])
