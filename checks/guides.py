"""Service guides (办事指南): how both guide checks find and read them.

service-guide-time-limit and service-guide-elements judge the same pages: a
guide reached by the crawl, by a service list that names each guide's
committed limit, or in a service hall on another host linked from the home
page. `GuidePages` holds that finding and reading once; each check adds its
own facts and judgement. Labels are read from any layout (extract.labels).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urljoin

from lxml import html as lxml_html
from pydantic import Field

from govsite.checks.base import CheckSettings, FetchRequest, PageContext
from govsite.checks.home import is_home
from govsite.extract.labels import label_pairs
from govsite.extract.sitemaps import looks_like_column_url as looks_like_column
from govsite.extract.structure import content_root, element_text, heading, row_text
from govsite.extract.timelimits import TimeLimit, find_labelled_limits
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




@dataclass(frozen=True)
class GuideReading:
    """One guide page as read: its label pairs, the categories they name, its limits."""

    name: str
    pairs: list[tuple[str, str]]
    elements: list[str]
    limits: dict[str, list[TimeLimit]]


class GuidePages:
    """Finding and reading guides, shared by the guide checks (a mixin of Check)."""

    settings: Settings

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

    def read_guide(self, page: PageContext) -> GuideReading | None:
        """The page as a guide, or None: a list of services, or no guide at all."""
        if len(self._list_rows(page)) >= 2 or not self._may_be_guide(page):
            return None
        pairs = page.memo("label_pairs", lambda: label_pairs(page.tree))
        elements = guide_elements(pairs)
        titled = bool(GUIDE_TITLE.search(heading(page.tree) + page.title))
        limits = page.memo("guide_limits", lambda: find_labelled_limits(pairs))
        states_limit = any(limits.values())
        if len(elements) < self.settings.min_key_elements and not (titled and states_limit):
            return None
        name = next((v for k, v in pairs if KEY_ELEMENTS["name"].search(k)), "")[:100] \
            or heading(page.tree)[:100]
        return GuideReading(name, pairs, elements, limits)
