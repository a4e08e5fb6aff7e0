"""Is this answer a bot-protection challenge rather than the site's page?

Many Chinese government sites sit behind script challenges (瑞数 answers 412,
加速乐 521, 安全狗/云锁 and Cloudflare 403/503, some 200): a short page whose
script computes a cookie and reloads. A visitor's browser passes it in a
blink; a crawler without scripts sees an error status. Read as the site's
page it would make every column "answer an HTTP error" and the home page
"not open": blocked is not broken. Recognised by what the page does (a
script setting a cookie and reloading, on a page with almost no text of its
own) and by the services' well-known markers, never by one vendor alone.
"""

from __future__ import annotations

import re

from lxml import html as lxml_html

from govsite.i18n import msg

CHALLENGE_PREFIX = "bot protection challenge"
BLOCKED = "blocked by bot protection"
# Statuses the challenge services answer with; 200 only with the script's signs.
CHALLENGE_STATUSES = frozenset({202, 401, 403, 412, 429, 503, 521})
MARKERS = re.compile(
    r"\$_ts\b|__jsl_clearance|acw_sc__v2|_cf_chl|cf-chl|challenge-platform|"
    r"yunsuo_session_verify|security_verify|__jsluid|wzws_cid|waf_verify|"
    r"安全验证|安全检查|浏览器(安全)?检查|正在(进行)?验证|人机验证|checking your browser|"
    r"enable javascript and cookies|just a moment", re.I)
SETS_COOKIE = re.compile(r"document\s*\.\s*cookie\s*=")
RELOADS = re.compile(r"location\s*\.\s*(reload|replace|assign)\s*\(|location(\.href)?\s*=|"
                     r"\.submit\s*\(|setTimeout\s*\(")
# A challenge page shows a line or two ("正在验证…"), never a site's content.
MAX_VISIBLE_CHARS = 300
_SPACE = re.compile(r"\s+")


def may_be_challenge(status: int, text: str) -> bool:
    """The cheap first look every page gets: a challenge status, or a short 200
    page whose scripts touch cookies."""
    if status in CHALLENGE_STATUSES:
        return True
    return status == 200 and len(text) < 20_000 and "cookie" in text


def challenge_sign(status: int, tree: lxml_html.HtmlElement | None) -> str | None:
    """A one-line description when this answer is a challenge, else None."""
    if tree is None or (status not in CHALLENGE_STATUSES and status != 200):
        return None
    scripts = " ".join(s.text or "" for s in tree.iter("script"))
    if not scripts.strip() and not any(s.get("src") for s in tree.iter("script")):
        return None
    body = tree.find("body")
    visible = "" if body is None else _SPACE.sub("", "".join(
        body.xpath(".//text()[not(ancestor::script) and not(ancestor::style)"
                   " and not(ancestor::noscript)]")))
    if len(visible) > MAX_VISIBLE_CHARS:
        return None
    whole = scripts + " " + visible + " " + " ".join(
        s.get("src") or "" for s in tree.iter("script"))
    marker = MARKERS.search(whole)
    scripted = SETS_COOKIE.search(scripts) and RELOADS.search(scripts)
    if status == 200 and not scripted:
        return None  # a short page of a working site, or an app shell: not a challenge
    if not (marker or scripted):
        return None
    how = (msg("a script sets a cookie and reloads") if scripted
           else msg("marker {marker}", marker=repr(marker.group(0))))
    return f"{CHALLENGE_PREFIX} (HTTP {status}: {how})"
