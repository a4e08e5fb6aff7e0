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

import re
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urljoin

from lxml import html as lxml_html
from pydantic import Field

from govsite.checks.base import (
    GUIDELINES_2017,
    INDICATORS_2019,
    Check,
    CheckSettings,
    FetchRequest,
    Finding,
    PageContext,
    SiteEvidence,
)
from govsite.checks.home import is_home
from govsite.extract.labels import label_pairs
from govsite.extract.sitemaps import looks_like_column_url as looks_like_column
from govsite.extract.structure import content_root, element_text, heading, row_text
from govsite.extract.timelimits import (
    TimeLimit,
    equivalent,
    exceeds,
    find_labelled_limits,
    parse_time_limit,
)
from govsite.web.urls import canonical, host_key

# docs/rules.md "Service guides": the key element categories of a guide, as the
# words a label names them by. "$": the word only as the end of a label (事项
# alone, not 事项指南).
KEY_ELEMENT_LABELS: dict[str, tuple[str, ...]] = {
    "name": ("事项名称", "服务名称", "事项$"),
    "basis": ("设定依据", "法律依据", "实施依据", "办理依据"),
    "conditions": ("申请条件", "受理条件", "办理条件"),
    "materials": ("申请材料", "办理材料", "申报材料", "所需材料", "提交材料"),
    "procedure": ("办理流程", "办事流程", "办理程序", "流程"),
    "time_limit": ("时限", "期限"),
    "fees": ("收费", "费用"),
    "place": ("办理地点", "受理地点", "办公地点", "地点"),
    "hours": ("办理时间", "受理时间", "办公时间"),
    "enquiry": ("咨询方式", "咨询电话", "咨询途径"),
    "complaint": ("监督方式", "监督电话", "监督途径", "投诉方式", "投诉电话", "投诉途径"),
}


def _label_rule(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w.removesuffix("$")) + ("$" if w.endswith("$") else "")
                               for w in words))


def _fewest_words(words: tuple[str, ...]) -> tuple[str, ...]:
    """The words a text must hold one of for any label word to be in it
    (办理流程 needs 流程: only 流程 is tested)."""
    plain = [w.removesuffix("$") for w in words]
    return tuple(w for w in plain if not any(o != w and o in w for o in plain))


KEY_ELEMENTS = {key: _label_rule(words) for key, words in KEY_ELEMENT_LABELS.items()}
GUIDE_TITLE = re.compile(r"办事指南|服务指南|办理指南|事项指南")
COMMITTED_HEADER = re.compile(r"承诺(办结)?(时限|期限)|办结时限|办理时限")
# Cheap tests on the page's compact text (PageContext.compact_text), each a
# superset of what the tree reading after it looks for.
# Plain words, not regexes: `in` on a long text is far cheaper than an alternation.
KEY_ELEMENT_WORDS = {key: _fewest_words(words) for key, words in KEY_ELEMENT_LABELS.items()}
LIMIT_WORDS = ("时限", "期限")
ITEM_LIMIT = re.compile(r"(?:承诺(?:办结)?(?:时限|期限)|办结时限)\s*[：:]\s*(\S+)")
ITEM_TAGS = ("li", "div", "dd", "p")
PROBLEM_ORDER = ("missing", "non-specific", "inconsistent", "commitment-exceeds-legal")


class Settings(CheckSettings):
    # govsite default: a page is a guide when it labels this many key element
    # categories (docs/rules.md lists twelve), or is titled 办事指南 and states a limit.
    min_key_elements: int = Field(..., ge=1, le=12)
    # govsite default: guides read from a service hall on another host (its
    # list pages linked from the home page as 办事指南, 办事服务 …), at most
    # this many per list page.
    max_hall_guides: int = Field(..., ge=0, le=5000)


HALL_ENTRY = re.compile(r"办事指南|办事服务|网上办事|在线办事|政务服务|办事大厅|服务事项|事项清单")
HALL_LIST = "guide-list"


def hall_guide_links(page: PageContext, limit: int) -> list[str]:
    """The links of a service hall's list page that may lead to guides: in its
    content (not its navigation, header or footer), on its own host, and not
    shaped like another list page."""
    host = host_key(page.final_url)
    root = page.memo("content_root", lambda: content_root(page.tree))
    found: list[str] = []
    for anchor in root.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        url = canonical(urljoin(page.final_url, href))
        if host_key(url) != host or url == canonical(page.final_url) or looks_like_column(url) \
                or url in found:
            continue
        found.append(url)
        if len(found) >= limit:
            break
    return found


def guide_elements(pairs: list[tuple[str, str]]) -> list[str]:
    return sorted({key for label, _ in pairs for key, rule in KEY_ELEMENTS.items()
                   if rule.search(label)})


def service_list_rows(tree: lxml_html.HtmlElement, page_url: str) -> list[dict[str, str]]:
    """Entries of a service list that state each guide's committed limit: table
    rows under a 承诺时限 column, or list items reading "承诺时限：X"."""
    found = {row["url"]: row for row in _table_rows(tree, page_url)}
    for row in _item_rows(tree, page_url):
        found.setdefault(row["url"], row)
    return list(found.values())


def _table_rows(tree: lxml_html.HtmlElement, page_url: str) -> Iterator[dict[str, str]]:
    for table in tree.iter("table"):
        header_cells = table.xpath("./tr[1]/* | ./thead/tr[1]/*")
        header = [element_text(c) for c in header_cells]
        column = next((i for i, text in enumerate(header) if COMMITTED_HEADER.search(text)
                       and "法定" not in text), None)
        if column is None:
            continue
        for row in table.xpath("./tr[position() > 1] | ./tbody/tr"):
            cells = [c for c in row if isinstance(c.tag, str) and c.tag in ("td", "th")]
            anchor = next(row.iter("a"), None)
            if anchor is None or column >= len(cells) or not anchor.get("href"):
                continue
            yield {"url": canonical(urljoin(page_url, anchor.get("href"))),
                   "name": element_text(anchor)[:100],
                   "committed": element_text(cells[column])[:100]}


def _item_rows(tree: lxml_html.HtmlElement, page_url: str) -> Iterator[dict[str, str]]:
    """List items holding one link and a "承诺时限：X" statement."""
    # Only blocks around a text naming a limit can hold the statement.
    holders = {block for text in tree.xpath("//text()[contains(., '时限') or contains(., '期限')]")
               if text.getparent() is not None
               for block in (text.getparent(), *text.getparent().iterancestors(*ITEM_TAGS))}
    for item in tree.iter(*ITEM_TAGS):
        if item not in holders:
            continue
        text = row_text(item)
        if len(text) > 200:
            continue
        match = ITEM_LIMIT.search(text)
        hrefs = {a.get("href") for a in item.iter("a")
                 if a.get("href") and not a.get("href").startswith(("javascript:", "#"))}
        if match is None or len(hrefs) != 1:
            continue
        anchor = next(a for a in item.iter("a") if a.get("href") in hrefs)
        yield {"url": canonical(urljoin(page_url, hrefs.pop())),
               "name": element_text(anchor)[:100], "committed": match.group(1)[:100]}


class ServiceGuideTimeLimit(Check):
    title_zh = "办事指南办结时限"
    title_en = "Service guide time limits"
    indicator = f"{INDICATORS_2019} 扣分指标「办事服务」（办事指南要素缺失、不准确）；{GUIDELINES_2017}"
    severity = "deduct"
    category = "service"
    remediation = (
        "State both the statutory (法定) and committed (承诺) time limits as a number of "
        "working or calendar days, or as 即办; keep them the same wherever the matter is "
        "listed, and never commit to more than the statutory limit."
    )
    Settings = Settings

    @staticmethod
    def _relevant(page: PageContext) -> bool:
        return page.tree is not None and page.ok

    @staticmethod
    def _list_rows(page: PageContext) -> list[dict[str, str]]:
        """A service list's rows; only a page naming a committed limit can have them."""
        text = page.compact_text()
        if not any(word in text for word in LIMIT_WORDS) or not COMMITTED_HEADER.search(text):
            return []
        return page.memo("service_list_rows",
                         lambda: service_list_rows(page.tree, page.final_url))

    def _may_be_guide(self, page: PageContext) -> bool:
        """Whether the page's words allow a guide: enough element names, or a
        guide title (a guide always states a time limit, or it is missing one)."""
        text = page.compact_text()
        if "指南" in text and GUIDE_TITLE.search(text):
            return True
        named = sum(1 for words in KEY_ELEMENT_WORDS.values() if any(w in text for w in words))
        return named >= self.settings.min_key_elements

    def wants(self, page: PageContext) -> Iterable[FetchRequest]:
        if not self._relevant(page):
            return
        for row in self._list_rows(page):
            yield FetchRequest(row["url"], purpose="guide", offsite=True)
        if is_home(page):
            # A service hall on another host, linked as the site's own: the
            # crawl does not go there, so its guide list is asked for.
            for link in page.links:
                if HALL_ENTRY.search(link.text) and host_key(link.url) != page.site.host:
                    yield FetchRequest(link.url, purpose=HALL_LIST, offsite=True)
        elif page.purpose == HALL_LIST:
            for url in hall_guide_links(page, self.settings.max_hall_guides):
                yield FetchRequest(url, purpose="guide", offsite=True)

    def extract(self, page: PageContext) -> Iterable[dict[str, Any]]:
        if not self._relevant(page):
            return
        rows = self._list_rows(page)
        for row in rows:
            yield {"kind": "list-row", "data": row}
        if len(rows) >= 2 or not self._may_be_guide(page):
            return  # a list of services, or no guide
        pairs = page.memo("label_pairs", lambda: label_pairs(page.tree))
        elements = guide_elements(pairs)
        titled = bool(GUIDE_TITLE.search(heading(page.tree) + page.title))
        limits = find_labelled_limits(pairs)
        states_limit = any(limits.values())
        if len(elements) < self.settings.min_key_elements and not (titled and states_limit):
            return
        raw = {kind: [limit.raw for limit in found] for kind, found in limits.items()}
        yield {"kind": "guide", "data": {
            "name": next((v for k, v in pairs if KEY_ELEMENTS["name"].search(k)), "")[:100]
            or heading(page.tree)[:100],
            "elements": elements, "legal": raw.get("legal", []),
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
                yield self.finding(fact.url, f"Service guide 「{fact.data['name']}」: {detail}.",
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
            return "missing", "no time limit is stated"
        vague = [limit for limit in stated if not limit.specific]
        if vague:
            return "non-specific", f"time limit 「{vague[0].raw}」 is not specific"
        for name, values in (("statutory", legal), ("committed", committed)):
            if any(not equivalent(values[0], other) for other in values[1:]):
                return "inconsistent", (f"the {name} limit is stated differently: "
                                        + " / ".join(v.raw for v in values))
        for raw in listed:
            on_list = _parse(raw)
            if committed and on_list.specific and not equivalent(on_list, committed[0]):
                return "inconsistent", (f"the service list says 「{raw}」 but the guide "
                                        f"says 「{committed[0].raw}」")
        if legal and not committed and not unspecified:
            return "missing", (f"only the statutory limit 「{legal[0].raw}」 is stated; the "
                               "committed limit is missing")
        if committed and not legal and not unspecified:
            return "missing", (f"only the committed limit 「{committed[0].raw}」 is stated; the "
                               "statutory limit is missing")
        if legal and committed and exceeds(committed[0], legal[0]):
            return "commitment-exceeds-legal", (f"the committed limit 「{committed[0].raw}」 "
                                                f"exceeds the statutory 「{legal[0].raw}」")
        return None


def _parse(raw: str) -> TimeLimit:
    return parse_time_limit(raw) or TimeLimit(None, None, raw, False)
