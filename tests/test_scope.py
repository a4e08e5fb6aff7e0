"""Address scope (issue 14, item 5): what a public site's pages point at that is never requested.

The crawl's refusals of links and redirects are tested end to end on the trap
site (tests/test_crawl.py); here the rules themselves, the resolver's and the
browser's application of them.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from twisted.internet.error import DNSLookupError

from govsite.config import load_config
from govsite.crawler.render_browser import abort_request
from govsite.crawler.scope import ScopedResolver
from govsite.crawler.settings import scrapy_settings
from govsite.web.addresses import address_class, allowed_classes, may_be_refused, refusal

PUBLIC_ONLY = frozenset({"public"})


@pytest.mark.parametrize(("ip", "kind"), [
    ("8.8.8.8", "public"), ("202.96.128.86", "public"), ("2400:3200::1", "public"),
    ("127.0.0.2", "loopback"), ("::1", "loopback"),
    ("169.254.169.254", "link-local"), ("fe80::1", "link-local"),
    ("10.1.2.3", "private"), ("172.16.0.9", "private"), ("192.168.1.1", "private"),
    ("100.64.0.1", "private"), ("fd00::5", "private"), ("::ffff:10.0.0.1", "private"),
    ("::ffff:169.254.169.254", "link-local"),
    ("0.0.0.0", "reserved"), ("224.0.0.1", "reserved"), ("240.0.0.1", "reserved"),
])
def test_address_classes(ip: str, kind: str) -> None:
    assert address_class(ip) == kind


@pytest.mark.parametrize("url", [
    "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "http://[fe80::1]/",
    "https://192.168.0.1:8443/admin", "http://127.0.0.1/", "file:///etc/passwd",
    "ftp://ftp.example.gov.cn/", "javascript:alert(1)", "gopher://x/",
])
def test_a_public_sites_pages_may_not_reach(url: str) -> None:
    assert may_be_refused(url)
    assert refusal(url, PUBLIC_ONLY) is not None


@pytest.mark.parametrize("url", [
    "http://www.gov.cn/", "https://www.beian.gov.cn/portal", "http://202.96.128.86/",
    "http://[2400:3200::1]/", "HTTP://WWW.GOV.CN/",
])
def test_public_addresses_and_names_are_in_scope(url: str) -> None:
    assert refusal(url, PUBLIC_ONLY) is None


def test_a_site_on_loopback_may_reach_loopback_and_nothing_else_more() -> None:
    allowed = allowed_classes(["127.0.0.2:8080"])
    assert allowed == {"public", "loopback"}
    assert refusal("http://127.0.0.9:9000/x", allowed) is None
    assert refusal("http://169.254.169.254/", allowed) is not None
    assert refusal("http://10.0.0.1/", allowed) is not None
    assert allowed_classes(["www.example.gov.cn"]) == PUBLIC_ONLY
    assert allowed_classes(["[::1]:80"]) == {"public", "loopback"}


def test_names_are_not_refused_before_they_resolve() -> None:
    assert not may_be_refused("http://www.example.gov.cn/a")
    assert refusal("http://metadata.google.internal/", PUBLIC_ONLY) is None  # the resolver's job


def _resolver(allowed: set[str], names: set[str] = frozenset()) -> ScopedResolver:
    resolver = ScopedResolver.__new__(ScopedResolver)  # no reactor: only the rule is tested
    resolver.allowed, resolver.registered_names = frozenset(allowed), frozenset(names)
    return resolver


def test_the_resolver_refuses_names_that_resolve_outside_the_scope() -> None:
    resolver = _resolver({"public"})
    assert resolver.check("202.96.128.86", "www.example.gov.cn") == "202.96.128.86"
    for ip in ("169.254.169.254", "10.0.0.5", "127.0.0.1"):
        with pytest.raises(DNSLookupError, match="out of scope"):
            resolver.check(ip, "evil.example.com")
    assert _resolver({"public", "loopback"}).check("127.0.0.1", "localhost") == "127.0.0.1"


def test_the_crawl_installs_the_scope(tmp_path) -> None:
    settings = scrapy_settings(load_config(None), registered_hosts=["127.0.0.2:8080",
                                                                     "www.example.gov.cn"])
    assert settings["DNS_RESOLVER"] == "govsite.crawler.scope.ScopedResolver"
    assert settings["GOVSITE_REGISTERED_NAMES"] == ["127.0.0.2", "www.example.gov.cn"]
    assert settings["GOVSITE_ALLOWED_ADDRESSES"] == ["loopback", "public"]
    assert "govsite.crawler.scope.AddressScopeMiddleware" in settings["DOWNLOADER_MIDDLEWARES"]


def _browser_request(url: str, page: str, kind: str = "script",
                     navigation: bool = False) -> SimpleNamespace:
    """What abort_request reads of a Playwright request (the browser is the edge here;
    tests/test_families.py renders real pages through it)."""
    main_frame = SimpleNamespace(url=page)
    return SimpleNamespace(url=url, resource_type=kind,
                           frame=SimpleNamespace(url=page, page=SimpleNamespace(
                               main_frame=main_frame)),
                           is_navigation_request=lambda: navigation)


def test_the_browser_never_sends_what_the_page_may_not_reach() -> None:
    page = "http://www.example.gov.cn/xwzx/"
    assert abort_request(_browser_request("http://169.254.169.254/latest/", page))
    assert abort_request(_browser_request("http://192.168.1.1/api", page, "xhr"))
    assert not abort_request(_browser_request("http://www.example.gov.cn/api/list.json", page))
    assert not abort_request(_browser_request("data:text/plain,hello", page))
    loopback_page = "http://127.0.0.2:8080/"
    assert not abort_request(_browser_request("http://127.0.0.2:8080/list.js", loopback_page))
    assert abort_request(_browser_request("http://169.254.169.254/", loopback_page))
    # the tab's first navigation, before any page is shown: its own URL sets the scope
    assert not abort_request(_browser_request("http://127.0.0.2:8080/", "about:blank",
                                              "document", navigation=True))
    assert abort_request(_browser_request("http://169.254.169.254/", "about:blank",
                                          "xhr", navigation=False))
