"""URL rules of the crawl: canonical form, scope, file types, trap guards."""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

# Pages of a site repeat the same navigation, sidebar and footer links: a few
# thousand hot URLs. Memoising those is the win; remembering every URL of a
# 20,000-page site would cost the crawl ~5 MB per cache and gain nothing.
URL_CACHE_SIZE = 8192

_SESSION_PARAMS = re.compile(r"^(jsessionid|phpsessid|sid|sessionid|aspsessionid\w*)$", re.I)
_PATH_SESSION = re.compile(r";jsessionid=[^/?#]*", re.I)
_SKIP_SCHEMES = ("javascript:", "mailto:", "tel:", "data:", "about:", "#", "sms:", "ftp:")


# Most links are already plain: http(s), a lower-case host, a path without dot
# segments, session ids or odd characters. Those are recognised by one regex
# and answered without urllib (whose split/join cost ~10 us a URL, many times a
# page); everything else takes the general path below. Same answers either way
# (tests/test_urls.py compares them).
_PLAIN = re.compile(r"(https?)://([a-z0-9.-]+)(?::(\d{1,5}))?(/[^\s?#;\\]*)?")
_PLAIN_PATH = re.compile(r"[^\s?#;\\:]*")
_DEFAULT_PORTS = {"http": "80", "https": "443"}


def _plain(url: str) -> re.Match[str] | None:
    match = _PLAIN.fullmatch(url)
    if match is None or (match.group(3) and int(match.group(3)) > 65535):
        return None
    path = match.group(4) or ""
    if "/." in path or "%" in path:
        return None  # dot segments or escapes: the general path decides
    return match


def _plain_origin(match: re.Match[str]) -> str:
    scheme, host, port = match.group(1), match.group(2), match.group(3)
    if port is None or int(port) == int(_DEFAULT_PORTS[scheme]):
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{int(port)}"


@lru_cache(maxsize=URL_CACHE_SIZE)
def origin(url: str) -> str:
    """scheme://host[:port] in lower case, default ports dropped: the crawl's scope key."""
    plain = _plain(url)
    return _plain_origin(plain) if plain is not None else _general_origin(url)


def _general_origin(url: str) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:  # a malformed port in a hostile link: keep it verbatim
        return f"{parts.scheme.lower()}://{parts.netloc.lower()}"
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    netloc = host if port in (None, default) else f"{host}:{port}"
    return f"{parts.scheme.lower()}://{netloc}"


@lru_cache(maxsize=URL_CACHE_SIZE)
def host_key(url: str) -> str:
    """host[:port]: sites are scoped by host, http and https alike."""
    return origin(url).split("://", 1)[1]


@lru_cache(maxsize=URL_CACHE_SIZE)
def canonical(url: str) -> str:
    """One spelling per page: no fragment, no session ids, dot-segments resolved."""
    plain = _plain(url)
    if plain is not None:
        return _plain_origin(plain) + (plain.group(4) or "/")
    return _general_canonical(url)


def _general_canonical(url: str) -> str:
    parts = urlsplit(url.strip())
    path = _PATH_SESSION.sub("", parts.path) or "/"
    if ".." in path or "/./" in path:
        trailing = path.endswith("/")
        path = posixpath.normpath(path)
        path = path + "/" if trailing and not path.endswith("/") else path
    return urlunsplit((parts.scheme.lower(), host_key(url), path, _query(parts.query), ""))


def _query(query: str) -> str:
    """The query without session ids, re-encoded as UTF-8; a query whose escapes
    are not UTF-8 (an old site's GBK search: 青 is %C7%E0) keeps its bytes, or
    the server would be asked for something else than the page linked."""
    try:
        pairs = parse_qsl(query, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        pairs = parse_qsl(query, keep_blank_values=True, encoding="latin-1")
        try:
            return urlencode([(k, v) for k, v in pairs if not _SESSION_PARAMS.match(k)],
                             doseq=True, encoding="latin-1")
        except UnicodeEncodeError:  # escaped GBK beside raw CJK characters: left as it is
            return query
    return urlencode([(k, v) for k, v in pairs if not _SESSION_PARAMS.match(k)], doseq=True)


def resolve(base: str, href: str) -> str | None:
    """Absolute http(s) URL of a link, or None for script/mail/anchor links."""
    # The result depends on the base only through its origin (root-relative hrefs), its
    # directory (relative paths) or its path (query-only hrefs): memoise on that.
    href = href.strip()
    return _resolve(resolve_key(base, href), href)


def resolve_key(base: str, href: str) -> str:
    """The part of `base` that `href` is resolved against."""
    path_base = base.split("#", 1)[0].split("?", 1)[0]
    if href.startswith(("http://", "https://")):
        return ""
    if path_base.count("/") < 3:  # no path: keep the base whole
        return base
    if href.startswith("/") and not href.startswith("//"):
        return path_base[:path_base.index("/", path_base.index("//") + 2)]
    if href.startswith("?"):
        return base.split("#", 1)[0]
    return path_base.rsplit("/", 1)[0] + "/"


@lru_cache(maxsize=URL_CACHE_SIZE)
def _resolve(base: str, href: str) -> str | None:
    fast = _resolve_plain(base, href)
    return fast if fast is not None else _general_resolve(base, href)


def _general_resolve(base: str, href: str) -> str | None:
    href = href.strip().replace("\\", "/")
    if not href or href.lower().startswith(_SKIP_SCHEMES):
        return None
    try:
        absolute = urljoin(base, href)
        parts = urlsplit(absolute)
        _ = parts.port  # raises on a malformed port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return absolute


def _resolve_plain(base: str, href: str) -> str | None:
    """urljoin(base, href) when both are plain (base: an origin, or a directory
    ending in "/"), or None: the general path then decides."""
    if href.startswith(("http://", "https://")):
        return href if _plain(href) is not None else None
    up = 0  # TRS and other CMSs write "./202611/t1.html" and "../../xxgk/"
    while href.startswith("../"):
        href, up = href[3:], up + 1
    if href.startswith("./"):
        href = href[2:]
    if not href or href.startswith("//") or not _PLAIN_PATH.fullmatch(href) \
            or "/." in f"/{href}" or "%" in href:
        return None
    plain = _plain(base)
    if plain is None:
        return None
    path = plain.group(4)
    if href.startswith("/"):
        return base + href if path is None and not up else None
    if path is None:
        return f"{base}/{href}"
    if not path.endswith("/"):
        return None
    if up:  # climb from the base's directory, never above the root
        segments = path.strip("/").split("/") if path.strip("/") else []
        kept = segments[:max(len(segments) - up, 0)]
        return _plain_origin_as_written(base, path) + "/" + "".join(f"{s}/" for s in kept) + href
    return base + href


def _plain_origin_as_written(base: str, path: str) -> str:
    return base[:len(base) - len(path)]


def extension(url: str) -> str:
    path = urlsplit(url).path
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def path_of(url: str) -> str:
    return urlsplit(url).path


def longest_segment_repeat(url: str) -> int:
    """How often one path segment repeats in a row: /loop/a/a/a -> 3."""
    longest = run = 0
    previous = None
    for segment in urlsplit(url).path.split("/"):
        run = run + 1 if segment and segment == previous else 1
        previous = segment
        longest = max(longest, run if segment else 0)
    return longest
