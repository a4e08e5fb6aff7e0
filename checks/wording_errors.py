"""wording-errors: serious wrong wordings and outdated official names in page text.

docs/rules.md, 严重问题: a serious wording error (a misspelt name or title of
the state, the Party, a leader) is a single veto; other wrong wordings (an
institution's name abolished by the 2018 reform) are deducted. The dictionary
lives in config.yaml (`checks.wording-errors.entries`), each entry a pattern
with its correct form, its reason and whether it is serious; offices extend
it. An entry with `since` (an outdated name) counts only on pages published on
or after that day, and on the home page (current by definition): an article
of 2016 naming 国土资源部 is history, not an error; "原国土资源部" (former) is
excluded by the pattern itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from functools import cached_property
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from govsite.checks.base import (
    INDICATORS_2019,
    Check,
    CheckSettings,
    Fact,
    Finding,
    PageContext,
    SiteEvidence,
)
from govsite.extract.published import published
from govsite.i18n import msg

FACT = "wording"
_SENTENCE_END = "。！？；!?;\n"
_HIDDEN = ("script", "style", "noscript", "template", "textarea")


# The reasons of config.yaml's bundled entries, catalogued so a Chinese report says
# them in Chinese (reports/reasons.py reads a finding's `reason` by its catalogue id);
# an office's own entries are shown as the office wrote them.
BUNDLED_REASONS = (
    msg("the state's name misspelt ([2019] 严重表述错误)"),
    msg("the Party's formulation misspelt ([2019] 严重表述错误)"),
    msg("a leader's title misspelt ([2019] 严重表述错误)"),
    msg("abolished by the 2018 reform (《国务院机构改革方案》, 2018-03-17)"),
)


class Entry(BaseModel):
    """One wrong wording: a regular expression, the right form, why, and its weight."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    wrong: str = Field(..., min_length=1)
    right: str = Field(..., min_length=1)
    reason: str = Field(..., min_length=1)
    serious: bool
    since: date | None = None  # an outdated name: wrong on pages published from this day


class Settings(CheckSettings):
    entries: list[Entry]
    max_per_page: int = Field(..., ge=1, le=100)
    max_findings: int = Field(..., ge=1, le=1000)


class WordingErrors(Check):
    title_zh = "严重表述错误"
    title_en = "Wrong wording"
    indicator = f"{INDICATORS_2019} 单项否决指标「严重问题」（严重表述错误）"
    severity = "veto"
    category = "security"
    remediation = msg("Correct the wording on the page (the finding gives the right form) and "
                   "check the site's other pages for the same error.")
    Settings = Settings

    @cached_property
    def patterns(self) -> list[tuple[Entry, re.Pattern[str]]]:
        return [(entry, re.compile(entry.wrong)) for entry in self.settings.entries]

    @cached_property
    def cores(self) -> list[str] | None:
        """A literal every entry's match contains (its longest run of Chinese
        characters): a page holding none of them is skipped whole, so the
        check costs a substring test on most pages. None: some entry has none."""
        cores = []
        for entry in self.settings.entries:
            runs = re.findall(r"[\u4e00-\u9fff]{2,}", entry.wrong)
            if not runs:
                return None
            cores.append(max(runs, key=len))
        return cores

    def extract(self, page: PageContext) -> Iterable[dict[str, Any]]:
        if page.tree is None or page.status >= 400 or (page.needs_render and not page.rendered):
            return
        if self.cores is not None and not any(core in page.text for core in self.cores):
            return
        body = page.tree.find("body")
        if body is None:
            return
        home = page.depth == 0 and page.purpose == "crawl"
        yield from self.text_facts(_visible_text(body), lambda: published(page.tree, page.as_of),
                                   current=home)

    def text_facts(self, text: str, day_of: Callable[[], date | None], *,
                   current: bool = False) -> Iterator[dict[str, Any]]:
        """Wording facts of any text (a page's, a new-media post's): `day_of`
        gives its publish day, asked only when an outdated-name entry matches;
        `current` text (a home page) is wrong whatever its day."""
        day: date | None = None
        dated = False
        found = 0
        for entry, pattern in self.patterns:
            for match in pattern.finditer(text):
                if entry.since is not None:
                    if not dated:
                        day, dated = day_of(), True
                    if not current and (day is None or day < entry.since):
                        break  # history, or undated: not this entry's error here
                yield {"kind": FACT, "data": {
                    "wrong": match.group(0), "right": entry.right, "reason": entry.reason,
                    "serious": entry.serious, "sentence": _sentence(text, match.start(),
                                                                     match.end()),
                    "published": day.isoformat() if day else None}}
                found += 1
                if found >= self.settings.max_per_page:
                    return

    def evaluate(self, site: SiteEvidence) -> Iterator[Finding]:
        return self.findings(site.facts)

    def findings(self, facts: Iterable[Fact]) -> Iterator[Finding]:
        """Findings from wording facts, one per place and wrong word (a site's
        pages, an account's posts)."""
        seen: set[tuple[str, str]] = set()
        count = 0
        for fact in facts:
            if fact.kind != FACT:
                continue
            data = fact.data
            key = (fact.url, data["wrong"])
            if key in seen:
                continue
            seen.add(key)
            count += 1
            if count > self.settings.max_findings:
                return
            yield self.finding(
                fact.url, msg("「{wrong}」 should read 「{right}」 ({reason}): {sentence}",
                              wrong=data["wrong"], right=data["right"], reason=data["reason"],
                              sentence=data["sentence"]),
                severity="veto" if data["serious"] else "deduct",
                wrong=data["wrong"], right=data["right"], reason=data["reason"],
                sentence=data["sentence"], serious=data["serious"])


def _visible_text(body: Any) -> str:
    """What a visitor reads, a text node per line (a name split across two blocks
    is not one word), without script, style and form contents."""
    lines = []
    for node in body.xpath(".//text()[normalize-space()]"):
        holder = node.getparent()
        if node.is_tail and holder is not None:
            holder = holder.getparent()
        if holder is None or holder.tag in _HIDDEN or any(
                a.tag in _HIDDEN for a in holder.iterancestors()):
            continue
        lines.append(node.strip())
    return "\n".join(lines)


def _sentence(text: str, start: int, end: int, limit: int = 120) -> str:
    """The sentence around a match (cut at 。！？； or a line), at most `limit` chars."""
    left = max((text.rfind(ch, 0, start) for ch in _SENTENCE_END), default=-1) + 1
    ends = [i for i in (text.find(ch, end) for ch in _SENTENCE_END) if i >= 0]
    right = min(ends) + 1 if ends else len(text)
    left = max(left, start - limit // 2)
    right = min(right, end + limit // 2)
    return text[left:right].strip()
