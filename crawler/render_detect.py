"""Does a page's static HTML show script-loaded content? The render decision.

Many government CMSs (Hanweb's jpage/dataproxy.jsp, TRS and others with
$.ajax/JSON, single-page apps) send a column's frame as HTML and fill its
list by script, so the static HTML looks empty when it is not. `render_reason`
reads the static HTML for signs of that, by structure rather than by vendor
class names: an empty list container (ul/ol/tbody/table/dl, or an element
named like a list) that a script references or that sits beside data
requests (XMLHttpRequest, fetch, $.ajax, dataproxy.jsp, .json, ...),
data-binding templates (v-for, ng-repeat, {{ }}), or a near-empty body driven
by scripts — and only while the page lists few dated items of its own.

Pure lxml and no Scrapy: it runs for every page, in the crawl process or in
an analysis worker (crawler/analysis.py).
"""

from __future__ import annotations

import re
from functools import lru_cache

from lxml import html as lxml_html

# Script text that fetches data after the page has loaded.
DATA_CALLS = re.compile(
    r"XMLHttpRequest|ActiveXObject|\bfetch\s*\(|\$\.(?:ajax|get|post|getJSON)\s*\(|"
    r"\.load\s*\(\s*['\"]|\baxios\b|\bajax\b|dataproxy|jpage|\.json\b|/api/|"
    r"\.(?:do|action|ashx|aspx|jsp|php)\?|\bjsonp\b|callback=",
    re.I,
)
# Client-side templating: the static HTML holds the template, not the data.
FRAMEWORKS = re.compile(r"\bnew Vue\b|\bcreateApp\s*\(|ReactDOM|angular\.module|\blaytpl\b|"
                        r"\btemplate\s*\(\s*['\"]|\bart-template\b|\bjsrender\b", re.I)
BINDING_ATTRS = ("v-for", "v-if", "ng-repeat", "ng-bind", ":key", "x-for", "data-bind",
                 "data-url", "data-api", "data-source", "data-src-url", "data-columnid")
MUSTACHE = re.compile(r"\{\{\s*[\w.$\[\]'\"]+\s*\}\}")
# document.write of list markup (an item, a row, a link): the list exists only
# once the script has run. Writing a <script>, <link> or a dated header is not.
WRITTEN_LIST = re.compile(r"document\.write(?:ln)?\s*\(\s*(?:[\w.$]+\s*\+\s*)?['\"][^'\"]*"
                          r"<(?:li|tr|td|dd|dt|a)[\s>]", re.I)
# Ids and classes that name a list's container, in English or pinyin.
LISTY = re.compile(r"list|news|item|data|article|record|result|info|content|tab|"
                   r"\blb\b|liebiao|xxgk|zwgk|wj|gkml|ul\d|tb", re.I)
LIST_TAGS = ("ul", "ol", "tbody", "table", "dl")
CANDIDATE_TAGS = (*LIST_TAGS, "div", "section", "article")
DATE = re.compile(r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}(?:\s*[-/.月]\s*\d{1,2})?|"
                  r"(?<!\d)\d{1,2}[-/月]\d{1,2}日?(?!\d)")
NEAR_EMPTY_BODY_CHARS = 40
# Names of an application's mount point or a detail page's content slot.
MOUNT = re.compile(r"^(app|root|main|view|mount)$|detail|letter|guide|matter|container-data",
                   re.I)
# Scripts every page loads that fill no content of their own.
LIBRARY_SCRIPT = re.compile(
    r"jquery|bootstrap|layui|layer|swiper|echarts|vue(\.runtime)?(\.min)?\.js|react|angular|"
    r"zepto|require|sea\.js|polyfill|html5shiv|respond|analytics|gtag|hm\.js|cnzz|baidu|"
    r"jweixin|share|wza|barrier|aria|font|icon|common|public|base|global|util|header|footer|"
    r"nav|menu|search|(?:^|[-_.])ie\d*(?:[-_.]|$)|modernizr", re.I)
# An application shell's slot sits in a block with little text of its own
# (a breadcrumb, a few column heads): more than this is a page with content.
SHELL_PARENT_CHARS = 120
HIDDEN_TAGS = ("script", "style", "noscript", "template")
TABLE_PARTS = ("tbody", "thead", "tr", "colgroup", "col")
_TRAILING_ID = re.compile(r"\d+$")
_SPACE = re.compile(r"\s+")


def _text(element: lxml_html.HtmlElement) -> str:
    return _SPACE.sub("", element.text_content() or "")


def _visible_text(body: lxml_html.HtmlElement) -> str:
    parts = [t for t in body.xpath(".//text()[not(ancestor::script) and not(ancestor::style)"
                                   " and not(ancestor::noscript) and not(ancestor::template)]")]
    return _SPACE.sub("", "".join(parts))


def _visible_chars(body: lxml_html.HtmlElement, all_text: str) -> int:
    """How many non-space characters a visitor sees: all text less the script,
    style, noscript and template text (cheaper than collecting visible nodes)."""
    hidden = sum(_chars(element.text_content()) for element in body.iter(*HIDDEN_TAGS)
                 if next(element.iterancestors(*HIDDEN_TAGS), None) is None)
    return max(_chars(all_text) - hidden, 0)


def _chars(text: str) -> int:
    return len("".join(text.split()))


def dated_rows(tree: lxml_html.HtmlElement) -> int:
    """Rows (li, tr, dd) that hold a link and a date: the items of a column list."""
    count = 0
    for row in tree.iter("li", "tr", "dd"):
        if row.find(".//a") is None:
            continue
        text = _text(row)
        if len(text) < 300 and DATE.search(text):
            count += 1
    return count


def _is_empty(element: lxml_html.HtmlElement) -> bool:
    """No text and no content-bearing children (an empty tbody inside counts as empty)."""
    if element.text and element.text.strip():
        return False
    if any(child.tag not in TABLE_PARTS for child in element):
        return False  # cheap structural answer first: most elements have content
    if _text(element):
        return False
    return all(not _text(child) and child.find(".//a") is None for child in element)


def _stems(element: lxml_html.HtmlElement) -> list[str]:
    """Strings a script would use to find the element: its id (whole and without a
    trailing number, as scripts build `'list_' + columnid`) and its classes."""
    stems: list[str] = []
    ident = (element.get("id") or "").strip()
    if ident:
        stems.append(ident)
        stem = _TRAILING_ID.sub("", ident)
        if len(stem) >= 3 and stem != ident:
            stems.append(stem)
    stems += [c for c in (element.get("class") or "").split() if len(c) >= 3]
    return stems


def _own_scripts(sources: list[str]) -> list[str]:
    """External scripts that are the page's own, not a library every page loads."""
    return [src for src in sources
            if not LIBRARY_SCRIPT.search(src.rsplit("/", 1)[-1].split("?", 1)[0])]


def _parent_text(element: lxml_html.HtmlElement) -> str:
    parent = element.getparent()
    return _text(parent) if parent is not None else ""


def _data_calls(code: str, sources: list[str]) -> list[str]:
    """The data-fetching calls scripts make, named once each (at most four)."""
    return list(_calls_in(code + "\n" + "\n".join(sources)))


@lru_cache(maxsize=64)
def _calls_in(scripts: str) -> tuple[str, ...]:
    # A site's pages share their template's scripts: the case-blind alternation
    # runs once per distinct script text, not once per page.
    return tuple(sorted({m.group(0).strip("(.'\" ").lower()
                         for m in DATA_CALLS.finditer(scripts)})[:4])


def _written_in_place(tree: lxml_html.HtmlElement, code: str) -> str | None:
    """A list a script writes where it stands (document.write, often from a
    JSONP file or an inline loop): the static HTML shows the script, not the list.

    Either the page's code writes list markup, or a list container holds
    nothing but scripts (its own items are whatever they write)."""
    if "document.write" in code and WRITTEN_LIST.search(code):
        return "list markup written by document.write"
    for script in tree.iter("script"):
        parent = script.getparent()
        if parent is None or parent.tag not in CANDIDATE_TAGS or parent.tag in ("body", "head"):
            continue
        stems = _stems(parent)
        if not (parent.tag in LIST_TAGS or any(LISTY.search(s) for s in stems)):
            continue
        if all(child.tag == "script" or not isinstance(child.tag, str) for child in parent) \
                and not _chars(parent.text or "") \
                and not any(_chars(child.tail or "") for child in parent):
            named = f"{parent.tag}{'#' + parent.get('id') if parent.get('id') else ''}"
            return f"{named} holds only the script that writes it"
    return None


def render_signs(tree: lxml_html.HtmlElement) -> list[str]:
    """Why this static HTML probably differs from what a browser shows (empty: it doesn't).

    Runs on every page the crawl fetches under any policy, so the costly
    readings (data calls in the code, visible text) are taken only when a
    structural sign calls for them."""
    scripts = [s.text or "" for s in tree.iter("script")
               if (s.get("type") or "text/javascript").lower() in
               ("text/javascript", "application/javascript", "module", "")]
    sources = [s.get("src") or "" for s in tree.iter("script") if s.get("src")]
    code = "\n".join(scripts)
    if not code.strip() and not sources:
        return []
    calls: list[str] | None = None
    signs: list[str] = []
    written = _written_in_place(tree, code)
    if written:
        signs.append(written)
    for element in tree.iter(*CANDIDATE_TAGS):
        attributes = element.attrib
        if element.tag not in LIST_TAGS and "id" not in attributes and "class" not in attributes:
            continue
        if len(attributes) > 1 or ("id" not in attributes and "class" not in attributes):
            bound = [a for a in BINDING_ATTRS if a in attributes]
            if bound:
                signs.append(f"{element.tag} bound by {bound[0]}")
                break
        if not _is_empty(element):
            continue
        stems = _stems(element)
        named = f"{element.tag}{'#' + element.get('id') if element.get('id') else ''}"
        referenced = [s for s in stems if re.search(rf"""['"#.]{re.escape(s)}""", code)]
        listy = element.tag in LIST_TAGS or any(LISTY.search(s) for s in stems)
        if referenced and listy:
            signs.append(f"empty {named} filled by a script")
            break
        if listy and element.tag in (*LIST_TAGS, "div") and stems:
            calls = _data_calls(code, sources) if calls is None else calls
            if calls:
                signs.append(f"empty {named} beside data requests")
                break
        if element.get("id") and (listy or MOUNT.search(element.get("id") or "")) \
                and _own_scripts(sources) and _chars(_parent_text(element)) < SHELL_PARENT_CHARS:
            # An application shell: its content slot is empty and the page loads
            # a script of its own, which names its data only inside the bundle.
            signs.append(f"empty {named} in a page run by its own scripts")
            break
    body = tree.find("body")
    page_signs: list[str] = []
    if body is not None:
        all_text = body.text_content()
        if "{{" in all_text and MUSTACHE.search(_visible_text(body)):
            page_signs.append("unfilled {{ }} templates")
        if _visible_chars(body, all_text) < NEAR_EMPTY_BODY_CHARS:
            page_signs.append("near-empty body run by scripts")
    if signs:
        calls = _data_calls(code, sources) if calls is None else calls
        if calls:
            signs.append("scripts call " + ", ".join(calls))
    if (signs or page_signs) and FRAMEWORKS.search(code):  # alone it fills nothing missing
        signs.append("client-side templates")
    return signs + page_signs


def render_reason(tree: lxml_html.HtmlElement | None, min_items: int) -> str | None:
    """A one-line reason to render this page under policy `auto`, or None."""
    if tree is None:
        return None
    signs = render_signs(tree)
    if not signs or signs == ["client-side templates"]:
        return None  # a template library alone fills nothing we can see is missing
    # A page that already lists dated items shows its list, unless a script is seen
    # to fill an empty list container by name: that list is missing whatever a
    # sidebar of dated "hot articles" beside it shows.
    filled_by_script = any(sign.endswith(("filled by a script", "writes it",
                                          "written by document.write")) for sign in signs)
    if not filled_by_script and dated_rows(tree) >= min_items:
        return None
    return "; ".join(signs)[:300]
