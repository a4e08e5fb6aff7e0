"""site-unreachable: the home page does not open (站点无法访问).

docs/rules.md: monitored for a week with at least 20 visits a day; a visit fails
when the home page has not opened within 15 s; the site fails when failures
reach 5% of visits. The visits are the run's own fetch of the home page and
those `govsite probe` recorded (storage/visits.py). With fewer than the rule
asks for, a home page that did not open is reported, not vetoed: one failed
visit is not a week of monitoring, and a false single veto in a published
notice harms an office. Such a site is "not judged" (scoring/score.py), since
no other indicator could be inspected either.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

from pydantic import Field

from govsite.checks.base import (
    INDICATORS_2019,
    Check,
    CheckSettings,
    Finding,
    PageSummary,
    SiteEvidence,
)
from govsite.checks.home import home_page, page_opened
from govsite.i18n import msg
from govsite.web.challenge import BLOCKED

VISIT_KIND = "home-visit"  # the facts storage/visits.py gives this check, one per visit


class Settings(CheckSettings):
    home_timeout_s: float = Field(..., gt=0)
    window_days: int = Field(..., ge=1, le=31)
    min_visits: int = Field(..., ge=1)
    max_failure_share: float = Field(..., gt=0, le=1)


class SiteUnreachable(Check):
    title_zh = "站点无法访问"
    title_en = "Site unreachable"
    indicator = f"{INDICATORS_2019} 单项否决指标「站点无法访问」"
    severity = "veto"
    requires_home_page = False
    remediation = msg(
        "Restore the site so its home page opens within 15 seconds; check DNS, "
        "the web server and any firewall rule blocking visitors."
    )
    Settings = Settings

    def evaluate(self, site: SiteEvidence) -> Iterator[Finding]:
        home = home_page(site.pages)
        if home is not None and (home.render_error or "").startswith(BLOCKED):
            # Blocked is not broken: the server answered; a visitor's browser passes.
            yield self.finding(
                home.url, msg("The home page is behind bot protection that govsite's browser "
                              "could not get past ({reason}); the site is not judged.",
                              reason=home.render_error),
                severity="warn", reason=home.render_error, judged=False, blocked=True,
                status=home.status)
            return
        failure = self._failure(home)
        visits = self._visits_in_window(site)
        total = len(visits) + (home is not None)
        failed = sum(not v["ok"] for v in visits) + (home is not None and failure is not None)
        url = home.url if home is not None else site.site.url
        if total >= self.settings.min_visits:
            share = failed / total
            if share >= self.settings.max_failure_share:
                yield self.finding(
                    url, msg("The home page failed to open on {failed} of {total} visits in "
                             "{days} days ({share:.1%}; the rule allows less than "
                             "{allowed:.0%}).", failed=failed, total=total,
                             days=self.settings.window_days, share=share,
                             allowed=self.settings.max_failure_share),
                    reason="unreachable", visits=total, failed=failed, share=round(share, 4),
                    last_failure=failure or _last_failure(visits))
            return
        if failure is not None:
            yield self.finding(
                url, msg("The home page did not open on this visit: {failure}. Not judged "
                         "against the rule: {total} visit(s) in {days} days, it needs "
                         "{needed} (schedule `govsite probe`).", failure=failure, total=total,
                         days=self.settings.window_days, needed=self.settings.min_visits),
                severity="warn", reason=failure, judged=False, visits=total, failed=failed,
                status=home.status if home is not None else None)

    def _failure(self, home: PageSummary | None) -> str | None:
        """Why this run's visit to the home page failed, or None if it opened in time."""
        if home is None:
            return "the home page was never fetched"
        if not page_opened(home):
            return home.error or f"HTTP {home.status}"
        if home.elapsed_s is not None and home.elapsed_s > self.settings.home_timeout_s:
            return (f"took {home.elapsed_s:.1f} s to open "
                    f"(limit {self.settings.home_timeout_s:g} s)")
        return None

    def _visits_in_window(self, site: SiteEvidence) -> list[dict]:
        visits = [f.data for f in site.facts if f.kind == VISIT_KIND]
        if site.as_of is None:  # no reference day: the visits given are the window
            return visits
        first_day = site.as_of - timedelta(days=self.settings.window_days - 1)
        return [v for v in visits if first_day <= _day(v["at"]) <= site.as_of]


def _last_failure(visits: list[dict]) -> str | None:
    failed = [v for v in visits if not v["ok"]]
    return (failed[-1]["error"] or f"HTTP {failed[-1]['status']}") if failed else None


def _day(timestamp: str) -> date:
    return datetime.fromisoformat(timestamp).date()
