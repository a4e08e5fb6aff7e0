"""URL rules: the plain fast paths answer exactly as urllib's general path.

Most links on a page are plain (http, lower-case host, no dot segments or
session ids), and web/urls.py answers those with one regex instead of
urllib's split/join. Here every plain answer is compared with the general
one, over hand-picked awkward URLs and every link of the demo estate.
"""

from __future__ import annotations

import itertools
import re

import pytest
from lxml import html

from govsite.estate import build_estate
from govsite.web import urls

BASES = [
    "http://h", "http://h/", "http://H/a/", "https://h:443/x", "http://h:80", "http://h:080/a/",
    "http://h:8080/a/b.html", "http://h:99999/a", "http://h/a?x=1", "http://h/a#f",
    "http://h/a/b/", "http://user@h/a/", "http://h/a%20b/", "http://h/./a/", "http://h/a/../b/",
    "http://h/a;jsessionid=1/", "http://127.0.0.1:1/", "HTTP://h/a/", "http://h/中文/",
    "http://www.example.gov.cn/col/col12/index.html", "https://zwfw.example.gov.cn:8443/",
]
HREFS = [
    "a.html", "./a.html", "../a.html", "/a.html", "//other/x", "?q=1", "#top", "a b.html",
    " a.html ", "a\\b.html", "mailto:x", "javascript:void(0)", "http://h", "http://h/",
    "http://H/x", "https://h:443/", "http://h:80/a", "http://h/a?b", "http://h/a#b", "/a/./b",
    "/a/../b", "/.well", "a:b", "/a;jsessionid=9", "/中文/页.html", "%E4.html",
    "/a?x=1&jsessionid=2", "http://h:99999/", "", " ", "tel:1", "ftp://h/", "t20261115_4501.html",
    "/xwdt/gzdt/202611/t20261115_4501.html", "show.asp?id=12", "http://h:8080/a/b/",
    "./202611/t1.html", "../a.html", "../../xxgk/", "../../../../x.html", "../", "./", "./../a",
    "../a/../b", ".././a", "..", ".", "../?x=1",
]


def estate_links() -> tuple[list[str], list[str]]:
    bases, hrefs = [], set()
    for site in build_estate().sites:
        for path, resource in list(site.resources.items())[:40]:
            bases.append(f"http://{site.name}.test{path}")
            if b"<a" in resource.body:
                tree = html.document_fromstring(re.sub(rb"\{\{host:([^}]+)\}\}", rb"\1.test",
                                                       resource.body))
                hrefs.update(a.get("href") for a in tree.iter("a") if a.get("href"))
    return bases, sorted(hrefs)


def test_plain_urls_resolve_and_canonicalise_as_urllib_does() -> None:
    bases, hrefs = estate_links()
    estate_pairs = list(zip(bases * (len(hrefs) // len(bases) + 1), hrefs, strict=False))
    pairs = [*itertools.product(BASES, HREFS + hrefs[:300]), *itertools.product(bases[:60], HREFS),
             *estate_pairs]
    fast = 0
    for index, (base, href) in enumerate(pairs):
        href = href.strip()
        key = urls.resolve_key(base, href)
        plain = urls._resolve_plain(key, href)
        general = urls._general_resolve(key, href)
        if plain is not None:
            fast += index >= len(pairs) - len(estate_pairs)
            assert plain == general, (base, href)
        absolute = plain or general
        if absolute is None:
            continue
        assert urls.resolve(base, href) == absolute
        if urls._plain(absolute) is not None:
            assert urls.canonical(absolute) == urls._general_canonical(absolute), absolute
            assert urls.origin(absolute) == urls._general_origin(absolute), absolute
    assert fast > len(estate_pairs) / 2  # on real links the fast path is the common one


@pytest.mark.parametrize(("url", "expected"), [
    ("http://h:80/a/", "http://h/a/"), ("https://h:443", "https://h/"),
    ("http://h:080/a", "http://h/a"), ("http://h:8080/a", "http://h:8080/a"),
    ("http://H/a/../b", "http://h/b"), ("http://h/a;jsessionid=X?x=1&sid=2#f", "http://h/a?x=1"),
    # A GBK site's search (青山 in GBK) keeps its bytes; UTF-8 escapes stay UTF-8.
    ("http://h/search.asp?keyword=%C7%E0%C9%BD&sid=1", "http://h/search.asp?keyword=%C7%E0%C9%BD"),
    ("http://h/s?q=%E9%9D%92%E5%B1%B1", "http://h/s?q=%E9%9D%92%E5%B1%B1"),
])
def test_canonical_spellings(url: str, expected: str) -> None:
    assert urls.canonical(url) == expected
