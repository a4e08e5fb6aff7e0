"""broken-link: links and embedded resources that do not work (链接不可用).

RULES.md [R]: each broken link on the home page −1, elsewhere −0.1; monitoring
vendors count only 404/403 (and 410) as definitely broken and list the other
failures apart as "suspected". The crawl checks every link and embedded
resource of the site's pages once per run per target (crawler/linkcheck.py,
asked for by `checks_links`) and stores the problem targets as facts; this
module judges them: 404/410/403 and "soft 404" pages (200 saying the page
does not exist) are broken; a 403 that is a bot-protection challenge is
inconclusive (not judged); timeouts, 5xx and DNS failures are suspected
(info, never a deduction).
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from govsite.checks.base import (
    INDICATORS_2019,
    Check,
    CheckSettings,
    Finding,
    SiteEvidence,
)
from govsite.i18n import msg

FACT = "link"


class Settings(CheckSettings):
    max_checks_per_site: int = Field(..., ge=0)
    timeout_s: float = Field(..., gt=0, le=120)
    pages_kept: int = Field(..., ge=1, le=200)
    max_findings: int = Field(..., ge=1)


class BrokenLink(Check):
    title_zh = "链接不可用"
    title_en = "Broken links"
    indicator = f"{INDICATORS_2019} 扣分指标「链接可用性」"
    severity = "deduct"
    category = "operation"
    checks_links = True
    remediation = msg("Fix or remove links and embedded files that answer 404/410/403 or a "
                   "'page not found' page; check the suspected ones (timeouts, server errors) "
                   "again and fix those that stay down.")
    Settings = Settings

    def evaluate(self, site: SiteEvidence) -> Iterator[Finding]:
        facts = sorted((f for f in site.facts if f.kind == FACT),
                       key=lambda f: (f.data["state"] != "broken", not f.data["home"], f.url))
        for fact in facts[:self.settings.max_findings]:
            data = fact.data
            what: str = (msg("HTTP {status}", status=data["status"]) if data["status"]
                         else data["error"] or msg("no answer"))
            if data["detail"]:
                what = msg("{what}, {detail}", what=what, detail=data["detail"])
            where = (msg("the home page") if data["home"]
                     else msg("{count} page(s)", count=data["count"]))
            evidence = {"target": fact.url, "pages": data["pages"], "count": data["count"],
                        "status": data["status"], "error": data["error"],
                        "detail": data["detail"], "state": data["state"],
                        "place": "home" if data["home"] else "page",
                        "offsite": data["offsite"]}
            if data["state"] == "broken":
                yield self.finding(fact.url, msg("Broken link ({what}), linked from {where}.",
                                                    what=what, where=where),
                                   **evidence)
            elif data["state"] == "inconclusive":
                yield self.finding(fact.url, msg("Link behind bot protection ({what}), linked "
                                                 "from {where}: not judged.", what=what,
                                                 where=where), severity="warn", judged=False,
                                   **evidence)
            else:
                yield self.finding(fact.url, msg("Suspected broken link ({what}), linked from "
                                                 "{where}: not judged broken.", what=what,
                                                 where=where), severity="info",
                                   judged=False, **evidence)
