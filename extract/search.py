"""Search boxes on a page, read by meaning, and the request a visitor's search sends.

A search form is a form with a text field that names or labels itself as
search (搜索, 检索, 站内搜索, 关键字, search; a field named q, keyword,
searchword, wd...): not a message form (a textarea), nor a login (a
password), nor a 查询 form for a letter's code unless its field is named
like a search. Submitting it is what a browser does: the text field filled,
hidden fields and the selects' chosen options sent as they are, encoded in
the form's accept-charset or else the page's charset (an old GBK site
expects GBK bytes: 青 is %C7%E0, not %E9%9D%92).

A site may also offer search as a link (站内搜索 → a search page, maybe on
another host) or as a box a script submits (an input and a button, no form):
both are search, though not one a reader can submit without a browser.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit

from lxml import html as lxml_html

from govsite.extract.forms import SEARCH_FIELDS
from govsite.extract.structure import squeeze
from govsite.web.urls import resolve

# Words that say "search" in a form's text, buttons, placeholders and titles.
STRONG = re.compile(r"搜\s*索|检\s*索|站内|全文|关键[字词]|search", re.I)
WEAK = re.compile(r"查\s*询")  # 信件查询 by its code is no site search
# Attributes (action, id, class, name) of a search form or box.
HINTS = re.compile(r"search|sousuo|jsearch|jrobot|was5|fulltext|keyword", re.I)
TEXT_TYPES = ("", "text", "search")
LINK_TEXT_MAX = 8  # 站内搜索, 高级检索: a search link's text is short
_GBK = {"gb2312", "gbk", "x-gbk", "cp936", "ms936", "euc-cn"}


@dataclass(frozen=True)
class SearchForm:
    """A search form as a browser would submit it."""

    action: str  # absolute URL
    method: str  # GET | POST
    field: str  # the text field a visitor types in
    fields: tuple[tuple[str, str], ...]  # every field sent, in order (the text field: "")
    charset: str
    scripted: bool  # submitted by script (onsubmit, a javascript: action)
    maxlength: int | None = None

    def request(self, query: str) -> tuple[str, str | None]:
        """(URL, POST body or None) a browser sends for this query."""
        if self.maxlength:
            query = query[:self.maxlength]
        pairs = [(name, query if name == self.field else value) for name, value in self.fields]
        encoded = urlencode(pairs, encoding=self.charset, errors="xmlcharrefreplace")
        if self.method == "POST":
            return self.action, encoded
        parts = urlsplit(self.action)  # a GET form's fields replace the action's query
        return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", encoded, "")), None


def form_charset(declared: str | None, page_charset: str | None) -> str:
    """The codec a browser encodes the form in: accept-charset, else the page's."""
    for name in [*(declared or "").replace(",", " ").split(), page_charset or "utf-8"]:
        name = name.strip().lower()
        if name in _GBK:
            return "gbk"  # browsers encode gb2312 pages as GBK
        try:
            return codecs.lookup(name).name
        except LookupError:
            continue
    return "utf-8"


def _words(element: lxml_html.HtmlElement) -> str:
    """What names the element as a search: its text, button values, placeholders, titles."""
    parts = [element.text_content()]
    for node in element.iter():
        if not isinstance(node.tag, str):
            continue
        parts += [node.get(a) or "" for a in ("value", "placeholder", "title", "alt",
                                               "aria-label")]
    return " ".join(parts)


def _attributes(element: lxml_html.HtmlElement) -> str:
    return " ".join(element.get(a) or "" for a in ("action", "id", "class", "name", "role"))


def _text_inputs(form: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    return [i for i in form.iter("input")
            if (i.get("type") or "").strip().lower() in TEXT_TYPES and i.get("name")]


def _rank(form: lxml_html.HtmlElement, inputs: list[lxml_html.HtmlElement]) -> int | None:
    """How surely a form is a site search (higher: surer), or None when it is not one."""
    if form.xpath(".//textarea | .//input[@type='password']"):
        return None
    named = any(SEARCH_FIELDS.search(i.get("name") or "") for i in inputs)
    words = _words(form)
    strong = bool(STRONG.search(words)) or bool(HINTS.search(_attributes(form))) \
        or (form.get("role") or "").lower() == "search"
    if len(inputs) > 3 and not named:
        return None  # several fields to fill: an application, not a search box
    if named and strong:
        return 3
    if strong:
        return 2
    if named and (WEAK.search(words) or len(inputs) == 1):
        return 1
    return None


def _fields(form: lxml_html.HtmlElement, query_field: str) -> tuple[tuple[str, str], ...]:
    """Every field a browser sends, in document order (unchecked boxes and buttons not)."""
    pairs: list[tuple[str, str]] = []
    for node in form.iter("input", "select"):
        name = node.get("name")
        if not name:
            continue
        if node.tag == "select":
            chosen = node.xpath(".//option[@selected]") or node.xpath(".//option")
            if chosen:
                pairs.append((name, chosen[0].get("value", chosen[0].text_content().strip())))
            continue
        kind = (node.get("type") or "").strip().lower()
        if kind in ("submit", "button", "image", "reset", "file"):
            continue
        if kind in ("checkbox", "radio") and node.get("checked") is None:
            continue
        pairs.append((name, "" if name == query_field else node.get("value", "")))
    return tuple(pairs)


def search_forms(tree: lxml_html.HtmlElement, page_url: str,
                 page_charset: str | None = None) -> list[SearchForm]:
    """The page's search forms, surest first (then in page order)."""
    ranked: list[tuple[int, int, SearchForm]] = []
    for index, form in enumerate(tree.iter("form")):
        inputs = _text_inputs(form)
        if not inputs:
            continue
        rank = _rank(form, inputs)
        if rank is None:
            continue
        field = next((i for i in inputs if SEARCH_FIELDS.search(i.get("name") or "")), inputs[0])
        raw_action = (form.get("action") or "").strip()
        scripted = raw_action.lower().startswith("javascript:") or bool(form.get("onsubmit"))
        action = resolve(page_url, raw_action) if raw_action and not raw_action.lower() \
            .startswith("javascript:") else page_url
        if action is None:
            continue
        method = "POST" if (form.get("method") or "").strip().lower() == "post" else "GET"
        limit = (field.get("maxlength") or "").strip()
        ranked.append((-rank, index, SearchForm(
            action=action, method=method, field=field.get("name") or "",
            fields=_fields(form, field.get("name") or ""),
            charset=form_charset(form.get("accept-charset"), page_charset),
            scripted=scripted, maxlength=int(limit) if limit.isdigit() and int(limit) > 0
            else None)))
    return [form for _, _, form in sorted(ranked, key=lambda r: r[:2])]


def search_box_without_form(tree: lxml_html.HtmlElement) -> bool:
    """A search field outside any form (a script submits it)."""
    for node in tree.iter("input"):
        if (node.get("type") or "").strip().lower() not in TEXT_TYPES:
            continue
        if any(a.tag == "form" for a in node.iterancestors()):
            continue
        own = " ".join(node.get(a) or "" for a in ("name", "id", "class", "placeholder",
                                                   "title", "aria-label"))
        if STRONG.search(own) or HINTS.search(own) or SEARCH_FIELDS.search(node.get("name") or ""):
            return True
    return False


def search_links(tree: lxml_html.HtmlElement, page_url: str) -> list[str]:
    """Links that lead to a search page (站内搜索, 全文检索, an image whose alt says 搜索)."""
    found = []
    for anchor in tree.iter("a"):
        text = squeeze(anchor.text_content() + " ".join(anchor.xpath(".//img/@alt"))
                       + " " + (anchor.get("title") or ""))
        if not text or len(text) > LINK_TEXT_MAX or not re.search(r"搜\s*索|检\s*索|search",
                                                                   text, re.I):
            continue
        url = resolve(page_url, anchor.get("href") or "")
        if url is not None:
            found.append(url)
    return found
