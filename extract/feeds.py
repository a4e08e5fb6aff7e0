"""Read an RSS or Atom feed (an account's posts, e.g. from an RSSHub bridge) into
dated posts, with feedparser.

Why feedparser and not our own XML reader: RSS 0.9x/1.0/2.0 and Atom 0.3/1.0
differ in every element name, dates come in RFC 822, W3C-DTF and a dozen
broken variants, entities and CDATA summaries are HTML, and real feeds are
often not well-formed; feedparser has handled all of that for twenty years.
What it cannot know we add: the bytes are decoded as pages are
(web/encoding.py: UTF-8 first, then the declared charset, then GB18030), so a
GBK feed declared as UTF-8 still reads right; a date feedparser cannot parse
("2026年11月20日") goes through extract/dates.py; dates are taken in China's
time zone.

Evidence before accusation: a feed that is not well-formed (`complete`
False) may have lost posts, so only its fresh posts count (a fresh post read
is proof of an update; no fresh post read is no proof of none); an unreadable
document or one with no feed in it is `problem`, never an empty feed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import feedparser

from govsite.extract.dates import parse_date
from govsite.i18n import msg
from govsite.web.encoding import decode_body
from govsite.web.html import clean_text, parse_html

CHINA = timezone(timedelta(hours=8))  # account posts are dated in Beijing time
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)["']""")
_XML_ENCODING_TEXT = re.compile(r"""^(\s*<\?xml[^>]*?encoding\s*=\s*["'])[A-Za-z0-9_.:-]+""")
_LOCAL_DATE = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?")
# feedparser notes these but reads the document anyway: not a damaged feed.
_HARMLESS = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)


@dataclass(frozen=True)
class Post:
    """One post: its title, link, the day it was published (None: undated or
    unreadable), the date as the feed wrote it, and its text for the wording check."""

    title: str
    link: str
    published: date | None
    raw_date: str | None
    text: str


@dataclass(frozen=True)
class FeedReading:
    """What a feed shows. `problem`: why it is not a usable feed at all."""

    title: str = ""
    posts: list[Post] = field(default_factory=list)
    complete: bool = True  # well-formed: no post can have been lost
    damage: str | None = None  # what was wrong with a readable but damaged feed
    problem: str | None = None


def read_feed(body: bytes, content_type: str | None, *, as_of: date,
              max_posts: int) -> FeedReading:
    """The posts of a feed document, newest first, at most `max_posts`."""
    if not body.strip():
        return FeedReading(problem=msg("empty response, not a feed"))
    text = _as_utf8(body, content_type)
    parsed = feedparser.parse(text, response_headers={
        "content-type": "application/xml; charset=utf-8"})
    error = parsed.get("bozo_exception") if parsed.get("bozo") else None
    damaged = error is not None and not isinstance(error, _HARMLESS)
    if not parsed.get("version") and not parsed.entries:
        kind = (content_type or "no content type").split(";")[0].strip()
        return FeedReading(problem=msg("not an RSS or Atom feed ({kind}): {detail}", kind=kind,
                                       detail=_one_line(error)) if damaged
                           else msg("not an RSS or Atom feed ({kind})", kind=kind))
    posts = [_post(entry, as_of) for entry in parsed.entries]
    posts.sort(key=lambda p: p.published or date.min, reverse=True)
    return FeedReading(title=clean_text(parsed.feed.get("title")), posts=posts[:max_posts],
                       complete=not damaged,
                       damage=f"malformed feed: {_one_line(error)}" if damaged else None)


def _as_utf8(body: bytes, content_type: str | None) -> bytes:
    """The document as UTF-8 bytes declaring UTF-8, decoded from what it really is."""
    declared = _XML_ENCODING.match(body[:300])
    hint = content_type or ""
    if "charset" not in hint.lower() and declared is not None:
        hint = f"{hint}; charset={declared.group(1).decode('ascii')}"
    text, _ = decode_body(body, hint)
    return _XML_ENCODING_TEXT.sub(r"\g<1>utf-8", text, count=1).encode("utf-8")


def _post(entry: Any, as_of: date) -> Post:
    title = clean_text(_plain(entry.get("title", "")))
    parts = [title] + [_plain(c.get("value", "")) for c in entry.get("content") or []]
    if not entry.get("content"):
        parts.append(_plain(entry.get("summary", "")))
    raw = _own(entry, "published") or _own(entry, "updated") or _own(entry, "dc_date")
    return Post(title=title, link=str(entry.get("link") or ""), published=_day(entry, raw, as_of),
                raw_date=str(raw) if raw else None,
                text="\n".join(p for p in parts if p))


def _day(entry: Any, raw: str | None, as_of: date) -> date | None:
    """The publish day in China's time: ours of a date written in Chinese
    (feedparser misreads 2026年10月01日 as December) or without a time zone
    (feedparser takes 2026-11-10 20:00 as UTC: the 11th here), else feedparser's reading
    (UTC), else ours of the raw text, else None."""
    if raw and (not str(raw).isascii() or _LOCAL_DATE.fullmatch(str(raw).strip())):
        return parse_date(str(raw), reference=as_of)
    parsed = _own(entry, "published_parsed") or _own(entry, "updated_parsed")
    if parsed is not None:
        try:
            return datetime(*parsed[:6], tzinfo=UTC).astimezone(CHINA).date()
        except (ValueError, OverflowError):
            pass
    return parse_date(str(raw), reference=as_of) if raw else None


def _own(entry: Any, key: str) -> Any:
    """The entry's own value, without feedparser's deprecated fallback from
    `updated` to `published` (it warns on every undated entry)."""
    return dict.get(entry, key)


def _plain(value: str) -> str:
    """The text of an HTML fragment (summaries and content are HTML), a line per block."""
    if "<" not in value:
        return value.strip()
    tree = parse_html(f"<body>{value}</body>")
    if tree is None:
        return ""
    return "\n".join(t.strip() for t in tree.xpath("//body//text()[normalize-space()]"))


def _one_line(error: BaseException | None) -> str:
    text = str(error or "").strip()
    return (text.splitlines()[0] if text else type(error).__name__)[:200]
