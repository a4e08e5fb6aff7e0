"""The identifiers a government page's footer carries, read by their words and links.

RULES.md "Required page elements": 主办单位 and a contact, the 网站标识码, the
ICP number linked to beian.miit.gov.cn, the public-security record linked
to www.beian.gov.cn and the 党政机关网站标识 linked to bszs.conac.cn. Every
vendor lays the footer out differently (a table, paragraphs, spans split by
separators, images with alt text), so each item is read from the page's
visible text and its links, never from a template's class names.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlsplit

from lxml import etree
from lxml import html as lxml_html

from govsite.extract.structure import FOOTER_WORDS

ITEMS = ("site_code", "icp", "public_security", "conac", "organizer", "contact")

# Text nodes joined by a space, so a code in one <span> and a word in the next
# never run together ("5399210001" + "ICP备" is not a 13-character code).
_TEXT = etree.XPath("//body//text()[not(ancestor::script or ancestor::style "
                    "or ancestor::noscript or ancestor::template or ancestor::select "
                    "or ancestor::textarea or ancestor::option)]", smart_strings=False)
# 网站标识码 (some footers write 网站识别码 or 政府网站标识码), then the code.
_CODE_LABEL = re.compile(r"网\s*站\s*(?:标\s*识|识\s*别)\s*码\s*[:：]?\s*([A-Za-z0-9]{1,16})?")
CODE_FORMAT = re.compile(r"\d{10}|bm\d{8}", re.I)
# 滇ICP备05001234号-1; also 京ICP证030173号 (a licence, not a filing: still the ICP item).
_ICP_TEXT = re.compile(r"ICP\s*[备证]\s*\d{5,}", re.I)
_POLICE_TEXT = re.compile(r"公\s*网\s*安\s*备\s*\d{6,}")
_ORGANIZER = re.compile(r"主\s*办\s*(?:单\s*位)?\s*[:：]|网\s*站\s*主\s*办|主\s*办\s*单\s*位")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# A phone number after its label: 联系电话：0871-6391234, 电话 (0870) 2123456, 热线 12345.
_PHONE = re.compile(r"(?:电\s*话|热\s*线|联\s*系\s*方\s*式|Tel|TEL|tel)\s*[:：]?\s*"
                    r"[（(]?\d{3,4}[)）]?[-－—\s]?\d{5,8}|(?:电\s*话|热\s*线)\s*[:：]?\s*\d{5}\b")
_CONTACT_LINK = re.compile(r"^\s*联\s*系\s*(?:我\s*们|方\s*式)\s*$")
ICP_HOSTS = ("beian.miit.gov.cn", "miitbeian.gov.cn")  # the second: the old address, redirects
POLICE_HOSTS = ("beian.gov.cn",)
CONAC_LINK_HOSTS = ("bszs.conac.cn",)
# The mark is often placed by the official script (dcs.conac.cn/js/...), which
# writes the linked image at view time: its script counts as the mark.
CONAC_SCRIPT_HOSTS = ("conac.cn",)
# Words a footer shows when it is there at all; a page with none of them may
# have its footer written by script or in a frame.
FOOTER_SIGNS = re.compile("|".join([*FOOTER_WORDS, "网站识别码", "icp", "主办", "承办", "©"]), re.I)


@dataclass
class Identifiers:
    """What one page shows of each item; found text, and whether it is linked."""

    site_code: str | None = None  # the code as written after its label ("" : label, no code)
    icp: str | None = None
    icp_linked: bool = False
    public_security: str | None = None
    public_security_linked: bool = False
    conac: bool = False
    conac_unlinked: bool = False  # the mark's picture or words, with no link to bszs.conac.cn
    organizer: bool = False
    contact: str | None = None
    footer_seen: bool = False
    frames: list[str] = field(default_factory=list)  # on-site frames that may hold the footer

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _host_is(url: str, hosts: tuple[str, ...]) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in hosts)


def read_identifiers(tree: lxml_html.HtmlElement, links: list[tuple[str, str]],
                     frames: list[str] | None = None) -> Identifiers:
    """The footer items of one page: `links` are (absolute URL, text) pairs."""
    text = " ".join(_TEXT(tree))
    found = Identifiers(frames=list(frames or ()))
    found.footer_seen = bool(FOOTER_SIGNS.search(text))
    code = _CODE_LABEL.search(text)
    if code:
        found.site_code = code.group(1) or ""
    if icp := _ICP_TEXT.search(text):
        found.icp = _line_around(text, icp.start(), icp.end())
    if police := _POLICE_TEXT.search(text):
        found.public_security = _line_around(text, police.start(), police.end())
    found.organizer = bool(_ORGANIZER.search(text))
    contact = _PHONE.search(text) or ("@" in text and _EMAIL.search(text))
    if contact:
        found.contact = contact.group(0).strip()
    for url, link_text in links:
        # Every host of the three items has "beian" or "conac" in its name: a link
        # without either (nearly all of a page's ~150) is only a contact link or
        # nothing, and needs no urlsplit (three per link were 2/3 of this reading).
        lowered = url.lower()
        if "beian" not in lowered and "conac" not in lowered:
            if not found.contact and _CONTACT_LINK.match(link_text or ""):
                found.contact = link_text.strip()
            continue
        if _host_is(url, ICP_HOSTS):
            found.icp_linked = True
            found.icp = found.icp or link_text.strip() or url
        elif _host_is(url, POLICE_HOSTS):
            found.public_security_linked = True
            found.public_security = found.public_security or link_text.strip() or url
        elif _host_is(url, CONAC_LINK_HOSTS):
            found.conac = True
        elif not found.contact and _CONTACT_LINK.match(link_text or ""):
            found.contact = link_text.strip()
    if not found.conac:
        scripts = tree.xpath("//script/@src")
        found.conac = any(_host_is(str(src), CONAC_SCRIPT_HOSTS) for src in scripts)
        inline = " ".join(s.text or "" for s in tree.iter("script") if s.text and "conac" in s.text)
        found.conac = found.conac or "conac.cn" in inline.lower()
    if not found.conac:
        alts = " ".join(str(a) for a in tree.xpath("//img/@alt | //img/@title"))
        found.conac_unlinked = "党政机关" in alts or "党政机关网站标识" in text
    return found


def _line_around(text: str, start: int, end: int) -> str:
    """The record number as written (the province's short name, the number, 号-1)."""
    left = max(0, start - 3)
    match = re.compile(r"\S*$").search(text[left:start])
    begin = left + (match.start() if match else start - left)
    tail = re.compile(r"[\d号\-－]*").match(text, end)
    return text[begin:tail.end() if tail else end].strip()
