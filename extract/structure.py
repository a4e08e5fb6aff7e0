"""Page structure by meaning: the template's chrome versus the page's own content.

Government CMS templates differ in class names but agree on what chrome is:
a header with the site name and search box, a navigation bar, a breadcrumb,
and a footer naming the organiser (主办单位), the site code (网站标识码) and the
ICP record. Content is what remains. These helpers find chrome by tag names,
by widely shared words in ids and classes, and by the footer's own text, so
they work on templates never seen.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from copy import deepcopy
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from lxml import html as lxml_html

BLOCK_TAGS = ("div", "td", "tr", "tbody", "table", "section", "ul", "dl", "p", "article", "aside")
CHROME_TAGS = ("header", "nav", "footer", "script", "style", "noscript", "noframes", "template")
# Class/id tokens that templates of every vendor use for the page header, the
# main navigation, the breadcrumb and the footer. Whole tokens only: a
# "sub-nav" or "left-menu" lists sub-columns and belongs to the content.
_CHROME_TOKEN = re.compile(
    r"^((main|top|site|global|head|header|primary)[-_]?)?(nav|navbar|navigation|menu|mainmenu)"
    r"([-_]?(bar|box|wrap|list|con))?\d*$"
    r"|^(header|head|top|topbar|toplinks|banner|logo|toolbar|skip)([-_][a-z]+)?\d*$"
    r"|^(footer|foot|bottom|copyright|copy|banquan)([-_][a-z]+)?\d*$"
    r"|^(bread)?[-_]?crumbs?$|^breadcrumbs?$|^(position|location|weizhi|dqwz)$",
    re.I,
)
# Words of a footer (lower case): a plain `in` test on the text first, then per text node.
FOOTER_WORDS = ("网站标识码", "icp备", "icp证", "公网安备", "主办单位", "承办单位", "版权所有",
                 "copyright")
_FOOTER_TEXT = re.compile("|".join(FOOTER_WORDS), re.I)
_SPACE = re.compile(r"\s+")
# Elements that may be chrome (by tag, or by having an id or class), found by
# XPath in C rather than by visiting every element in Python.
_CHROME_CANDIDATES = "|".join([*(f"//{tag}" for tag in CHROME_TAGS), "//*[@id or @class]"])


def squeeze(text: str | None) -> str:
    """Collapse white space (including full-width spaces) to single spaces."""
    return _SPACE.sub(" ", (text or "").replace("\u3000", " ")).strip()


def _is_chrome_element(element: lxml_html.HtmlElement) -> bool:
    if element.tag in CHROME_TAGS:
        return True
    attributes = element.attrib
    if "id" not in attributes and "class" not in attributes:
        return False
    return _names_chrome(f"{attributes.get('id', '')} {attributes.get('class', '')}")


@lru_cache(maxsize=4096)
def _names_chrome(names: str) -> bool:
    """Whether an element's id and classes name the header, navigation or footer
    (a template repeats the same few on every page: memoised)."""
    return any(_CHROME_TOKEN.match(token) for token in names.split())


def _footer_blocks(root: lxml_html.HtmlElement) -> Iterator[lxml_html.HtmlElement]:
    """The smallest blocks holding footer text, grown while they stay link-poor."""
    text = root.text_content().lower()
    if not any(word in text for word in FOOTER_WORDS):
        return  # the footer went with the chrome (or there is none): no text node to visit
    for text_node in root.xpath("//text()[normalize-space()]"):
        if not _FOOTER_TEXT.search(text_node):
            continue
        block = text_node.getparent()
        while block is not None and block.tag not in BLOCK_TAGS and block.tag != "body":
            block = block.getparent()
        if block is None or block.tag == "body":
            continue
        parent = block.getparent()
        while (parent is not None and parent.tag in BLOCK_TAGS
               and len(parent.xpath(".//a")) <= 12 and len(squeeze(parent.text_content())) < 600):
            block, parent = parent, parent.getparent()
        yield block


def content_root(tree: lxml_html.HtmlElement) -> lxml_html.HtmlElement:
    """A copy of the page's body with header, navigation and footer removed."""
    body = tree.find("body")
    root = deepcopy(body if body is not None else tree)
    # A server-side include that closes </html> in the header leaves the rest
    # of the page outside the document: the parser puts it in sibling <html>
    # roots. A browser shows it in the body, and so it is read here.
    for stray in tree.itersiblings() if tree.getparent() is None else ():
        if not isinstance(stray.tag, str):
            continue
        for child in list(stray):
            if not isinstance(child.tag, str) or child.tag == "head":
                continue
            for part in (list(child) if child.tag == "body" else [child]):
                root.append(deepcopy(part))
    all_links: int | None = None
    dropped: set[lxml_html.HtmlElement] = set()
    for element in root.xpath(_CHROME_CANDIDATES):  # document order, found in C
        if element is root:
            continue
        if _is_chrome_element(element) and element.getparent() is not None:
            if dropped and any(a in dropped for a in element.iterancestors()):
                continue  # inside a block already removed
            # Never strip a block that holds most of the page: some templates
            # wrap everything in a div called "top" or "head".
            all_links = len(root.xpath(".//a")) if all_links is None else all_links
            own_links = len(element.xpath(".//a"))
            if own_links > 0.6 * max(all_links, 1) > 20:
                continue
            if element.tag not in CHROME_TAGS and _carries_prose(element):
                continue  # an article in a container named like chrome (menu_con)
            element.drop_tree()
            dropped.add(element)
            all_links -= own_links
    for block in list(_footer_blocks(root)):
        if block.getparent() is not None:
            block.drop_tree()
    return root


# Prose: sentences of text that is not a link, a heading or a control.
_NOT_PROSE = frozenset(("a", "h1", "h2", "h3", "h4", "h5", "h6", "script", "style", "noscript", "noframes",
                        "template", "button", "select", "option", "label", "textarea", "title"))
_PROSE_BLOCKS = frozenset((*BLOCK_TAGS, "li", "dd", "dt", "th", "body", "main", "form"))
_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]")
_NOT_HAN = re.compile(r"[^\u4e00-\u9fff]+")
MIN_SENTENCE_HAN = 6


def prose_sentences(element: lxml_html.HtmlElement) -> list[str]:
    """The sentences an element says in its own words: text outside links,
    headings and form controls, cut at sentence ends (。！？；), each of at
    least MIN_SENTENCE_HAN Chinese characters. Titles, breadcrumbs, menus and
    pagination have none; a county overview of two sentences has two."""
    return list(_iter_sentences(element))


def _iter_sentences(element: lxml_html.HtmlElement) -> Iterator[str]:
    """prose_sentences one block at a time, for callers that stop early."""
    pieces: list[str] = []
    last_block = None
    for node in element.xpath(".//text()[normalize-space()]"):
        holder = node.getparent()
        if holder is not None and node.is_tail:
            holder = holder.getparent()
        if holder is None or not isinstance(holder.tag, str):
            continue
        if holder.tag in _NOT_PROSE or any(a.tag in _NOT_PROSE for a in holder.iterancestors()):
            continue
        block = holder if holder.tag in _PROSE_BLOCKS else next(
            (a for a in holder.iterancestors() if a.tag in _PROSE_BLOCKS), None)
        if block is not last_block:
            yield from _sentences_of("".join(pieces))
            pieces, last_block = [], block
        pieces.append(squeeze(node))
    yield from _sentences_of("".join(pieces))


def _sentences_of(text: str) -> Iterator[str]:
    for sentence in _SENTENCE.findall(text):
        if len(_NOT_HAN.sub("", sentence)) >= MIN_SENTENCE_HAN:
            yield squeeze(sentence)


# Words only a footer says (an article may name its 主办单位).
_SITE_RECORD_WORDS = ("网站标识码", "icp备", "公网安备", "版权所有", "copyright")


def _carries_prose(element: lxml_html.HtmlElement) -> bool:
    """Holds an article: two sentences or more of its own, and more prose than
    link text. Chrome (menus, headers, footers) is links and short labels."""
    text = element.text_content()
    if sum(text.count(end) for end in "。！？；") < 2:
        return False  # most chrome: not two sentences
    lowered = text.lower()
    if any(word in lowered for word in _SITE_RECORD_WORDS):
        return False  # the footer, or a wrapper holding it
    links = sum(len(squeeze(a.text_content())) for a in element.iter("a"))
    count = prose = 0
    for sentence in _iter_sentences(element):
        count, prose = count + 1, prose + len(sentence)
        if count >= 2 and prose > links:
            return True
    return False


def element_text(element: lxml_html.HtmlElement) -> str:
    return squeeze(element.text_content())


def row_text(element: lxml_html.HtmlElement) -> str:
    """A row's text with its pieces kept apart: two date cells side by side must
    not read as one run of digits (2026-10-202026-10-09)."""
    return squeeze(" ".join(element.itertext()))


def heading(tree: lxml_html.HtmlElement) -> str:
    """The page's own heading: the first h1/h2 of the content, else the title."""
    for xpath in ("//h1", "//h2"):
        for element in tree.xpath(xpath):
            text = element_text(element)
            if 2 <= len(text) <= 80:
                return text
    titles = tree.xpath("//title/text()")
    return squeeze(titles[0]) if titles else ""


SITEMAP_TEXT = re.compile(
    r"^\s*(网站地图|站点地图|网站导航|站点导航|网站索引|site\s*map)\s*$", re.I)
_HOME_TEXT = re.compile(r"^(网站)?首页$|^home$", re.I)
_NAV_WORDS = re.compile(
    r"(^|[\s_-])(nav|navbar|mainnav|menu|mainmenu|daohang|dh)(\d*)($|[\s_-])", re.I)


def _short_link_texts(element: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    """Links with a short text that lead to another page: an in-page menu of
    #page1..#page4 anchors (a full-page scroller) leads nowhere."""
    return [a for a in element.iter("a") if 2 <= len(element_text(a)) <= 10
            and (a.get("href") or "").strip()[:1] not in ("", "#")
            and not (a.get("href") or "").strip().lower().startswith("javascript:")]


def _mostly_links(element: lxml_html.HtmlElement, anchors: list[lxml_html.HtmlElement]) -> bool:
    link_chars = sum(len(element_text(a)) for a in anchors)
    return len(element_text(element)) <= link_chars * 1.6 + 20


def navigation_block(tree: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """The main navigation bar: a <nav>, a block named nav/menu, else the first
    block near the top made almost only of short links."""
    body = tree.find("body")
    if body is None:
        return None
    for element in body.iter():
        if not isinstance(element.tag, str):
            continue
        marker = f"{element.get('id', '')} {element.get('class', '')}"
        if element.tag == "nav" or _NAV_WORDS.search(marker):
            anchors = _short_link_texts(element)
            if len(anchors) >= 3:
                return element
    for element in body.iter("ul", "div", "td", "p", "table", "tr"):
        anchors = _short_link_texts(element)
        if len(anchors) >= 5 and _mostly_links(element, anchors):
            # A bar of column names; a list of headlines has mostly long texts.
            # One long column name (学习贯彻党的二十大精神专栏) is still a bar.
            texts = [element_text(a) for a in element.iter("a")]
            if 4 * sum(1 for text in texts if len(text) > 12) <= len(texts):
                return element
    return None


# A person in a leaders' block: a name beside a post (县长, 书记 …).
_POST = re.compile(r"(书记|省长|市长|州长|县长|区长|旗长|镇长|乡长|主任|主席|局长|厅长|部长|"
                   r"秘书长|巡视员|常委|委员|盟长)")
_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,4}$")
_NAMED_POST = re.compile(rf"^{_POST.pattern}[\s:：]+[\u4e00-\u9fff·]{{2,4}}$|"
                         rf"^[\u4e00-\u9fff·]{{2,4}}\s+{_POST.pattern}$")
_DATED = re.compile(r"(19|20)\d\d[-/.年]\d{1,2}|\b\d{1,2}[-/.]\d{1,2}\b|\d{1,2}月\d{1,2}日")


def _menu_panels(block: lxml_html.HtmlElement) -> set[lxml_html.HtmlElement]:
    """The links in the drop-down panels of a menu whose entries each hold a
    panel (a mega-menu): every link of an entry but its first."""
    node = block
    while True:
        entries = [child for child in node if isinstance(child.tag, str)
                   and (child.tag == "a" or child.find(".//a") is not None)]
        if len(entries) != 1 or entries[0].tag == "a":
            break
        node = entries[0]
    panels: set[lxml_html.HtmlElement] = set()
    if len(entries) < 3:
        return panels
    for entry in entries:
        if entry.tag != "a":
            panels.update(list(entry.iter("a"))[1:])
    return panels


def _not_a_column(anchor: lxml_html.HtmlElement, text: str, in_panel: bool) -> bool:
    """A menu link that is no column: a dated headline, a person, or, in a
    drop-down panel, a title longer than column names run."""
    if _NAMED_POST.match(text):
        return True  # 县长 张某某
    # The link's row: the largest block around it that leads nowhere else
    # (a portrait, a name and a post; a headline and its date).
    href, row = anchor.get("href"), None
    for ancestor in anchor.iterancestors():
        if any(a.get("href") != href for a in ancestor.iter("a")):
            break
        row = ancestor
    rest = squeeze(" ".join(row.itertext())).replace(text, "") if row is not None else ""
    if len(rest) < 100 and _DATED.search(rest):
        return True  # a headline and its date
    if _NAME.match(text) and not _POST.search(text) and len(rest) < 40 and _POST.search(rest):
        return True  # a name beside its post
    return in_panel and len(text) > 12


def navigation_links(tree: lxml_html.HtmlElement, page_url: str) -> list[tuple[str, str]]:
    """(url, text) of the navigation's on-site links, the home link left out."""
    block = navigation_block(tree)
    if block is None:
        return []
    host = urlsplit(page_url).netloc
    found: list[tuple[str, str]] = []
    panels = _menu_panels(block)
    for anchor in block.iter("a"):
        text = element_text(anchor)
        url = urljoin(page_url, anchor.get("href") or "")
        if not text or _HOME_TEXT.match(text) or urlsplit(url).netloc != host:
            continue
        if _not_a_column(anchor, text, anchor in panels):
            continue
        if urlsplit(url).path in ("", "/", "/index.html", "/index.htm", "/index.shtml",
                                  "/index.jsp", "/index.asp", "/index.php", "/default.asp"):
            continue
        if not url.startswith(("http://", "https://")) or (url, text) in found:
            continue
        found.append((url, text))
    return found


def sitemap_links(tree: lxml_html.HtmlElement, page_url: str) -> list[tuple[str, str]]:
    """(url, text) of links that lead to the site map."""
    found = []
    for anchor in tree.iter("a"):
        href = anchor.get("href")
        if href and SITEMAP_TEXT.match(element_text(anchor) or anchor.get("title") or ""):
            found.append((urljoin(page_url, href), element_text(anchor)))
    return found
