"""site-unreachable: the home page does not open (站点无法访问)."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from govsite.checks.base import Check, CheckSettings, Finding, SiteEvidence


class Settings(CheckSettings):
    home_timeout_s: float = Field(15, gt=0)


class SiteUnreachable(Check):
    id = "site-unreachable"
    title = "Site unreachable (站点无法访问)"
    indicator = "单项否决: 站点无法访问 (RULES.md, Single-veto items)"
    severity = "veto"
    requires_home_page = False
    remediation = (
        "Restore the site so its home page opens within 15 seconds; check DNS, "
        "the web server and any firewall rule blocking visitors."
    )
    Settings = Settings

    def evaluate(self, site: SiteEvidence) -> Iterator[Finding]:
        home = next((p for p in site.pages if p.depth == 0 and p.purpose == "crawl"), None)
        if home is None:
            yield self.finding(site.site.url, "The home page was never fetched.",
                               reason="not-fetched")
        elif home.error or not 200 <= home.status < 400:
            reason = home.error or f"HTTP {home.status}"
            yield self.finding(home.url, f"The home page did not open: {reason}.",
                               reason=reason, status=home.status)
        elif home.elapsed_s is not None and home.elapsed_s > self.settings.home_timeout_s:
            yield self.finding(home.url, f"The home page took {home.elapsed_s:.1f} s to open "
                               f"(limit {self.settings.home_timeout_s:g} s).",
                               reason="slow", elapsed_s=round(home.elapsed_s, 2))
