"""hidden-links: links leaving the site that a visitor cannot see (隐藏链接, 暗链).

docs/rules.md, 严重问题: pornographic (and gambling) content or links on a
government site are a single veto; an intruder plants them hidden, for search
engines to follow and visitors not to notice. A hidden link to another host
whose text or address carries a gambling, pornography or lottery word
(`spam_words`) is a veto; any other hidden off-site link is deducted (a
tampered template, or an advertiser's link the office never meant to show).

Judged only on the page as a browser renders it: crawler/visibility.py marks
every off-site link with how it is hidden (computed styles up the ancestor
chain, off-page position, text the colour of its background). Which pages are
rendered: the home page (where such links are planted, in the template every
page shares) and any page whose static HTML hides an off-site link by inline
style, the `hidden` attribute or a class of its own `<style>` blocks
(extract/hiding.py); pages rendered for other reasons are read too. A page
that should have been rendered and was not is "not judged" (a warning).

Not flagged: links to the site's own host (skip links such as
"跳转到主要内容", hidden sub-menus of the site's navigation), and hidden
containers a visitor opens from something visible on the page (a 友情链接
tab, a 部门网站 dropdown, a carousel's slides; see crawler/visibility.py),
unless a link in them carries a spam word. Skip links (`skip_link_words`)
are never flagged, wherever they point.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urljoin

from pydantic import Field

from govsite.checks.base import (
    INDICATORS_2019,
    Check,
    CheckSettings,
    Finding,
    PageContext,
    SiteEvidence,
)
from govsite.extract.hiding import CONTRAST, HIDDEN, HIDER, META, PANEL, bare_host, suspect_links
from govsite.i18n import msg
from govsite.web.challenge import BLOCKED

LINKS = "hidden-links"
UNJUDGED = "unjudged"
SAME_COLOUR = msg("same colour as background")
MAX_LINKS_PER_PAGE = 50  # facts stay small; a page with more is flagged all the same


class Settings(CheckSettings):
    spam_words: list[str] = Field(..., min_length=1)
    skip_link_words: list[str]
    max_contrast: int = Field(..., ge=0, le=255)
    render_home_page: bool
    max_findings: int = Field(..., ge=1, le=1000)


class HiddenLinks(Check):
    title_zh = "隐藏链接（暗链）"
    title_en = "Hidden off-site links"
    indicator = (f"{INDICATORS_2019} 单项否决指标「严重问题」（色情、赌博等有害链接）；"
                 "其他隐藏外链扣分")
    severity = "veto"
    category = "security"
    remediation = msg("Remove the hidden links from the page templates and the content (look for "
                   "display:none, off-screen positions, font-size:0, text in the background's "
                   "colour, including classes in the stylesheets), find how they were planted "
                   "(a compromised CMS account or server), and change its passwords.")
    Settings = Settings

    def render_wanted(self, page: PageContext) -> str | None:
        if page.tree is None:
            return None
        if page.depth == 0 and page.purpose == "crawl":
            return "the home page, read as a visitor sees it" \
                if self.settings.render_home_page else None
        if not _on_site(page):
            return None  # a page a check fetched on another host: not this site's page
        suspects = page.memo("hidden-link-suspects", lambda: suspect_links(
            page.tree, page.final_url, _own_hosts(page)))
        return f"off-site links hidden in the static HTML ({suspects[0]})" if suspects else None

    def extract(self, page: PageContext) -> Iterable[dict[str, Any]]:
        if page.tree is None or page.status >= 400 or page.error or not _on_site(page):
            return
        if page.needs_render and (page.render_error or "").startswith(BLOCKED):
            return  # a bot-protection wall, not the site's page: site-unreachable says so
        if not page.rendered:
            if self.render_wanted(page):  # wanted, and none could be had
                yield {"kind": UNJUDGED, "data": {"reason": page.render_error or "not rendered"}}
            return
        judged = page.tree.xpath(f"//meta[@name='{META}']/@content")
        if not judged:
            yield {"kind": UNJUDGED, "data": {
                "reason": msg("rendered, but the visibility of its links could not be read")}}
            return
        own = _own_hosts(page)
        links = []
        for a in page.tree.xpath(f"//a[@{HIDDEN}]"):
            how = a.get(HIDDEN) or ""
            contrast = a.get(CONTRAST)
            if not how and contrast is not None and contrast.isdigit() \
                    and int(contrast) <= self.settings.max_contrast:
                how = SAME_COLOUR
            if not how:
                continue
            target = urljoin(page.final_url, (a.get("href") or "").strip())
            if not target.startswith(("http://", "https://")) or bare_host(target) in own:
                continue
            links.append({"target": target[:500], "text": " ".join(a.text_content().split())[:100],
                          "how": how, "hider": a.get(HIDER), "panel": a.get(PANEL)})
            if len(links) >= MAX_LINKS_PER_PAGE:
                break
        yield {"kind": LINKS, "data": {"judged": int(judged[0]) if judged[0].isdigit() else 0,
                                       "hidden": links}}

    def evaluate(self, site: SiteEvidence) -> Iterator[Finding]:
        seen: set[str] = set()
        unjudged: set[str] = set()
        count = 0
        for fact in site.facts:
            if fact.kind == UNJUDGED and fact.url not in unjudged:
                unjudged.add(fact.url)
                yield self.finding(fact.url, msg("The page could not be read as a browser "
                                                 "shows it ({reason}): its links' visibility "
                                                 "is not judged.", reason=fact.data["reason"]),
                                   severity="warn", judged=False,
                                   reason=fact.data["reason"])
            if fact.kind != LINKS:
                continue
            for link in fact.data["hidden"]:
                words = self.spam_in(link["text"], link["target"])
                if not words and (link.get("panel") or self.is_skip_link(link["text"])):
                    continue  # a tab or dropdown a visitor opens; a skip link
                if link["target"] in seen:
                    continue
                seen.add(link["target"])
                count += 1
                if count > self.settings.max_findings:
                    return
                what = f"「{link['text']}」 " if link["text"] else ""
                spam = msg("; it carries {words}", words=", ".join(words)) if words else ""
                yield self.finding(
                    fact.url, msg("A link to another site a visitor cannot see ({how}): "
                                  "{what}{target}{spam}.", how=link["how"], what=what,
                                  target=link["target"], spam=spam),
                    severity="veto" if words else "deduct",
                    target=link["target"], text=link["text"], how=link["how"],
                    hider=link.get("hider"), words=words, key=link["target"])

    def spam_in(self, text: str, target: str) -> list[str]:
        """The spam words a link's text or address carries."""
        haystack = f"{text} {target}".lower()
        return [word for word in self.settings.spam_words if word.lower() in haystack]

    def is_skip_link(self, text: str) -> bool:
        plain = "".join(text.split()).lower()
        return any("".join(word.split()).lower() in plain for word in self.settings.skip_link_words)


def _own_hosts(page: PageContext) -> set[str]:
    """The hosts a link may go to and stay on the site (www. or not)."""
    return {page.site.host.lower().removeprefix("www."), bare_host(page.final_url),
            bare_host(page.url)}


def _on_site(page: PageContext) -> bool:
    """A page of the site itself, not one a check fetched on another host."""
    return bare_host(page.final_url) == page.site.host.lower().removeprefix("www.") \
        or (page.depth == 0 and page.purpose == "crawl")
