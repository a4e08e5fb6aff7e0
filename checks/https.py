"""https: the site is served over HTTPS with a valid certificate, sends HTTP
visitors there, and its HTTPS pages load nothing over plain HTTP.

A browser warns a visitor away from an expired, self-signed or wrong-host
certificate and blocks mixed active content; a government site should not
ask its visitors to click through. The certificate and the redirect are read
once per run by crawler/tls.py (a verified handshake, as a browser makes
one); mixed content from each crawled HTTPS page.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urljoin

from pydantic import Field

from govsite.checks.base import (
    GUIDELINES_2017,
    Check,
    CheckSettings,
    Finding,
    PageContext,
    SiteEvidence,
)
from govsite.i18n import msg

TLS_FACT = "tls"  # written by crawler/tls.py, one per site and run
MIXED_FACT = "mixed-content"
# Elements whose http:// address a browser fetches with the page.
_RESOURCE_ATTRS = (("script", "src"), ("img", "src"), ("iframe", "src"), ("frame", "src"),
                   ("link", "href"), ("audio", "src"), ("video", "src"), ("source", "src"),
                   ("embed", "src"), ("object", "data"))
MAX_EXAMPLES = 5
REASONS = {"expired": msg("the certificate has expired"),
           "not-yet-valid": msg("the certificate is not valid yet"),
           "self-signed": msg("the certificate is self-signed"),
           "wrong-host": msg("the certificate is for another host name"),
           "untrusted": msg("the certificate is not issued by a trusted authority")}


class Settings(CheckSettings):
    ca_bundle: str  # "" = the system's trust store
    timeout_s: float = Field(..., gt=0, le=120)


class Https(Check):
    title_zh = "HTTPS 安全访问"
    title_en = "HTTPS"
    indicator = f"{GUIDELINES_2017}「安全防护」"
    severity = "deduct"
    category = "security"
    remediation = msg("Serve the site over HTTPS with a certificate from a trusted authority for "
                   "its host name, renew it before it expires, redirect http:// to https://, "
                   "and load every script, style, image and frame over https://.")
    Settings = Settings

    def extract(self, page: PageContext) -> Iterable[dict[str, Any]]:
        if page.tree is None or not page.final_url.startswith("https://") or page.status >= 400:
            return
        found: list[str] = []
        for tag, attr in _RESOURCE_ATTRS:
            for element in page.tree.iter(tag):
                if tag == "link" and "stylesheet" not in (element.get("rel") or "").lower():
                    continue
                value = (element.get(attr) or "").strip()
                if value.lower().startswith("http://"):
                    found.append(urljoin(page.final_url, value))
        if found:
            yield {"kind": MIXED_FACT, "data": {"count": len(found),
                                                "examples": sorted(set(found))[:MAX_EXAMPLES]}}

    def evaluate(self, site: SiteEvidence) -> Iterator[Finding]:
        tls = next((f.data for f in site.facts if f.kind == TLS_FACT), None)
        if tls is None:
            yield self.finding(site.site.url, msg("HTTPS was not inspected on this run; not "
                                                  "judged."),
                               severity="warn", judged=False, problem="not-inspected")
            return
        yield from self._certificate(tls)
        yield from self._redirect(tls)
        yield from self._mixed(site)

    def _certificate(self, tls: dict[str, Any]) -> Iterator[Finding]:
        url = tls["https_url"]
        if tls["tls"] == "invalid":
            reason = tls.get("reason", "untrusted")
            yield self.finding(url, msg("{reason}: a browser warns visitors away from the "
                                        "site.", reason=REASONS.get(reason, reason)),
                               problem="invalid-certificate",
                               reason=reason, error=tls.get("error"))
        elif tls["tls"] in ("refused", "error"):
            yield self.finding(url, msg("The site is not served over HTTPS ({error}).",
                                        error=str(tls.get("error"))),
                               problem="no-https", error=tls.get("error"))

    def _redirect(self, tls: dict[str, Any]) -> Iterator[Finding]:
        if tls.get("redirects_to_https") is False and tls["tls"] == "ok":
            status = tls.get("http_status")
            yield self.finding(tls["http_url"], msg("http:// answers HTTP {status} instead "
                                                    "of sending visitors to https://.",
                                                    status=status), problem="no-redirect",
                               status=status, redirects_to=tls.get("redirects_to"))

    def _mixed(self, site: SiteEvidence) -> Iterator[Finding]:
        pages = [f for f in site.facts if f.kind == MIXED_FACT]
        if not pages:
            return
        examples = sorted({e for f in pages for e in f.data["examples"]})[:MAX_EXAMPLES]
        yield self.finding(pages[0].url, msg("{count} HTTPS page(s) load content over plain "
                                             "http:// (e.g. {example}).", count=len(pages),
                                             example=examples[0]), problem="mixed-content",
                           pages=[f.url for f in pages[:20]], page_count=len(pages),
                           examples=examples)
