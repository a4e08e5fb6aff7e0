"""Decode a page from its bytes, whatever its headers and meta tags claim.

Chinese government sites often declare GB2312 while serving UTF-8 after a
migration, or serve GBK with a UTF-8 header. The bytes decide: UTF-8 is
tried strictly first (GBK text is practically never valid UTF-8), then the
declared charset, then GB18030 (a superset of GB2312 and GBK).
"""

from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([a-zA-Z0-9_\-]+)", re.I)

# Labels that mean "some GB encoding"; GB18030 decodes them all.
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "hz-gb-2312", "euc-cn"}


def _codec_name(label: str | None) -> str | None:
    if not label:
        return None
    try:
        return codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None


def declared_charsets(body: bytes, content_type: str | None) -> tuple[str | None, str | None]:
    """The charset of the Content-Type header and of the first meta tag, if any."""
    header_match = _HEADER_CHARSET.search(content_type or "")
    header = header_match.group(1) if header_match else None
    meta_match = _META_CHARSET.search(body[:4096])
    meta = meta_match.group(1).decode("ascii", "replace") if meta_match else None
    return header, meta


def _cjk_count(text: str) -> int:
    return sum(1 for char in text if "\u4e00" <= char <= "\u9fff")


def _decode_gb(body: bytes) -> tuple[str, str] | None:
    """Strict GBK, else strict GB18030 (its superset), else None."""
    for codec in ("gbk", "gb18030"):
        try:
            return body.decode(codec), codec
        except UnicodeDecodeError:
            continue
    return None


def decode_body(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Return (text, encoding actually used)."""
    if body.startswith(codecs.BOM_UTF8):
        return body[3:].decode("utf-8", "replace"), "utf-8"
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return body.decode("utf-16", "replace"), "utf-16"
    header, meta = declared_charsets(body, content_type)
    try:
        as_utf8 = body.decode("utf-8")
    except UnicodeDecodeError:
        as_utf8 = None
    if as_utf8 is not None:
        # Short GBK text can be valid UTF-8 by accident (D2 BB is both 一 and
        # Cyrillic һ); when a GB charset is declared, the reading with more
        # Chinese characters wins.
        declared_gb = any(label and label.lower() in _GB_FAMILY for label in (meta, header))
        if declared_gb and not as_utf8.isascii():
            as_gb = _decode_gb(body)
            if as_gb is not None and _cjk_count(as_gb[0]) > _cjk_count(as_utf8):
                return as_gb
        return as_utf8, "utf-8"
    for label in (meta, header):
        codec = _codec_name(label)
        if codec is None or codec == "utf-8":
            continue
        if label and label.lower() in _GB_FAMILY:
            codec = "gbk"
        try:
            return body.decode(codec), codec
        except (UnicodeDecodeError, LookupError):
            continue
    return _decode_gb(body) or (body.decode("gb18030", "replace"), "gb18030")
