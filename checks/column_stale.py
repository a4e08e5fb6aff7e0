"""column-stale: columns not updated within the time their kind allows (栏目不更新).

RULES.md, single veto 栏目不更新: news and dynamics columns (动态, 要闻) with
nothing in the 2 weeks before as-of and notice and policy columns (通知公告,
政策文件) with nothing in 6 months count as stale; 5 or more stale columns
fail the site. A policy-document first-level column not updated within 6
months is also a deduction (−5). The 2015 census rule: information without a
publish date counts as not updated. A column is classified by its name
(config lists the words of each class); a column of no class is never judged
stale. The newest date is read from the column page's own content (not its
header clock or footer); dates after as-of are no evidence of an update.
Empty columns and columns that did not open are empty-column's findings.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from govsite.checks.base import (
    INDICATORS_2019,
    Check,
    CheckSettings,
    FetchRequest,
    Finding,
    PageContext,
    SiteEvidence,
)
from govsite.checks.columns import COLUMN, column_links, column_requests
from govsite.extract.item_dates import dated_items
from govsite.extract.listing import read_listing
from govsite.extract.structure import content_root
from govsite.i18n import msg

FACT = "column-dates"


class ColumnClass(BaseModel):
    """A kind of column: the words its name holds and how old its newest item may be."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(..., min_length=1)
    words: tuple[Annotated[str, Field(min_length=1)], ...] = Field(..., min_length=1)
    max_age_days: int = Field(..., ge=1, le=3660)
    policy: bool = False  # a policy-document class: first-level and stale is a deduction


class Settings(CheckSettings):
    classes: tuple[ColumnClass, ...] = Field(..., min_length=1)
    veto_threshold: int = Field(..., ge=1)


class ColumnStale(Check):
    title_zh = "栏目不更新"
    title_en = "Columns not updated"
    indicator = (f"{INDICATORS_2019} 单项否决指标「栏目不更新」；扣分指标「发布解读」"
                 "（政策文件类一级栏目6个月未更新）")
    severity = "warn"  # each stale column; the veto comes from their number
    category = "operation"
    remediation = msg("Publish in each column as often as its kind requires (news and dynamics "
                   "every two weeks, notices and policy documents every six months), each item "
                   "with its publish date; merge or remove columns that have nothing to say.")
    Settings = Settings

    def classify(self, name: str) -> ColumnClass | None:
        """The first class whose words the column's name holds (config order)."""
        return next((c for c in self.settings.classes if any(w in name for w in c.words)), None)

    def wants(self, page: PageContext) -> Iterable[FetchRequest]:
        return column_requests(page)

    def extract(self, page: PageContext) -> Iterable[dict[str, Any]]:
        yield from column_links(page)
        if page.tree is None or not page.ok or not (page.purpose == COLUMN or page.depth == 1):
            return
        root = page.memo("content_root", lambda: content_root(page.tree))
        items = dated_items(root, page.final_url, page.as_of)
        past = [i.day for i in items if page.as_of is None or i.day <= page.as_of]
        listing = read_listing(page.tree, page.final_url, page.as_of, root=root)
        yield {"kind": FACT, "data": {
            "newest": max(past).isoformat() if past else None, "dated": len(items),
            "future": len(items) - len(past), "items": listing.items,
            "rendered": page.rendered, "needs_render": page.needs_render}}

    def evaluate(self, site: SiteEvidence) -> Iterator[Finding]:
        columns = _columns(site)
        readings = {f.url: f.data for f in site.facts if f.kind == FACT}
        parents = {c["parent"] for c in columns.values() if c.get("parent")}
        stale: list[tuple[str, dict[str, Any], ColumnClass, str | None]] = []
        for url, column in columns.items():
            kind = self.classify(column["text"])
            page = site.page(url)
            reading = readings.get(url)
            if kind is None or page is None or reading is None or url in parents:
                continue  # no class, never fetched, failed (empty-column's), or a parent
            if reading["needs_render"] and not reading["rendered"]:
                yield self.finding(url, msg("Column 「{column}」 could not be read as a "
                                            "browser shows it ({reason}); its freshness "
                                            "was not judged.", column=column["text"],
                                            reason=page.render_error),
                                   severity="warn", judged=False,
                                   column=column["text"], reason=page.render_error)
                continue
            if reading["items"] == 0 and reading["dated"] == 0:
                continue  # an empty column: empty-column says so
            newest = reading["newest"]
            limit = site.as_of - timedelta(days=kind.max_age_days)
            if newest is None or date.fromisoformat(newest) < limit:
                stale.append((url, column, kind, newest))
        veto = len(stale) >= self.settings.veto_threshold
        for url, column, kind, newest in stale:
            first_level = column["first_level"]
            severity = "veto" if veto else "deduct" if kind.policy and first_level else None
            age = (msg("its newest item is of {newest}, {days} days before as-of",
                       newest=newest, days=(site.as_of - date.fromisoformat(newest)).days)
                   if newest else msg("its items carry no date"))
            more = msg(" ({stale} stale columns)", stale=len(stale)) if veto else ""
            yield self.finding(
                url, msg("Column 「{column}」 ({kind}) is not updated: {age}; the rule allows "
                         "{max_days} days{more}.", column=column["text"], kind=kind.name,
                         age=age, max_days=kind.max_age_days, more=more),
                severity=severity, column=column["text"], **{"class": kind.name},
                newest=newest, max_age_days=kind.max_age_days, first_level=first_level,
                stale_columns=len(stale))


def _columns(site: SiteEvidence) -> dict[str, dict[str, Any]]:
    """Columns by URL, named as the site map names them (else the navigation); a
    column of the navigation bar, or at the site map's top, is first-level."""
    found: dict[str, dict[str, Any]] = {}
    for fact in site.facts:
        if fact.kind != "column-link":
            continue
        data = fact.data
        column = found.setdefault(data["url"], {**data, "nav": False})
        if data["via"] == "navigation":
            column["nav"] = True
        elif data["via"] == "sitemap":
            column.update(text=data["text"], parent=data["parent"])
    for column in found.values():
        column["first_level"] = column["nav"] or column.get("parent") is None
    return found
