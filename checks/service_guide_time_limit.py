"""service-guide-time-limit: service guides with missing, vague or inconsistent time limits.

A service guide (办事指南) states the statutory limit (法定办结时限) and the
committed one (承诺办结时限). The notice names guides with no specific limit
and with inconsistent limits; docs/rules.md adds that a commitment longer than the
statutory limit is an error, that 即办/当场办结 are specific, and that units
differ (工作日 vs 日). Limits are read from any layout (extract.labels) and
parsed with Chinese numerals (extract.timelimits); evaluation re-parses the
stored raw text, so a parser fix applies to stored runs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from govsite.checks.base import (
    GUIDELINES_2017,
    INDICATORS_2019,
    Check,
    Finding,
    PageContext,
    SiteEvidence,
)
from govsite.checks.guides import GuidePages, Settings
from govsite.extract.timelimits import TimeLimit, equivalent, exceeds, parse_time_limit
from govsite.i18n import msg
from govsite.web.urls import canonical

# Re-exported: tests and tools read guides through the time-limit check's module.
__all__ = ["ServiceGuideTimeLimit", "Settings"]


class ServiceGuideTimeLimit(GuidePages, Check):
    title_zh = "办事指南办结时限"
    title_en = "Service guide time limits"
    indicator = f"{INDICATORS_2019} 扣分指标「办事服务」（办事指南要素缺失、不准确）；{GUIDELINES_2017}"
    severity = "deduct"
    category = "service"
    remediation = msg(
        "State both the statutory (法定) and committed (承诺) time limits as a number of "
        "working or calendar days, or as 即办; keep them the same wherever the matter is "
        "listed, and never commit to more than the statutory limit."
    )
    Settings = Settings

    def extract(self, page: PageContext) -> Iterable[dict[str, Any]]:
        if not self._relevant(page):
            return
        for row in self._list_rows(page):
            yield {"kind": "list-row", "data": row}
        guide = self.read_guide(page)
        if guide is None:
            return
        raw = {kind: [limit.raw for limit in found] for kind, found in guide.limits.items()}
        yield {"kind": "guide", "data": {
            "name": guide.name, "elements": guide.elements, "legal": raw.get("legal", []),
            "committed": raw.get("committed", []),
            "unspecified": raw.get("unspecified-kind", [])}}

    def evaluate(self, site: SiteEvidence) -> Iterator[Finding]:
        listed: dict[str, list[str]] = {}
        for fact in site.facts:
            if fact.kind == "list-row":
                listed.setdefault(fact.data["url"], []).append(fact.data["committed"])
        for fact in site.facts:
            if fact.kind != "guide":
                continue
            problem = self._problem(fact.data, listed.get(canonical(fact.url), []))
            if problem is not None:
                kind, detail = problem
                yield self.finding(fact.url, msg("Service guide 「{guide}」: {detail}.",
                                                 guide=fact.data["name"], detail=detail),
                                   problem=kind, guide=fact.data["name"],
                                   legal=fact.data["legal"], committed=fact.data["committed"],
                                   listed=listed.get(canonical(fact.url), []))

    @staticmethod
    def _problem(guide: dict[str, Any], listed: list[str]) -> tuple[str, str] | None:
        legal = [_parse(raw) for raw in guide["legal"]]
        committed = [_parse(raw) for raw in guide["committed"]]
        unspecified = [_parse(raw) for raw in guide["unspecified"]]
        stated = legal + committed + unspecified
        if not stated:
            return "missing", msg("no time limit is stated")
        vague = [limit for limit in stated if not limit.specific]
        if vague:
            return "non-specific", msg("time limit 「{raw}」 is not specific", raw=vague[0].raw)
        for name, values in (("statutory", legal), ("committed", committed)):
            if any(not equivalent(values[0], other) for other in values[1:]):
                which = msg("statutory") if name == "statutory" else msg("committed")
                return "inconsistent", msg("the {which} limit is stated differently: {values}",
                                           which=which,
                                           values=" / ".join(v.raw for v in values))
        for raw in listed:
            on_list = _parse(raw)
            if committed and on_list.specific and not equivalent(on_list, committed[0]):
                return "inconsistent", msg("the service list says 「{listed}」 but the guide says "
                                        "「{guide}」", listed=raw, guide=committed[0].raw)
        if legal and not committed and not unspecified:
            return "missing", msg("only the statutory limit 「{raw}」 is stated; the committed "
                               "limit is missing", raw=legal[0].raw)
        if committed and not legal and not unspecified:
            return "missing", msg("only the committed limit 「{raw}」 is stated; the statutory "
                               "limit is missing", raw=committed[0].raw)
        if legal and committed and exceeds(committed[0], legal[0]):
            return "commitment-exceeds-legal", msg("the committed limit 「{committed}」 exceeds "
                                                "the statutory 「{legal}」",
                                                committed=committed[0].raw, legal=legal[0].raw)
        return None


def _parse(raw: str) -> TimeLimit:
    return parse_time_limit(raw) or TimeLimit(None, None, raw, False)
