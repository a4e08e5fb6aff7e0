"""Is this page a list with items? The shared knowledge behind empty-column.

A column's items are rows (li, tr, dd, p, div) holding a link with a real
title and, almost always, a publish date. Placeholder text (暂无信息, 栏目建设中…)
counts only when it stands alone in an element, never inside a link title, so
an article called "我县暂无新增隐患点" is an item, not a placeholder. Items
embedded in script data islands (Hanweb's <script type="text/xml"> datastore)
are read too: they are on the page, only not as elements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html

from govsite.extract.dates import find_dates
from govsite.extract.structure import (
    content_root,
    element_text,
    prose_sentences,
    row_text,
    squeeze,
)
from govsite.web.urls import canonical, resolve

ROW_TAGS = ("li", "tr", "dd", "dt", "p", "div", "span", "td", "article", "section")
# govsite default list of placeholder phrases; the empty-column check takes
# its list from config.yaml (checks: empty-column: placeholders).
PLACEHOLDER_PHRASES: tuple[str, ...] = (
    "暂无信息", "暂无内容", "暂无数据", "暂无记录", "暂无文章", "暂无资料", "暂无相关信息",
    "暂无相关内容", "暂无相关数据", "暂无相关记录", "没有信息", "没有数据", "没有记录", "没有内容",
    "没有找到相关记录", "没有找到相关信息", "没有相关信息", "没有相关记录", "无相关信息",
    "无相关记录", "无相关内容", "无信息", "无记录", "无数据", "无内容", "正在建设中", "栏目建设中",
    "建设中", "敬请期待", "升级改版中", "改版升级中", "正在改版", "改版中", "内容更新中",
    "信息更新中", "正在更新中", "正在更新", "正在完善中", "正在完善", "待更新", "即将上线",
    "即将开通", "no data", "no records", "no record", "no information",
)
# What may stand beside placeholder phrases in a placeholder: the column or
# page it speaks of, softening words, punctuation (本栏目正在建设中，敬请期待！).
_PLACEHOLDER_FILLER = re.compile(
    r"本栏目|该栏目|此栏目|栏目|本页面|该页面|本页|页面|本站|网站|系统|相关|目前|当前|暂时|尚|"
    r"信息|内容|数据|资料|记录|available|[\s\W_]", re.I)
MAX_PLACEHOLDER_CHARS = 40


@lru_cache(maxsize=16)
def _longest_first(phrases: tuple[str, ...]) -> tuple[str, ...]:
    """Longer phrases first, so 正在建设中 is taken whole before 建设中."""
    return tuple(sorted((p.lower() for p in phrases if p), key=len, reverse=True))


def is_placeholder(text: str, phrases: tuple[str, ...] = PLACEHOLDER_PHRASES) -> bool:
    """Whether a short text says only that there is nothing here: it holds one
    of `phrases` and nothing but them, the column it speaks of and punctuation."""
    rest = squeeze(text).lower()
    if not rest or len(rest) > MAX_PLACEHOLDER_CHARS:
        return False
    found = False
    for phrase in _longest_first(phrases):
        if phrase in rest:
            rest, found = rest.replace(phrase, " "), True
    return found and not _PLACEHOLDER_FILLER.sub("", rest)


_SCRIPT_DATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)
# Signs that a list is filled in by script after the page loads.
SCRIPT_LOADING = re.compile(
    r"dataproxy|jpage|\.ajax\(|\$\.(get|post|getJSON)\(|fetch\(|XMLHttpRequest|axios|"
    r"loadData|getList|pagination|\.json['\"?]|/api/",
    re.I,
)
_PAGINATION_TEXT = re.compile(
    r"^(上一?页|下一?页|首页|尾页|末页|前页|后页|\d{1,3}|第\d+页|>|<|»|«|更多|more)$", re.I)
MIN_TITLE_CHARS = 4
CONTAINER_TAGS = ("ul", "ol", "dl", "table", "nav", "div", "td", "p", "section")


@dataclass
class Listing:
    """What a page shows as its own list."""

    items: int = 0
    dated_items: int = 0
    item_urls: list[str] = field(default_factory=list)
    placeholder: str | None = None
    content_chars: int = 0
    # Characters of the content's own sentences (structure.prose_sentences),
    # placeholders left out: a single-page column's text.
    prose_chars: int = 0
    # Undated on-site content links, grouped by the list that holds them.
    inner_groups: dict[lxml_html.HtmlElement, list[str]] = field(default_factory=dict)
    script_loading: bool = False
    empty_containers: int = 0

    def as_fact(self) -> dict[str, object]:
        if self.items:  # never judged empty: what shows it is enough (20,000 of them a site)
            return {"items": self.items, "dated_items": self.dated_items,
                    "item_urls": self.item_urls[:1]}
        return {"items": self.items, "dated_items": self.dated_items,
                "item_urls": self.item_urls[:5], "placeholder": self.placeholder,
                "content_chars": self.content_chars, "prose_chars": self.prose_chars,
                # An itemless page is judged by its children: keep their links.
                "inner_groups": [links[:30] for links in list(self.inner_groups.values())[:10]],
                "script_loading": self.script_loading,
                "empty_containers": self.empty_containers}


# A department or a column rather than an article: an organisation's name,
# or a link to a list page (a folder, an index or list page, a column id).
_ORGANISATION = re.compile(
    r"(人民政府|政府|委员会|办公室|联合会|法院|检察院|街道办事处|街道|分局|局|委|办|中心|院|所|站|"
    r"队|厅|署|处|乡|镇|公司|协会)$")
_LIST_PAGE = re.compile(r"(/|/index\.\w+|/list[\w-]*\.\w+|/col/col\d+|/node_\d+\.\w+)$", re.I)
_LIST_QUERY = re.compile(r"(^|&)(class|cat|column|channel|type|node|lm|col)_?id=", re.I)


def _names_a_place(title: str, url: str) -> bool:
    parts = urlsplit(url)
    return bool(_ORGANISATION.search(title) or _LIST_PAGE.search(parts.path)
                or _LIST_QUERY.search(parts.query))


def _row_of(anchor: lxml_html.HtmlElement) -> lxml_html.HtmlElement:
    row = anchor.getparent()
    while row is not None and row.tag not in ROW_TAGS:
        row = row.getparent()
    return row if row is not None else anchor


def _container_of(anchor: lxml_html.HtmlElement) -> lxml_html.HtmlElement:
    """The list a link belongs to: its nearest list, table, cell or block."""
    for ancestor in anchor.iterancestors():
        if ancestor.tag in CONTAINER_TAGS:
            return ancestor
    return anchor


def _is_navigation_text(text: str) -> bool:
    return bool(_PAGINATION_TEXT.match(text))


def _embedded_items(tree: lxml_html.HtmlElement, page_url: str,
                    reference: date | None) -> list[tuple[str, bool]]:
    """Links with dates inside script data islands (CDATA records)."""
    found: list[tuple[str, bool]] = []
    for script in tree.xpath("//script"):
        source = script.text or ""
        if "CDATA" not in source and "<record" not in source:
            continue
        for fragment in _SCRIPT_DATA.findall(source):
            try:
                pieces = lxml_html.fragments_fromstring(fragment)
            except (etree.ParserError, ValueError):
                continue
            for piece in pieces:
                if not isinstance(piece, lxml_html.HtmlElement):
                    continue
                for anchor in piece.iter("a"):
                    title = squeeze(anchor.get("title") or anchor.text_content())
                    if len(title) >= MIN_TITLE_CHARS and anchor.get("href"):
                        dated = bool(find_dates(row_text(piece), reference=reference))
                        found.append((urljoin(page_url, anchor.get("href")), dated))
    return found


def _empty_containers(root: lxml_html.HtmlElement) -> int:
    """List containers with no children: the places a script fills in."""
    count = 0
    for element in root.iter("ul", "ol", "tbody", "table", "div", "dl"):
        # A comment (<!-- 列表 -->) is no child: the container is still empty.
        if not any(isinstance(child.tag, str) for child in element) \
                and not squeeze(element.text) and (
                element.tag != "div" or element.get("id")):
            count += 1
    return count


def read_listing(tree: lxml_html.HtmlElement, page_url: str,
                 reference: date | None = None, *,
                 root: lxml_html.HtmlElement | None = None,
                 first_item_only: bool = False,
                 placeholders: tuple[str, ...] = PLACEHOLDER_PHRASES) -> Listing:
    """Items of a page's own content; for a page without items, also what
    judging it needs (placeholder, text, script-loading signs, sub-lists).

    `root`: the page's content_root when the caller has it already.
    `first_item_only`: stop at the first item, for a caller that only asks
    whether there are any (most pages have; counting them all was the
    largest cost of reading a page).
    `placeholders`: the phrases that say a page has nothing (暂无信息 …)."""
    root = content_root(tree) if root is None else root
    listing = Listing()
    host = urlsplit(page_url).netloc
    seen_rows: set[lxml_html.HtmlElement] = set()  # elements, not ids: lxml proxies are recreated
    loose: list[tuple[lxml_html.HtmlElement, str]] = []
    for anchor in root.iter("a"):
        href = anchor.get("href")
        if not href or href.startswith(("javascript:", "#", "mailto:")):
            continue
        absolute = resolve(page_url, href)
        if absolute is None:
            continue
        url = canonical(absolute)
        title = squeeze(anchor.get("title") or anchor.text_content())
        if _is_navigation_text(title):
            continue
        on_site = urlsplit(url).netloc == host
        if len(title) >= MIN_TITLE_CHARS:  # a title short of that is never an item
            row = _row_of(anchor)
            text = row_text(row)
            dated = len(text) < 400 and bool(find_dates(text, reference=reference))
            # An undated link is an item when it reads as an article's title;
            # a side menu of departments or sub-columns lists no items.
            is_item = dated or (on_site and len(title) >= 8 and not _names_a_place(title, url))
        else:
            is_item = False
        if is_item:
            if row in seen_rows:
                continue
            seen_rows.add(row)
            listing.items += 1
            listing.dated_items += dated
            if len(listing.item_urls) < 5:
                listing.item_urls.append(url)
            if first_item_only:
                return listing
        elif on_site:
            loose.append((anchor, url))
    for url, dated in _embedded_items(tree, page_url, reference):
        listing.items += 1
        listing.dated_items += dated
        if len(listing.item_urls) < 5:
            listing.item_urls.append(url)
        if first_item_only:
            return listing
    if listing.items:
        return listing  # a list with items is never empty: the rest would not be read
    for anchor, url in loose:  # undated on-site links, by the list that holds them
        group = listing.inner_groups.setdefault(_container_of(anchor), [])
        if url not in group:
            group.append(url)
    for text_node in root.xpath("//text()[normalize-space()]"):
        text = squeeze(text_node)
        if is_placeholder(text, placeholders):
            parent = text_node.getparent()
            if parent is not None and parent.tag == "a" and not text_node.is_tail:
                continue  # inside a link title: an item, not a placeholder
            listing.placeholder = text
            break
    listing.content_chars = len(element_text(root))
    listing.prose_chars = sum(len(sentence) for sentence in prose_sentences(root)
                              if not is_placeholder(sentence, placeholders))
    scripts = " ".join(s.text or "" for s in tree.xpath("//script") if s.text)
    scripts += " ".join(s.get("src", "") for s in tree.xpath("//script[@src]"))
    listing.script_loading = bool(SCRIPT_LOADING.search(scripts))
    listing.empty_containers = _empty_containers(root)
    return listing
