"""home-not-updated: nothing new on the home page for two weeks (首页不更新).

docs/rules.md, single veto: no new information on the home page for 2 weeks
before as-of. The newest date beside a linked title on the home page is its
last update (extract/item_dates.py: a header clock or a year in a title dates
nothing). Dates after as-of are no evidence of freshness: they are reported
apart (`problem: future-date`, a warning). A home page that shows no dated
item at all is not judged: many portals print no dates on their home page,
and a veto must rest on a date read, not on an absence.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from typing import Any

from pydantic import Field

from govsite.checks.base import (
    INDICATORS_2019,
    Check,
    CheckSettings,
    Finding,
    PageContext,
    SiteEvidence,
)
from govsite.checks.home import home_page, is_home
from govsite.extract.item_dates import dated_items
from govsite.i18n import msg

FACT = "home-dates"


class Settings(CheckSettings):
    max_age_days: int = Field(..., ge=1, le=366)


class HomeNotUpdated(Check):
    title_zh = "首页不更新"
    title_en = "Home page not updated"
    indicator = f"{INDICATORS_2019} 单项否决指标「首页不更新」"
    severity = "veto"
    remediation = msg("Publish new information on the home page at least every two weeks "
                   "(news, notices, policy documents), each with its publish date.")
    Settings = Settings

    def extract(self, page: PageContext) -> Iterable[dict[str, Any]]:
        if page.tree is None or page.depth != 0 or page.purpose != "crawl":
            return
        items = dated_items(page.tree, page.final_url, page.as_of)
        past = [i for i in items if page.as_of is None or i.day <= page.as_of]
        future = [i for i in items if page.as_of is not None and i.day > page.as_of]
        newest = max(past, key=lambda i: i.day, default=None)
        yield {"kind": FACT, "data": {
            "items": len(items), "dated_past": len(past),
            "newest": newest.day.isoformat() if newest else None,
            "newest_url": newest.url if newest else None,
            "newest_title": newest.title if newest else None,
            "future": [{"day": i.day.isoformat(), "url": i.url, "title": i.title}
                       for i in future[:5]], "future_count": len(future)}}

    def evaluate(self, site: SiteEvidence) -> Iterator[Finding]:
        home = home_page(site.pages)
        if home is None:
            return
        if home.needs_render and not home.rendered:
            yield self.finding(home.url, msg("The home page could not be read as a browser "
                                             "shows it ({reason}); not judged.",
                                             reason=home.render_error), severity="warn",
                               judged=False, reason=home.render_error)
            return
        fact = next((f.data for f in site.facts if f.kind == FACT and _on(site, f.url)), None)
        if fact is None:
            return
        if fact["future_count"]:
            first = fact["future"][0]
            yield self.finding(first["url"], msg("{count} item(s) on the home page are dated "
                                                 "after {as_of} (e.g. {day}): such dates are "
                                                 "no evidence of an update.",
                                                 count=fact["future_count"],
                                                 as_of=str(site.as_of), day=first["day"]),
                               severity="warn",
                               problem="future-date", dates=fact["future"])
        if fact["newest"] is None:
            yield self.finding(home.url, msg("The home page shows no dated item; its "
                                             "freshness could not be read: not judged."),
                               severity="warn",
                               judged=False, problem="no-dates")
            return
        newest = date.fromisoformat(fact["newest"])
        limit = site.as_of - timedelta(days=self.settings.max_age_days)
        if newest < limit:
            yield self.finding(home.url, msg("The newest dated item on the home page is of "
                                             "{newest} ({days} days before {as_of}; the rule "
                                             "allows {max_days}).", newest=str(newest),
                                             days=(site.as_of - newest).days,
                                             as_of=str(site.as_of),
                                             max_days=self.settings.max_age_days),
                               newest=fact["newest"], item=fact["newest_url"],
                               title=fact["newest_title"])


def _on(site: SiteEvidence, url: str) -> bool:
    page = site.page(url)
    return page is not None and is_home(page)
