"""service-guide-elements: service guides missing key element categories (办事指南要素缺失).

RULES.md "Service guides" names twelve key element categories; the 2019
indicators deduct per guide with elements missing, and make "services not
usable" a single veto when 5 or more matters miss 4 or more categories [R].
A category is present when a label names it (synonyms: 受理条件/申请条件,
申请材料/办理材料 …) with a value, or, leniently, when its words appear on
the guide at all (a tab, a card heading, a picture of the procedure): only
a category nowhere on the page, or labelled with an empty value (无, -,
null), is missing. A lone 办理时限 counts as one time-limit category.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import Field

from govsite.checks.base import (
    INDICATORS_2019,
    Check,
    Finding,
    PageContext,
    SiteEvidence,
)
from govsite.checks.guides import KEY_ELEMENT_WORDS, KEY_ELEMENTS, GuidePages, GuideReading
from govsite.checks.guides import Settings as GuideSettings
from govsite.i18n import msg

FACT = "guide-elements"
# The twelve categories, by the names RULES.md gives them (evidence shows these).
CATEGORIES: dict[str, str] = {
    "name": "事项名称", "basis": "设定依据", "conditions": "申请条件", "materials": "办理材料",
    "procedure": "办理流程", "legal_limit": "法定办结时限", "committed_limit": "承诺办结时限",
    "fees": "收费标准", "place": "办理地点", "hours": "办理时间", "enquiry": "咨询方式",
    "complaint": "监督投诉方式",
}
# A value that states nothing. 无 is a full answer for fees (no charge) and for
# conditions (none required): there it is kept as a value.
_EMPTY = re.compile(r"^[\s\-－—_/／\\.。…]*$|^(无|暂无|空|null|none|n/?a)$", re.I)
_NONE_IS_AN_ANSWER = ("fees", "conditions")


class Settings(GuideSettings):
    min_missing: int = Field(..., ge=1, le=12)
    veto_guides: int = Field(..., ge=1)


class ServiceGuideElements(GuidePages, Check):
    title_zh = "办事指南要素缺失"
    title_en = "Service guide key elements missing"
    indicator = (f"{INDICATORS_2019} 扣分指标「办事服务」（办事指南要素缺失）；"
                 "单项否决指标「服务不实用」")
    severity = "deduct"
    category = "service"
    remediation = msg("Give every service guide all twelve key elements: 事项名称, 设定依据, 申请条件, "
                   "办理材料, 办理流程, 法定办结时限, 承诺办结时限, 收费标准, 办理地点, 办理时间, "
                   "咨询方式, 监督投诉方式, each with a value.")
    Settings = Settings

    def extract(self, page: PageContext) -> Iterable[dict[str, Any]]:
        if not self._relevant(page):
            return
        guide = self.read_guide(page)
        if guide is None:
            return
        present = categories_present(guide, page.compact_text())
        yield {"kind": FACT, "data": {
            "name": guide.name, "present": present,
            "missing": [key for key in CATEGORIES if key not in present]}}

    def evaluate(self, site: SiteEvidence) -> Iterator[Finding]:
        short: list[tuple[str, dict[str, Any]]] = []
        for fact in site.facts:
            if fact.kind != FACT:
                continue
            page = site.page(fact.url)
            if page is not None and page.needs_render and not page.rendered:
                yield self.finding(fact.url, msg("Service guide 「{guide}」 could not be read "
                                                 "as a browser shows it ({reason}); its "
                                                 "elements were not judged.",
                                                 guide=fact.data["name"],
                                                 reason=page.render_error),
                                   severity="warn", judged=False,
                                   guide=fact.data["name"], reason=page.render_error)
                continue
            if len(fact.data["missing"]) >= self.settings.min_missing:
                short.append((fact.url, fact.data))
        veto = len(short) >= self.settings.veto_guides
        for url, data in short:
            names = [CATEGORIES[key] for key in data["missing"]]
            yield self.finding(
                url, msg("Service guide 「{guide}」 misses {count} of the 12 key element "
                         "categories: {names}{more}.", guide=data["name"], count=len(names),
                         names="、".join(names),
                         more=msg(" ({short} guides miss {min_missing} or more: services not "
                                  "usable)", short=len(short),
                                  min_missing=self.settings.min_missing) if veto else ""),
                severity="veto" if veto else None, guide=data["name"], missing=names,
                guides_short=len(short))


def categories_present(guide: GuideReading, compact_text: str) -> list[str]:
    """The category keys the guide states, in CATEGORIES order."""
    present: set[str] = set()
    emptied: set[str] = set()
    for key, rule in KEY_ELEMENTS.items():
        if key == "time_limit":
            continue
        values = [value for label, value in guide.pairs if rule.search(label)]
        if values:
            stated = [v for v in values if not _is_empty(v, key)]
            (present if stated else emptied).add(key)
        elif any(word in compact_text for word in KEY_ELEMENT_WORDS[key]):
            present.add(key)
    limits = {kind: [lim for lim in found if not _is_empty(lim.raw, "limit")]
              for kind, found in guide.limits.items()}
    legal, committed = bool(limits.get("legal")), bool(limits.get("committed"))
    if limits.get("unspecified-kind"):  # a lone 办理时限: one of the two, the commitment first
        committed, legal = True, legal or committed
    present |= {key for key, has in (("legal_limit", legal), ("committed_limit", committed))
                if has}
    return [key for key in CATEGORIES if key in present]


def _is_empty(value: str, key: str) -> bool:
    value = value.strip()
    return bool(_EMPTY.match(value)) and not (key in _NONE_IS_AN_ANSWER and value == "无")
