"""A site's rectification notice (整改通知) as one e-mail: Chinese, HTML plus text.

Built from a run's report (reports.model.build_report) alone: the site's open
problems (veto, deduct and warn findings the checks could judge; dismissed
findings are not problems), each with its page, its evidence as labelled
fields (reports.evidence) and its check's remediation, and the date by which
to rectify. Sending is the `notify` command's job; this module only writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from typing import Any

from govsite.i18n import gettext
from govsite.reports.evidence import evidence_view
from govsite.reports.i18n import check_title, localize_reasons, severity_label, verdict_label
from govsite.reports.templates import html_env, text_env

PROBLEM_SEVERITIES = ("veto", "deduct", "warn")
LANG = "zh"  # the notice goes to a Chinese office


@dataclass(frozen=True)
class Notice:
    """One site's e-mail, and the fingerprints of the problems it lists."""

    site: str
    url: str  # the site's registered URL: which site it is
    recipient: str
    message: EmailMessage
    fingerprints: list[str]


def open_problems(site: dict[str, Any]) -> list[dict[str, Any]]:
    """The findings a site must act on: not info, not "not judged", not dismissed."""
    return [f for f in site["findings"] if f["severity"] in PROBLEM_SEVERITIES
            and (f.get("evidence") or {}).get("judged") is not False]


def compose(report: dict[str, Any], site: dict[str, Any], *, recipient: str, sender: str,
            deadline: date, issuer: str = "") -> Notice:
    """The e-mail to `recipient` about `site` of this report."""
    catalog = {check["id"]: check for check in report.get("checks", [])}
    problems = []
    for finding in open_problems(site):
        check = catalog.get(finding["check"], {})
        problems.append({
            **finding, "title": check_title(check or finding["check"], LANG),
            "severity_text": severity_label(finding["severity"], LANG),
            "fields": evidence_view(finding.get("evidence") or {}, LANG),
            "remediation": gettext(check.get("remediation", ""), LANG)})
    context = {
        "site": site, "run": report["run"], "problems": problems, "deadline": deadline,
        "issuer": issuer, "verdict_text": verdict_label(site["verdict"], LANG),
        "reasons": localize_reasons(site.get("reasons") or [], catalog, LANG),
        "dismissed": len(site.get("dismissed") or [])}
    message = EmailMessage()
    message["Subject"] = (f"【整改通知】{site['name']}：{len(problems)}个问题，"
                          f"请于{deadline:%Y年%m月%d日}前整改")
    message["From"] = sender
    message["To"] = formataddr((site["name"], recipient))
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "govsite")
    message.set_content(text_env().get_template("rectification.txt.j2").render(**context))
    message.add_alternative(html_env().get_template("rectification.html.j2").render(**context),
                            subtype="html")
    return Notice(site["name"], site["url"], recipient, message, [p["fingerprint"] for p in problems])
