"""account-not-updated: a government account that posted nothing for two weeks.

国办秘函〔2019〕19号, new-media indicators, single veto 「更新不及时」: no
post in the 2 weeks before the monitoring time point (as-of). Judged on the
account's feed, read in the crawl (crawler/feeds.py, extract/feeds.py), or on
an auditor's recorded result. Evidence before accusation: only a feed that
was fetched and parsed, with dated posts, can fail the account; a feed that
could not be fetched or parsed, or shows no dated post, leaves the account
not judged, saying why. A damaged feed (not well-formed) may have lost posts:
a fresh post read in it clears the account, a stale newest post does not
fail it. Posts dated after as-of are not freshness (a wrong clock), as on
home pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from pydantic import Field

from govsite.checks.account_base import (
    FEED,
    INDICATORS_2019_MEDIA,
    POST,
    AccountCheck,
    AccountEvidence,
)
from govsite.checks.base import CheckSettings, Finding
from govsite.i18n import msg


class Settings(CheckSettings):
    max_age_days: int = Field(..., ge=1, le=3650)


class AccountNotUpdated(AccountCheck):
    title_zh = "更新不及时"
    title_en = "Account not updated"
    indicator = f"{INDICATORS_2019_MEDIA} 单项否决指标「更新不及时」（监测时间点前2周内无更新）"
    severity = "veto"
    category = "operation"
    remediation = ("Publish on the account regularly (at least once in any two weeks) and "
                   "assign staff to keep it updated; an account no longer run should be "
                   "closed and deregistered.")
    Settings = Settings
    required = True

    def evaluate_feed(self, evidence: AccountEvidence) -> Iterator[Finding]:
        settings: Settings = self.settings  # type: ignore[assignment]
        feeds = evidence.of_kind(FEED)
        url = evidence.account.feed_url or ""
        if not feeds:
            yield self._not_judged(url, msg("no feed was read and no result was recorded"))
            return
        feed = feeds[-1].data
        url = feeds[-1].url or url
        if feed.get("problem"):
            yield self._not_judged(url, msg("feed not read: {reason}", reason=feed["problem"]))
            return
        as_of = evidence.as_of
        dated = [(date.fromisoformat(p.data["published"]), p.data) for p in evidence.of_kind(POST)
                 if p.data.get("published")]
        past = [(day, data) for day, data in dated if day <= as_of]
        limit = as_of - timedelta(days=settings.max_age_days)
        if past:
            newest, post = max(past, key=lambda pair: pair[0])
            if newest >= limit:
                return  # a fresh post read: updated
        if not feed.get("complete", True):
            yield self._not_judged(url, msg(
                "{damage}; no post of the {days} days before {as_of} among those read",
                damage=feed.get("damage") or msg("damaged feed"), days=settings.max_age_days,
                as_of=str(as_of)))
            return
        if not past:
            why = msg("the feed lists no post") if not feed.get("posts") else \
                msg("no post in the feed has a readable date up to as-of")
            yield self._not_judged(url, why)
            return
        days = (as_of - newest).days
        yield self.finding(
            post.get("link") or url,
            msg("No post in the {max_age_days} days before {as_of}: the newest, 「{title}」, is "
                "of {newest} ({days} days before).", max_age_days=settings.max_age_days,
                as_of=str(as_of), title=post.get("title") or msg("(untitled)"),
                newest=str(newest), days=days),
            newest=newest.isoformat(), title=post.get("title"), item=post.get("link"),
            days=days, max_age_days=settings.max_age_days, feed=url)

    def _not_judged(self, url: str, reason: str) -> Finding:
        return self.finding(url, msg("Not judged: {reason}.", reason=reason), severity="warn",
                            judged=False, reason=reason)
