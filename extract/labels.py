"""Label/value pairs from any layout: table rows, definition lists, "标签：值" text.

Service guides and message pages state their facts as labelled fields, but
each CMS lays them out differently: <th>/<td> rows (two or four cells),
<dt>/<dd>, "<p>法定期限：二十个工作日</p>", or a label <span> beside a value
<span>. Reading pairs by layout, not by class names, serves them all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import html as lxml_html

from govsite.extract.structure import element_text, squeeze

MAX_LABEL_CHARS = 14
_COLON_SPLIT = re.compile(r"^\s*([^：:]{1,14}?)\s*[：:]\s*(.*)$", re.S)
_LABEL_END = re.compile(r"[：:\s]+$")
_TEXT_BLOCKS = ("p", "div", "li", "span", "td", "dd", "section", "h3", "h4", "h5", "label")


_NUMERAL = r"[一二三四五六七八九十\d]{1,3}"
_NUMBERING = re.compile(rf"^\s*([（(]?{_NUMERAL}[)）、.．]|[（(]{_NUMERAL}[)）])\s*")


def clean_label(text: str) -> str:
    """A label without its numbering (一、 1. （一）), colon, spaces or brackets."""
    label = _LABEL_END.sub("", _NUMBERING.sub("", text.strip()))
    return re.sub(r"\s+", "", label).strip("【】[]（）()")


def _is_data_table(table: lxml_html.HtmlElement) -> bool:
    """A table of records (a header row, then rows of three or more cells), whose
    cells are columns of values, not labels beside values."""
    rows = table.xpath("./tr | ./thead/tr | ./tbody/tr")
    widths = [len([c for c in row if isinstance(c.tag, str) and c.tag in ("th", "td")])
              for row in rows]
    if not rows:
        return False
    first = [c for c in rows[0] if isinstance(c.tag, str) and c.tag in ("th", "td")]
    header = len(first) >= 3 and all(c.tag == "th" for c in first)
    odd_wide = sum(1 for w in widths if w >= 3 and w % 2 == 1)
    return header or odd_wide > len(rows) / 2


def _table_pairs(root: lxml_html.HtmlElement) -> Iterator[tuple[str, str]]:
    # Hold the elements themselves: lxml proxies are recreated, so ids are not stable.
    data_tables = {t for t in root.iter("table") if _is_data_table(t)}
    for row in root.iter("tr"):
        table = next(row.iterancestors("table"), None)
        if table is not None and table in data_tables:
            continue
        cells = [c for c in row if isinstance(c.tag, str) and c.tag in ("th", "td")]
        if any(c.xpath(".//tr") for c in cells):
            continue  # a layout row wrapping a nested table: its inner rows speak
        texts = [element_text(c) for c in cells]
        index = 0
        while index + 1 < len(texts):
            # A label is plain text: a cell holding a link is a title in a list.
            if _is_label_cell(texts[index]) and not cells[index].xpath(".//a"):
                yield clean_label(texts[index]), texts[index + 1]
                index += 2
            else:
                index += 1


def _is_label_cell(text: str) -> bool:
    """Short, and not itself a whole '标签：值' pair."""
    match = _COLON_SPLIT.match(text)
    if match and match.group(2).strip():
        return False
    return 1 <= len(clean_label(text)) <= MAX_LABEL_CHARS


def _next_element(element: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """The next sibling element, past comments (a commented-out <dd>) and
    processing instructions, which are no elements and have no text to read."""
    sibling = element.getnext()
    while sibling is not None and not isinstance(sibling.tag, str):
        sibling = sibling.getnext()
    return sibling


def _definition_pairs(root: lxml_html.HtmlElement) -> Iterator[tuple[str, str]]:
    for term in root.iter("dt"):
        value = _next_element(term)
        if value is not None and value.tag == "dd":
            label = clean_label(element_text(term))
            if 1 <= len(label) <= MAX_LABEL_CHARS:
                yield label, element_text(value)


def _sibling_pairs(root: lxml_html.HtmlElement) -> Iterator[tuple[str, str]]:
    """A label element beside a value element, with no colon: grids of
    <div class="name">法定时限</div><div class="val">20个工作日</div>."""
    for element in root.iter("div", "li", "p", "dd", "section"):
        children = [c for c in element if isinstance(c.tag, str)]
        if len(children) != 2 or squeeze(element.text) or any(squeeze(c.tail) for c in children):
            continue
        label, value = children
        if label.xpath(".//a") or sum(isinstance(c.tag, str) for c in label) > 1 \
                or value.xpath(".//table|.//ul|.//dl"):
            continue
        text = element_text(label)
        if _is_label_cell(text) and element_text(value):
            yield clean_label(text), element_text(value)


def _heading_pairs(root: lxml_html.HtmlElement) -> Iterator[tuple[str, str]]:
    """A numbered heading and the block after it: <h3>七、办理时限</h3><p>…</p>."""
    for heading_element in root.iter("h2", "h3", "h4", "h5", "h6", "dt"):
        value = _next_element(heading_element)
        text = element_text(heading_element)
        if value is None or value.tag in ("h2", "h3", "h4", "h5", "h6", "dd"):
            continue
        if _is_label_cell(text) and element_text(value):
            yield clean_label(text), element_text(value)


def _colon_pairs(root: lxml_html.HtmlElement) -> Iterator[tuple[str, str]]:
    """'标签：值' in the smallest text blocks (a block with no block children)."""
    for element in root.iter(*_TEXT_BLOCKS):
        if any(isinstance(child.tag, str) and child.tag in ("p", "div", "li", "table", "tr",
                                                              "dl", "ul")
               for child in element):
            continue
        text = element_text(element)
        if len(text) > 600:
            continue
        for line in re.split(r"[\n；;]\s*(?=[^：:]{1,14}[：:])", text):
            match = _COLON_SPLIT.match(line)
            if match:
                label = clean_label(match.group(1))
                value = match.group(2).strip()
                if 1 <= len(label) <= MAX_LABEL_CHARS and value:
                    yield label, value


def label_pairs(tree: lxml_html.HtmlElement) -> list[tuple[str, str]]:
    """Every (label, value) pair on the page, in document order within each layout."""
    pairs: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for pair in (*_table_pairs(tree), *_definition_pairs(tree), *_sibling_pairs(tree),
                 *_heading_pairs(tree), *_colon_pairs(tree)):
        if pair not in seen:
            seen.add(pair)
            pairs.append(pair)
    return pairs
