"""Labels in Chinese and English for the human-facing formats (csv, xlsx, html, notice).

JSON keys are never translated: they are the contract. Check titles follow the
convention "English title (中文标题)"; `check_title` picks the language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from govsite.i18n import gettext

LANGS = ("zh", "en")

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "site": "网站名称", "url": "网址", "site_code": "网站标识码", "organizer": "主办单位",
        "region": "地区", "kind": "类型", "verdict": "检查结论", "score": "得分",
        "vetoes": "单项否决", "reasons": "原因", "pages": "页面数", "findings": "问题数",
        "check": "检查项", "check_id": "检查项编号", "category": "类别", "severity": "严重程度",
        "finding_url": "问题页面", "message": "问题描述", "fingerprint": "问题指纹",
        "screenshot": "截图", "remediation": "整改建议", "run": "检查批次", "as_of": "监测时间点",
        "sites_sheet": "网站", "findings_sheet": "问题", "all": "全部",
        "summary": "共检查{sites}个网站，合格{passed}个，不合格{failed}个，无法判定{errors}个，"
                   "合格率{rate}。",
        "report_title": "政府网站检查报告", "back": "返回网站列表", "no_findings": "未发现问题。",
        "open_page": "打开页面", "filter_verdict": "按结论筛选", "filter_check": "按检查项筛选",
        "shown": "显示", "evidence": "证据", "dismissed": "已撤销（人工复核）",
        "dismissed_heading": "人工复核撤销的问题（不计入结论）",
        "charts": "图表", "history": "历次检查", "trend": "合格率与各类问题数（历次检查）",
        "by_check": "各检查项问题数", "by_region": "各地区检查结论", "by_kind": "各类网站检查结论",
        "site_history": "得分与结论（历次检查）",
        "subject": "检查对象", "subject_site": "网站", "subject_account": "政务新媒体",
        "account": "账号名称", "platform": "平台", "account_id": "账号",
        "accounts_sheet": "政务新媒体", "accounts_heading": "政务新媒体账号",
        "accounts_summary": "共检查{total}个政务新媒体账号，合格{passed}个。",
    },
    "en": {
        "site": "Site", "url": "URL", "site_code": "Site code", "organizer": "Organizer",
        "region": "Region", "kind": "Kind", "verdict": "Verdict", "score": "Score",
        "vetoes": "Single vetoes", "reasons": "Reasons", "pages": "Pages", "findings": "Findings",
        "check": "Check", "check_id": "Check id", "category": "Category",
        "severity": "Severity", "finding_url": "Page", "message": "Message",
        "fingerprint": "Fingerprint", "screenshot": "Screenshot",
        "remediation": "Remediation", "run": "Run", "as_of": "As of",
        "sites_sheet": "Sites", "findings_sheet": "Findings", "all": "All",
        "summary": "{sites} sites inspected: {passed} qualified, {failed} unqualified, "
                   "{errors} not judged; pass rate {rate}.",
        "report_title": "Government website inspection report", "back": "Back to the sites",
        "no_findings": "No findings.", "open_page": "open page",
        "filter_verdict": "Filter by verdict", "filter_check": "Filter by check",
        "shown": "shown", "evidence": "Evidence", "dismissed": "Dismissed (auditor)",
        "dismissed_heading": "Findings an auditor dismissed (not counted)",
        "charts": "Charts", "history": "History",
        "trend": "Pass rate and problems by category over the runs",
        "by_check": "Problems by check", "by_region": "Verdicts by region",
        "by_kind": "Verdicts by site kind", "site_history": "Score and verdict over the runs",
        "subject": "Inspected", "subject_site": "site", "subject_account": "new-media account",
        "account": "Account", "platform": "Platform", "account_id": "Account id",
        "accounts_sheet": "New-media accounts", "accounts_heading": "Government new-media accounts",
        "accounts_summary": "{total} new-media accounts inspected: {passed} qualified.",
    },
}

PLATFORMS = {
    "zh": {"wechat": "微信公众号", "weibo": "微博", "toutiao": "头条号", "douyin": "抖音号",
           "other": "其他"},
    "en": {"wechat": "WeChat", "weibo": "Weibo", "toutiao": "Toutiao", "douyin": "Douyin",
           "other": "other"},
}

VERDICTS = {
    "zh": {"pass": "合格", "fail": "不合格", "error": "无法判定"},
    "en": {"pass": "qualified", "fail": "unqualified", "error": "not judged"},
}
SEVERITIES = {
    "zh": {"veto": "单项否决", "deduct": "扣分", "warn": "提示", "info": "信息"},
    "en": {"veto": "veto", "deduct": "deduct", "warn": "warn", "info": "info"},
}
# The notice's headings (see ../shared/seed/): 日常运维, 互动回应, 办事服务, 安全.
CATEGORIES = {
    "zh": {"operation": "日常运维", "interaction": "互动回应", "service": "办事服务",
           "security": "安全"},
    "en": {"operation": "daily operation", "interaction": "interaction",
           "service": "services", "security": "security"},
}
CATEGORY_ORDER = ("operation", "interaction", "service", "security")



def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"expected one of {', '.join(LANGS)}, got {lang!r}")
    return lang


def label(lang: str, key: str, **values: Any) -> str:
    text = LABELS[lang][key]
    return text.format(**values) if values else text


def check_title(check: Mapping[str, Any] | str, lang: str) -> str:
    """A check's title in `lang`, from its catalog entry (the check class's
    title_zh / title_en; a plug-in that gives only `title` may translate it in its
    own catalogue); a bare id (a check no longer installed) as it is."""
    if isinstance(check, str):
        return check
    if check.get(f"title_{lang}"):
        return str(check[f"title_{lang}"])
    title = check.get("title")
    return gettext(str(title), lang) if title else str(check.get("id", ""))


def platform_label(platform: str, lang: str) -> str:
    return PLATFORMS[lang].get(platform, platform)


def verdict_label(verdict: str, lang: str) -> str:
    return VERDICTS[lang].get(verdict, verdict)


def severity_label(severity: str, lang: str) -> str:
    return SEVERITIES[lang].get(severity, severity)


def category_label(category: str, lang: str) -> str:
    return CATEGORIES[lang].get(category, category)


_REASONS = (
    (re.compile(r"^single veto: (?P<check>\S+)$"),
     {"zh": "单项否决：{title}", "en": "single veto: {title}"}),
    (re.compile(r"^-(?P<points>[\d.]+) (?P<check>\S+)$"),
     {"zh": "{title} 扣{points}分", "en": "{title} −{points}"}),
    (re.compile(r"^score (?P<score>[\d.]+) below (?P<line>[\d.]+)$"),
     {"zh": "得分{score}分，低于{line}分", "en": "score {score}, below {line}"}),
    (re.compile(r"^checks failed: (?P<checks>.+)$"),
     {"zh": "检查项运行失败：{checks}", "en": "checks failed: {checks}"}),
)


def localize_reasons(reasons: list[str], titles: Mapping[str, Mapping[str, Any]], lang: str) -> list[str]:
    """The verdict's stored reasons (scoring.score wording) in `lang`, checks by title."""
    out = []
    for reason in reasons:
        for pattern, text in _REASONS:
            match = pattern.match(reason)
            if match:
                values = match.groupdict()
                if "check" in values:
                    values["title"] = check_title(titles.get(values["check"], values["check"]),
                                                  lang)
                out.append(text[lang].format(**values))
                break
        else:
            out.append(reason)
    return out
