"""Parse a response once into the PageContext every check shares."""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

from govsite.web.page import Link
from govsite.web.urls import resolve

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_SPACE = re.compile(r"\s+")
HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "")


def is_html(content_type: str, body: bytes) -> bool:
    """HTML by header, or by sniffing when the header is missing or generic."""
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind in ("text/html", "application/xhtml+xml"):
        return True
    if kind in ("", "text/plain", "application/octet-stream"):
        head = body[:1024].lstrip().lower()
        return head.startswith((b"<!doctype html", b"<html", b"<head", b"<meta", b"<body"))
    return False


def is_plain_text(content_type: str) -> bool:
    """Text a check may read without a tree: XML (a sitemap), plain text (robots.txt)."""
    kind = content_type.split(";", 1)[0].strip().lower()
    return kind.startswith("text/") or kind.endswith(("/xml", "+xml"))


class _PlainHtmlParser(lxml_html.HTMLParser):
    """lxml.html's parser with every element an HtmlElement, chosen in C.

    lxml.html picks a class per element (FormElement, InputElement...) in a
    Python callback, on every element proxy every reader creates: a tenth of
    a page's reading time. No reader uses the form classes."""

    def __init__(self) -> None:
        super().__init__()
        self.set_element_class_lookup(etree.ElementDefaultClassLookup(
            element=lxml_html.HtmlElement, comment=lxml_html.HtmlComment,
            pi=lxml_html.HtmlProcessingInstruction, entity=lxml_html.HtmlEntity))


_PARSER = _PlainHtmlParser()


def parse_html(text: str) -> lxml_html.HtmlElement | None:
    """An lxml tree, or None when the document has no parsable content."""
    text = _XML_DECL.sub("", text, count=1)
    if not text.strip():
        return None
    try:
        return lxml_html.document_fromstring(text, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None


def clean_text(value: str | None) -> str:
    return _SPACE.sub(" ", value or "").strip()


def page_title(tree: lxml_html.HtmlElement | None) -> str:
    if tree is None:
        return ""
    titles = tree.xpath("//title/text()")
    return clean_text(titles[0]) if titles else ""


def _base(tree: lxml_html.HtmlElement, page_url: str) -> str:
    """What the page's relative URLs resolve against: its <base href>, else itself."""
    base_hrefs = tree.xpath("//base/@href")
    return (resolve(page_url, base_hrefs[0]) if base_hrefs else None) or page_url


def page_links(tree: lxml_html.HtmlElement | None, page_url: str) -> list[Link]:
    """Every link a visitor can follow: anchors, image maps and frames."""
    if tree is None:
        return []
    base = _base(tree, page_url)
    links: list[Link] = []
    for element in tree.iter("a", "area", "iframe", "frame"):
        href = element.get("href") if element.tag in ("a", "area") else element.get("src")
        if not href:
            continue
        url = resolve(base, href)
        if url is None:
            continue
        text = clean_text(element.text_content()) if element.tag == "a" else ""
        links.append(Link(url, text or clean_text(element.get("title"))))
    return links


# Resources a page embeds: a broken one shows as a missing picture, style or script.
_RESOURCE_ATTRIBUTES = (("img", "src"), ("script", "src"), ("embed", "src"), ("source", "src"),
                        ("video", "src"), ("audio", "src"), ("object", "data"))
_LINKED_RESOURCE = re.compile(r"stylesheet|icon", re.I)


def page_resources(tree: lxml_html.HtmlElement | None, page_url: str) -> list[str]:
    """Absolute URLs of what the page embeds (images, scripts, style sheets,
    media), each once: link-checked beside its links."""
    if tree is None:
        return []
    base = _base(tree, page_url)
    found: dict[str, None] = {}
    for tag, attribute in _RESOURCE_ATTRIBUTES:
        for element in tree.iter(tag):
            value = (element.get(attribute) or "").strip()
            if value and not value.startswith("data:") and (url := resolve(base, value)):
                found.setdefault(url)
    for element in tree.iter("link"):
        href = (element.get("href") or "").strip()
        if href and _LINKED_RESOURCE.search(element.get("rel") or "") \
                and (url := resolve(base, href)):
            found.setdefault(url)
    return list(found)


def frame_sources(tree: lxml_html.HtmlElement | None, page_url: str) -> list[str]:
    """The documents a page frames in (`<iframe src>`, `<frame src>`): a visitor
    sees them as part of the page, so a column's list may live in one."""
    if tree is None:
        return []
    found: list[str] = []
    for element in tree.iter("iframe", "frame"):
        src = (element.get("src") or "").strip()
        if not src or src.startswith(("javascript:", "about:", "data:", "#")):
            continue
        url = resolve(page_url, src)
        if url is not None and url not in found:
            found.append(url)
    return found
