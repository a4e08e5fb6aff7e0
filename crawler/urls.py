"""URL rules of the crawl: canonical form, scope, file types, trap guards."""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

_SESSION_PARAMS = re.compile(r"^(jsessionid|phpsessid|sid|sessionid|aspsessionid\w*)$", re.I)
_PATH_SESSION = re.compile(r";jsessionid=[^/?#]*", re.I)
_SKIP_SCHEMES = ("javascript:", "mailto:", "tel:", "data:", "about:", "#", "sms:", "ftp:")


@lru_cache(maxsize=65536)
def origin(url: str) -> str:
    """scheme://host[:port] in lower case, default ports dropped: the crawl's scope key."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:  # a malformed port in a hostile link: keep it verbatim
        return f"{parts.scheme.lower()}://{parts.netloc.lower()}"
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    netloc = host if port in (None, default) else f"{host}:{port}"
    return f"{parts.scheme.lower()}://{netloc}"


@lru_cache(maxsize=65536)
def host_key(url: str) -> str:
    """host[:port]: sites are scoped by host, http and https alike."""
    return origin(url).split("://", 1)[1]


@lru_cache(maxsize=65536)
def canonical(url: str) -> str:
    """One spelling per page: no fragment, no session ids, dot-segments resolved."""
    parts = urlsplit(url.strip())
    path = _PATH_SESSION.sub("", parts.path) or "/"
    if ".." in path or "/./" in path:
        trailing = path.endswith("/")
        path = posixpath.normpath(path)
        path = path + "/" if trailing and not path.endswith("/") else path
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
         if not _SESSION_PARAMS.match(k)],
        doseq=True,
    )
    netloc = origin(url).split("://", 1)[1]
    return urlunsplit((parts.scheme.lower(), netloc, path, query, ""))


def resolve(base: str, href: str) -> str | None:
    """Absolute http(s) URL of a link, or None for script/mail/anchor links."""
    # The result depends on the base only through its origin (root-relative hrefs), its
    # directory (relative paths) or its path (query-only hrefs): memoise on that.
    href = href.strip()
    path_base = base.split("#", 1)[0].split("?", 1)[0]
    if href.startswith(("http://", "https://")):
        key = ""
    elif path_base.count("/") < 3:  # no path: keep the base whole
        key = base
    elif href.startswith("/") and not href.startswith("//"):
        key = path_base[:path_base.index("/", path_base.index("//") + 2)]
    elif href.startswith("?"):
        key = base.split("#", 1)[0]
    else:
        key = path_base.rsplit("/", 1)[0] + "/"
    return _resolve(key, href)


@lru_cache(maxsize=65536)
def _resolve(base: str, href: str) -> str | None:
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
