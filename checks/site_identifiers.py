"""site-identifiers: the footer's identifiers missing, wrong or not linked (网站标识).

RULES.md "Required page elements": every page's footer names the organiser
(主办单位) and a contact, shows the 网站标识码 (equal to the registered one),
the ICP number linked to beian.miit.gov.cn, the public-security record linked
to www.beian.gov.cn and the 党政机关网站标识 linked to bszs.conac.cn. Judged on
the home page, whose footer is the template's; a footer in an on-site frame,
or a fragment a script loads, is fetched and read with it. A home page whose
HTML shows no footer at all (written by a script not run) is not judged:
an absence must be read where a visitor would see the footer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urljoin

from pydantic import Field

from govsite.checks.base import (
    INDICATORS_2019,
    Check,
    CheckSettings,
    FetchRequest,
    Finding,
    PageContext,
    SiteEvidence,
)
from govsite.checks.home import home_page, is_home
from govsite.extract.identifiers import CODE_FORMAT, FOOTER_SIGNS, ITEMS, read_identifiers
from govsite.i18n import listed, msg
from govsite.web.urls import host_key

FACT = "identifiers"
FRAME = "footer-frame"
# A script that loads the footer as a fragment: $("#footer").load("/inc/foot.html").
_LOADED_FRAGMENT = re.compile(r"""\.load\(\s*["']([^"'?#]+\.s?html?)["']""")


class Settings(CheckSettings):
    max_frames: int = Field(..., ge=0, le=20)


class SiteIdentifiers(Check):
    title_zh = "网站标识不规范"
    title_en = "Site identifiers missing or wrong"
    indicator = f"{INDICATORS_2019} 扣分指标「功能设计」网站标识"
    severity = "deduct"
    remediation = msg("Show in every page's footer: 主办单位 and a contact phone or e-mail, the "
                   "网站标识码 as registered, the ICP number linked to https://beian.miit.gov.cn, "
                   "the public-security record linked to http://www.beian.gov.cn and the "
                   "党政机关网站标识 linked to bszs.conac.cn.")
    Settings = Settings

    def _frames(self, page: PageContext) -> list[str]:
        """On-site frames and script-loaded fragments of the home page that may hold its footer."""
        if page.tree is None:
            return []
        return page.memo("footer-frames", lambda: self._find_frames(page))

    def _find_frames(self, page: PageContext) -> list[str]:
        assert page.tree is not None
        sources = [str(s) for s in page.tree.xpath("//iframe/@src | //frame/@src")]
        for script in page.tree.iter("script"):
            if script.text and ".load(" in script.text:
                sources += _LOADED_FRAGMENT.findall(script.text)
        found: list[str] = []
        for source in sources:
            url = urljoin(page.final_url, source.strip())
            if url.startswith("http") and host_key(url) == host_key(page.final_url) \
                    and url not in found:
                found.append(url)
        return found[:self.settings.max_frames]

    def wants(self, page: PageContext) -> Iterable[FetchRequest]:
        if page.tree is None or page.depth != 0 or page.purpose != "crawl":
            return
        for url in self._frames(page):
            yield FetchRequest(url, purpose=FRAME)

    def extract(self, page: PageContext) -> Iterable[dict[str, Any]]:
        if page.tree is None or page.depth > 1:
            return
        home = page.depth == 0 and page.purpose == "crawl"
        # A frame's page is read whatever purpose first fetched it; the cheap
        # word test keeps the other depth-1 pages out.
        if not home and not FOOTER_SIGNS.search(page.compact_text()):
            return
        links = [(link.url, link.text) for link in page.links]
        found = read_identifiers(page.tree, links, self._frames(page) if home else [])
        yield {"kind": FACT, "data": {**found.to_dict(), "home": home}}

    def evaluate(self, site: SiteEvidence) -> Iterator[Finding]:
        home = home_page(site.pages)
        if home is None:
            return
        if home.needs_render and not home.rendered:
            yield self.finding(home.url, msg("The home page could not be read as a browser "
                                             "shows it ({reason}); not judged.",
                                             reason=home.render_error), severity="warn",
                               judged=False, reason=home.render_error)
            return
        facts = {f.url: f.data for f in site.facts if f.kind == FACT}
        own = next((data for url, data in facts.items()
                    if data.get("home") and (page := site.page(url)) and is_home(page)), None)
        if own is None:
            return
        readings = [own, *(facts[u] for u in own["frames"] if u in facts)]
        merged = _merge(readings)
        if not merged["footer_seen"]:
            if home.rendered:
                merged["footer_seen"] = True  # the browser ran the page's scripts: judge it
            else:
                yield self.finding(home.url, msg("The home page's HTML shows no footer (it may "
                                                 "be written by a script); its identifiers "
                                                 "were not read: not judged."),
                                   severity="warn", judged=False, problem="no-footer")
                return
        missing, wrong, found, why = _judge(merged, site.site.site_code)
        if not missing and not wrong:
            return
        parts = []
        if missing:
            parts.append(msg("missing: {items}", items=listed(
                [ITEM_WORDS.get(item, item) for item in missing])))
        if wrong:
            parts.append(msg("wrong: {items}", items=listed(
                [msg("{item} ({why})", item=ITEM_WORDS.get(item, item), why=why[item])
                 for item in wrong], "{first}; {rest}")))
        parts_text = (msg("{first}; {second}", first=parts[0], second=parts[1])
                      if len(parts) == 2 else parts[0])
        yield self.finding(home.url, msg("The footer's identifiers are incomplete — {parts}.",
                                         parts=parts_text),
                           missing=missing, wrong=wrong,
                           found=found, why=why)


# The footer's items as the evidence stores them, said in the report's language.
ITEM_WORDS = {"site_code": msg("site code"), "icp": msg("ICP filing number"),
              "public_security": msg("public security filing number"),
              "conac": msg("government website mark"), "organizer": msg("organizer"),
              "contact": msg("contact phone or e-mail")}


def _merge(readings: list[dict[str, Any]]) -> dict[str, Any]:
    """The home page and its footer frames as one footer: an item shown anywhere counts."""
    merged = dict(readings[0])
    for other in readings[1:]:
        for key, value in other.items():
            if key in ("frames", "home"):
                continue
            if isinstance(value, bool):
                merged[key] = merged.get(key) or value
            elif merged.get(key) in (None, "") and value not in (None, ""):
                merged[key] = value
    return merged


def _judge(found: dict[str, Any], registered: str | None
           ) -> tuple[list[str], list[str], dict[str, str], dict[str, str]]:
    """Item names missing and wrong (in ITEMS order), what was found, and why it is wrong."""
    missing: list[str] = []
    wrong: list[str] = []
    seen: dict[str, str] = {}
    why: dict[str, str] = {}
    code = found["site_code"]
    if code is None:
        missing.append("site_code")
    else:
        seen["site_code"] = code
        if not CODE_FORMAT.fullmatch(code):
            why["site_code"] = msg("no code after the label") if not code else \
                msg("not 10 digits, nor bm + 8 digits")
        elif registered and code.lower() != registered.lower():
            why["site_code"] = msg("the registry says {code}", code=registered)
    for item, linked, where in (("icp", "icp_linked", "beian.miit.gov.cn"),
                                ("public_security", "public_security_linked", "www.beian.gov.cn")):
        if found[item] is None:
            missing.append(item)
            continue
        seen[item] = found[item]
        if not found[linked]:
            why[item] = msg("not linked to {where}", where=where)
    if not found["conac"]:
        if found["conac_unlinked"]:
            seen["conac"] = "党政机关"
            why["conac"] = msg("not linked to {where}", where="bszs.conac.cn")
        else:
            missing.append("conac")
    if not found["organizer"]:
        missing.append("organizer")
    if found["contact"]:
        seen["contact"] = found["contact"]
    else:
        missing.append("contact")
    wrong = [item for item in ITEMS if item in why]
    return missing, wrong, seen, why
