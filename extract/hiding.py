"""A static first look for links hidden from visitors, to choose the pages worth rendering.

Whether a link is visible is only known from the browser's computed styles
(crawler/visibility.py), and rendering every page costs too much. The static
HTML tells which pages deserve it: an off-site link that is, or sits inside,
an element hidden by its inline style, by the `hidden` attribute, or by a
class or id that a rule of the page's own `<style>` blocks hides. This is a
suspicion, never a finding: the rendered page decides (a script may show the
element; a visitor may open it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from lxml import etree
from lxml import html as lxml_html

from govsite.web.urls import host_key

# The marks the browser writes into a rendered page (crawler/visibility.py) for
# the readers: how an off-site link is hidden, by which element, why that element
# is a panel a visitor opens, its text's contrast, and that the page was judged.
HIDDEN = "data-govsite-hidden"
HIDER = "data-govsite-hider"
PANEL = "data-govsite-panel"
CONTRAST = "data-govsite-contrast"
META = "govsite-visibility"

# Declarations that hide an element or push it out of sight. Lengths of three
# digits or more to the left or top are a position far off the page.
HIDING = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|opacity\s*:\s*0*\.?0*\s*(?:;|!|$)"
    r"|font-size\s*:\s*0(?:\.0+)?[a-z%]*\s*(?:;|!|$)"
    r"|(?:left|top|text-indent|margin-left|margin-top)\s*:\s*-\d{3,}"
    r"|(?:^|[;\s])(?:width|height)\s*:\s*0(?:px)?\s*(?:;|!|$)|clip\s*:\s*rect\(\s*0", re.I)
# The same, for text already lower-cased: matching without re.I is 2.5x faster, and
# a page's style sheet is read once per site per analysis worker (_selectors).
_HIDING_LOWER = re.compile(HIDING.pattern)
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_TOKEN = re.compile(r"([.#])(-?[_a-zA-Z][\w-]*)")


def hiding_selectors(tree: lxml_html.HtmlElement) -> tuple[set[str], set[str]]:
    """(classes, ids) that the page's `<style>` rules hide. The rule's subject
    is what is hidden (`.nav ul` hides a list, not `.nav`); a rule on the links
    themselves (`.friend a`) hides them through the container it names."""
    css = "\n".join(block.text or "" for block in tree.iter("style"))
    classes, ids = _selectors(css) if css.strip() else ((), ())
    return set(classes), set(ids)


@lru_cache(maxsize=1024)  # one sheet per template: many sites are read at once
def _selectors(css: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Read once per distinct style sheet: a site's pages share their template's."""
    classes: dict[str, None] = {}
    ids: dict[str, None] = {}
    for selectors, body in _RULE.findall(_COMMENT.sub("", css)):
        if not _HIDING_LOWER.search(body.lower()):
            continue
        for selector in selectors.split(","):
            compounds = selector.strip().split()
            if not compounds or ":" in compounds[-1]:
                continue  # :hover, :focus: shown on a visitor's move, not hidden
            subject = compounds[-1]
            if subject.lower() == "a" and len(compounds) > 1:
                subject = compounds[-2]
            for kind, name in _TOKEN.findall(subject):
                (classes if kind == "." else ids).setdefault(name)
    return tuple(classes), tuple(ids)


def suspect_links(tree: lxml_html.HtmlElement, page_url: str,
                  own_hosts: Iterable[str]) -> list[str]:
    """Off-site link targets that the static HTML hides, or puts in a hidden container.
    `own_hosts`: the site's hosts without a leading www.

    Read from the hidden elements down (few, found by XPath in C), not from every
    link up through its ancestors: most pages hide nothing, and a portal's page
    carries a hundred links."""
    own = set(own_hosts)
    found: dict[str, None] = {}
    for element in _hidden_elements(tree):
        for link in element.iter("a"):
            href = (link.get("href") or "").strip()
            if not href.startswith(("http://", "https://", "//")):
                continue
            url = _absolute(href, page_url)
            if bare_host(url) not in own:
                found.setdefault(url)
    return list(found)


# Compiled once, one pass in document order (a union of two paths walked the tree
# twice and sorted): this runs on every page, to decide whether to render it.
_STYLED = etree.XPath("//*[@hidden or @style]")
_WITH_CLASS = etree.XPath("//*[contains(concat(' ', normalize-space(@class), ' '), $c)]")
_WITH_ID = etree.XPath("//*[@id = $i]")


def _hidden_elements(tree: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    """Elements hidden by the `hidden` attribute, their inline style, or a class
    or id the page's `<style>` rules hide."""
    hidden = [el for el in _STYLED(tree)
              if el.get("hidden") is not None or HIDING.search(el.get("style") or "")]
    classes, ids = hiding_selectors(tree) if tree.find(".//style") is not None \
        else (set(), set())
    for name in classes:
        hidden += _WITH_CLASS(tree, c=f" {name} ")
    for name in ids:
        hidden += _WITH_ID(tree, i=name)
    return hidden


def bare_host(url: str) -> str:
    """host[:port] without a leading www. ("" for a URL without a host)."""
    try:
        return host_key(url).lower().removeprefix("www.")
    except ValueError:
        return ""


def _absolute(href: str, page_url: str) -> str:
    href = href.strip()
    if href.startswith("//"):
        return page_url.split("//", 1)[0] + href
    return href
