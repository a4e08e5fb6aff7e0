"""The reasons the crawl writes into evidence (a page not read, not rendered, a
link that failed), said in the report's language at display time.

They are stored as English text, with values in them ("timeout after 20 s"),
by the crawl (crawler/spider.py, crawler/render.py, crawler/analysis.py,
web/challenge.py) and kept so: JSON and the stored runs are unchanged. Each
shape is listed here as a catalogued message (its translation in govsite.po),
and `reason_text` says a stored reason by the first shape it fits
(i18n/shapes.py), its inner `{detail}`/`{why}`/`{reason}` said again the same
way. A text fitting no shape is shown as it is.
"""

from __future__ import annotations

from typing import Any

from govsite.i18n import gettext, msg, render_message
from govsite.i18n.shapes import said_by_shape, shapes

REASONS = (
    # fetching (crawler/spider.py describe_failure)
    msg("timeout after {seconds} s"), msg("response larger than {limit} bytes (not read)"),
    msg("DNS lookup failed: {detail}"), msg("connection refused"),
    msg("TLS handshake failed"), msg("TLS handshake failed: {detail}"),
    msg("processing failed: {detail}"),
    msg("no results for hostname lookup: {host}."),
    msg("CannotResolveHostError: DNS lookup failed: no results for hostname lookup: {host}."),
    msg("DNSLookupError: {detail}"),
    msg("{host} resolves to {ip}, a {kind} address: out of scope"), msg("TCPTimedOutError: {detail}"),
    # rendering (crawler/render.py, crawler/analysis.py, crawler/spider.py)
    msg("not rendered"), msg("not rendered: {why}"), msg("no browser found"),
    msg("the browser failed: {detail}"), msg("the browser failed to start: {detail}"),
    msg("browser could not load the page: {detail}"),
    msg("rendered, but data requests failed: {detail}"),
    msg("not read: rate limited (HTTP 429) after the waits the site asked for"),
    msg("not rendered: the answer to a form's POST cannot be loaded again in a browser"),
    msg("rendered, but the visibility of its links could not be read"),
    msg("requested by check {check}: {reason}"),
    # link checking (crawler/linkcheck.py) and screenshots (crawler/evidence.py)
    msg("not checked"), msg("soft 404: the page says 「{title}」"),
    msg("screenshot took longer than {seconds} s"), msg("browser failed: {detail}"),
    # why a footer identifier is wrong (checks/site_identifiers.py)
    msg("the registry says {code}"), msg("not linked to {where}"),
    # how a bot-protection page was recognised (web/challenge.py)
    msg("a script sets a cookie and reloads"), msg("marker {marker}"),
    # the home-page visits' verdict (checks/site_unreachable.py)
    msg("unreachable"),
    # bot protection (web/challenge.py, crawler/analysis.py)
    msg("blocked by bot protection: the browser did not get past it ({challenge})"),
    msg("blocked by bot protection ({challenge}); {reason}"),
    msg("bot protection challenge (HTTP {status}: {how})"),
    # the https check's look-up (crawler/tls.py)
    msg("nothing answers on port {port}"), msg("no answer within {seconds} s"),
    msg("TLS error: {detail}"), msg("not inspected: {reason}"),
    # home-page visits (crawler/probe.py)
    msg("did not open within {seconds} s"), msg("ConnectionRefusedError: {detail}"),
    msg("ConnectionResetError: {detail}"), msg("TimeoutError: {detail}"),
    msg("gaierror: {detail}"), msg("SSLCertVerificationError: {detail}"),
    msg("SSLError: {detail}"),
    # new-media feeds (checks/account_not_updated.py)
    msg("feed not read: {reason}"), msg("the feed answered HTTP {status}"),
    msg("reading failed: {detail}"), msg("not fetched: {reason}"),
    msg("not an RSS or Atom feed ({kind})"), msg("not an RSS or Atom feed ({kind}): {detail}"),
    msg("empty response, not a feed"),
    msg("malformed feed: {detail}"), msg("disallowed by robots.txt"),
    msg("{damage}; no post of the {days} days before {as_of} among those read"),
)
RECURSE = frozenset({"detail", "why", "reason", "challenge", "damage", "how"})


def said_message(message_id: str | None, params: dict[str, Any] | None, english: str,
                 lang: str) -> str:
    """A stored finding's message in `lang`: from its catalogue id, the reasons
    among its parameters said by their shape too; a plug-in's plain text (no id)
    as it was written."""
    if not message_id:
        return english
    return render_message(message_id, said_params(params or {}, lang), lang)


# The parameters that hold a stored reason (a network or render error, not a page's
# own text): only these are said by their shape.
REASON_PARAMS = frozenset({"reason", "error", "why", "failure", "what", "detail", "how"})


def said_params(params: dict[str, Any], lang: str) -> dict[str, Any]:
    """The reasons among a message's parameters (nested messages' too) in `lang`."""
    said: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, dict) and isinstance(value.get("params"), dict):
            value = {**value, "params": said_params(value["params"], lang)}
        elif key in REASON_PARAMS and isinstance(value, str):
            value = reason_text(value, lang)
        said[key] = value
    return said


def reason_text(text: str, lang: str) -> str:
    """A stored reason (or any fixed word) in `lang`: its catalogued translation
    when it is an id itself, else by its shape, else as it is."""
    said = gettext(text, lang)
    if said != text or lang == "en":
        return said
    return said_by_shape(text, shapes(lang, tuple(m.msgid for m in REASONS)), RECURSE)
