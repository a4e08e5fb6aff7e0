"""Chinese first: the message catalogue (Babel .po), `--lang` in every format, and
evidence shown as labelled fields, never as a Python literal."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from openpyxl import load_workbook
from stored_runs import channel_facts, crawl_like_run
from synthetic import invoke

from govsite.i18n import LOCALE_DIR, catalogue, msg, placeholders, render_message

ROOT = Path(__file__).resolve().parents[1]
METHOD_MAP = [(f"{package}/**.py", "python") for package in
              ("checks", "reports", "storage", "scoring", "crawler", "i18n", "web", "extract")]
METHOD_MAP += [(f"{module}.py", "python") for module in ("cli", "recheck", "notify", "config")]
PO = LOCALE_DIR / "zh" / "LC_MESSAGES" / "govsite.po"


def code_messages() -> set[str]:
    """Every message id the code marks: msg("…") and t(lang, "…"), found by Babel's
    own extractor (as `pybabel extract -k msg -k t:2` would)."""
    found = extract_from_dir(str(ROOT), method_map=METHOD_MAP,
                             keywords={"msg": None, "t": (2,)})
    return {message for _, _, message, _, _ in found if isinstance(message, str)}


def test_every_message_in_the_code_is_said_in_chinese_with_the_same_placeholders() -> None:
    ids = code_messages()
    assert len(ids) > 100  # the checks' findings, evidence labels, the interface
    zh = catalogue("zh")
    missing = sorted(ids - set(zh))
    assert missing == []
    for msgid in ids:
        assert placeholders(zh[msgid]) == placeholders(msgid), msgid
    with PO.open("rb") as handle:
        po = read_po(handle)
    assert not [m.id for m in po if m.id and m.fuzzy]


def test_a_message_renders_in_either_language_nested_parameters_included() -> None:
    reason = msg("no candidate channel works")
    message = msg("No effective online consultation channel: {reason}.", reason=reason)
    assert message == "No effective online consultation channel: no candidate channel works."
    stored = message.stored()
    assert json.loads(json.dumps(stored)) == stored  # JSON as it is stored
    assert render_message(message.msgid, stored, "zh") == "无有效的在线咨询建言渠道：候选渠道均不可用。"
    assert render_message(message.msgid, stored, "en") == str(message)
    # A formatted number follows its format in both languages.
    share = msg("The home page failed to open on {failed} of {total} visits in {days} days "
                "({share:.1%}; the rule allows less than {allowed:.0%}).", failed=9, total=140,
                days=7, share=9 / 140, allowed=0.05)
    assert "6.4%" in render_message(share.msgid, share.stored(), "zh")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "lang.db"
    crawl_like_run(path, facts=channel_facts())
    return path


def test_json_message_follows_lang_and_keeps_the_english_and_its_id(db: Path) -> None:
    zh = json.loads(invoke("report", "--format", "json", db=db).stdout)  # default: zh
    en = json.loads(invoke("report", "--format", "json", "--lang", "en", db=db).stdout)
    (zh_veto,) = [f for f in zh["sites"][0]["findings"] if f["severity"] == "veto"]
    (en_veto,) = [f for f in en["sites"][0]["findings"] if f["severity"] == "veto"]
    assert zh_veto["message"] == "无有效的在线咨询建言渠道：候选渠道均不可用。"
    assert en_veto["message"] == "No effective online consultation channel: no candidate channel works."
    assert zh_veto["message_en"] == en_veto["message"]
    assert zh_veto["message_id"] == "No effective online consultation channel: {reason}."
    assert zh_veto["evidence"] == en_veto["evidence"]  # data: the same in both
    assert list(zh_veto) == list(en_veto)  # the same keys


def test_table_csv_and_xlsx_say_messages_and_evidence_in_chinese(db: Path, tmp_path: Path) -> None:
    table = invoke("report", db=db).stdout
    assert "无有效的在线咨询建言渠道" in table and "检查结论" in table and "不合格" in table
    assert "No effective" not in table
    assert "原因：候选渠道均不可用；检查过的渠道：" in table  # the evidence, labelled

    text = invoke("report", "--format", "csv", db=db).stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    (veto,) = [r for r in rows if r["严重程度"] == "单项否决"]
    assert veto["问题描述"] == "无有效的在线咨询建言渠道：候选渠道均不可用。"
    assert veto["证据"].startswith("原因：候选渠道均不可用；检查过的渠道：")
    assert "网上信访, 不计入, 否, 信访、纪检举报渠道不计入" in veto["证据"]
    assert "{" not in veto["证据"] and "'" not in veto["证据"]  # never a Python literal

    out = tmp_path / "r.xlsx"
    assert invoke("report", "--format", "xlsx", "-o", str(out), "--lang", "en", db=db).code == 1
    sheet = load_workbook(out)["Findings"]
    header = [c.value for c in sheet[1]]
    cells = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    (veto,) = [c for c in cells if c["Severity"] == "veto"]
    assert ("Channels tried: http://www.qingshan.gov.cn/xf/, 网上信访, excluded, no, "
            "petition/discipline channels do not count | ") in veto["Evidence"]


def test_html_shows_evidence_as_a_labelled_table_in_the_reports_language(db: Path,
                                                                         tmp_path: Path) -> None:
    out = tmp_path / "html"
    assert invoke("report", "--format", "html", "-o", str(out), db=db).code == 1
    page = (out / "sites" / "site-001.html").read_text(encoding="utf-8")
    assert "无有效的在线咨询建言渠道：候选渠道均不可用。" in page
    records = re.search(r'<table class="records">(.*?)</table>', page, re.S)
    assert records is not None
    headers = re.findall(r"<th>(.*?)</th>", records.group(1))
    assert headers == ["链接", "文字", "类型", "是否有效", "理由"]
    assert "信访、纪检举报渠道不计入" in records.group(1)
    assert "[{" not in page and "'kind'" not in page and "&#39;kind&#39;" not in page


def test_long_lists_are_cut_with_a_count(tmp_path: Path) -> None:
    from govsite.reports.evidence import evidence_text, evidence_view

    records = [{"url": f"http://x/{i}", "text": f"信箱{i}", "works": False} for i in range(25)]
    (field,) = evidence_view({"candidates": records}, "zh")
    assert field.label == "检查过的渠道" and len(field.rows) == 10 and field.more == 15
    assert evidence_text({"pages": [f"http://x/{i}" for i in range(13)]}, "en").endswith(
        "http://x/9 … and 3 more")
    assert evidence_text({"pages": [f"http://x/{i}" for i in range(13)]}, "zh").endswith(
        "……另有3项")


def test_the_command_lines_own_messages_and_errors_are_chinese_unless_asked(db: Path) -> None:
    from typer.testing import CliRunner

    from govsite.cli import app

    def run(lang: str | None, *args: str):
        env = {"GOVSITE_DB": None, "NO_COLOR": "1", "COLUMNS": "200", "GOVSITE_LANG": lang}
        return CliRunner(env=env).invoke(app, ["--db", f"sqlite:///{db}", *args])

    missing = run(None, "report", "--run", "999")  # no $GOVSITE_LANG: Chinese
    assert missing.exit_code == 2 and missing.stderr.strip() == "错误: 未找到检查批次999"
    assert run("en", "report", "--run", "999").stderr.strip() == "error: run 999 not found"
    bad = run("zh", "findings", "dismiss", "zz", "--reason", "x")
    assert bad.stderr.strip() == "错误: 问题指纹'zz'：应至少为6位十六进制数字（报告中显示的问题指纹）"
    fp = next(f["fingerprint"] for f in json.loads(run("zh", "report", "--format", "json").stdout)
              ["sites"][0]["findings"] if f["severity"] == "veto")
    done = run(None, "findings", "dismiss", fp, "--reason", "误报", "--until", "2999-01-01")
    assert done.exit_code == 0
    assert done.stderr.startswith(f"已撤销问题{fp}（consultation-channel，http://www.qingshan.gov.cn/）"
                                  "，有效期至2999-01-01；")
