"""The dates a page gives its items: the date beside each linked title.

A list row holds a link (the item's title) and its date (2022-08-05,
2022年08月05日, [08-05]); the date is read from the row's text outside the
link, so "关于2019年度考核结果的通知" is not dated 2019. A date standing alone
(a header clock "今天是2026年12月3日", a footer's copyright year) is in no row
with a title: it dates nothing. Yearless dates take the latest year that is
not after the reference day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lxml import html as lxml_html

from govsite.extract.dates import find_dates
from govsite.extract.structure import squeeze
from govsite.web.urls import canonical, resolve

ROW_TAGS = ("li", "tr", "dd", "dt", "p", "div", "span", "td", "article", "section")
MIN_TITLE_CHARS = 6  # a menu entry (首页, 更多) is no item
MAX_ROW_CHARS = 300  # a block holding many items is no row
MAX_CLIMB = 3  # a title in a cell (td, span) finds its date in the row around it


@dataclass(frozen=True)
class DatedItem:
    day: date
    url: str
    title: str


def _row_of(anchor: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    row = anchor.getparent()
    while row is not None and row.tag not in ROW_TAGS:
        row = row.getparent()
    return row


def _row_text(row: lxml_html.HtmlElement,
              texts: dict[lxml_html.HtmlElement, str | None]) -> str | None:
    """The row's text, squeezed; None when it is longer than a row's. Read once per
    row, and only as far as needed: an anchor inside a page-wide block would
    otherwise read the whole block's text for every link in it."""
    if row in texts:
        return texts[row]
    parts: list[str] = []
    solid = 0  # characters that are not white space: squeezing keeps them all
    for part in row.itertext():
        parts.append(part)
        solid += sum(map(len, part.split()))  # str.split and squeeze's \s: str.isspace
        if solid > MAX_ROW_CHARS:
            texts[row] = None
            return None
    text = squeeze(" ".join(parts))
    texts[row] = text if len(text) <= MAX_ROW_CHARS else None
    return texts[row]


def dated_items(tree: lxml_html.HtmlElement, page_url: str,
                reference: date | None = None) -> list[DatedItem]:
    """Every linked title with a date beside it, in page order (one per row)."""
    found: list[DatedItem] = []
    seen: set[lxml_html.HtmlElement] = set()
    texts: dict[lxml_html.HtmlElement, str | None] = {}
    for anchor in tree.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "#", "mailto:")):
            continue
        own = squeeze(anchor.text_content())
        title = squeeze(given) if (given := anchor.get("title")) else own
        if len(title) < MIN_TITLE_CHARS:
            continue
        row = _row_of(anchor)
        for _ in range(MAX_CLIMB):  # the title's cell, then its table row (date cell beside)
            if row is None or row in seen:
                break
            text = _row_text(row, texts)
            if text is None:
                break
            dates = find_dates(text.replace(own, " ", 1) if own else text, reference=reference)
            absolute = resolve(page_url, href)
            if dates and absolute is not None:
                seen.add(row)
                found.append(DatedItem(dates[0][0], canonical(absolute), title[:100]))
                break
            row = _row_of(row)
    return found
