"""New-media accounts in every human-facing format: the terminal tables, CSV, XLSX
and the HTML report list a run's accounts with their verdicts and findings (they
were only in JSON, JUnit and the notice), said in the report's language."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from synthetic import invoke


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Two accounts recorded by an auditor on one day: one failed, one passed."""
    path = tmp_path / "accounts.db"
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("账号名称,平台,账号\n云南国资,微信公众号,yngz-wx\n青山发布,微博,qs-wb\n",
                        encoding="utf-8")
    assert invoke("accounts", "import", str(accounts), db=path).code == 0
    records = tmp_path / "records.csv"
    records.write_text("account,as_of,check,result\n"
                       "yngz-wx,2022-09-05,account-not-updated,fail\n"
                       "qs-wb,2022-09-05,account-not-updated,pass\n", encoding="utf-8")
    recorded = invoke("accounts", "record", str(records), db=path)
    assert recorded.code == 0, recorded.stderr
    return path


def test_csv_lists_the_accounts_findings_and_clean_accounts_after_the_sites(
        db: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    assert invoke("report", "--format", "csv", "-o", str(out), db=db).code == 1
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    head, body = rows[0], rows[1:]
    assert head[0] == "网站名称" and head[-1] == "检查对象"
    by_name = {row[0]: row for row in body}
    failed, passed = by_name["云南国资"], by_name["青山发布"]
    assert failed[-1] == passed[-1] == "政务新媒体"
    assert failed[2] == "微信公众号 yngz-wx" and failed[3] == "不合格"
    assert failed[head.index("检查项")] == "更新不及时"
    assert "检查人员记录为不合格" in failed[head.index("问题描述")]
    assert passed[3] == "合格" and passed[head.index("检查项")] == ""  # listed, no finding


def test_xlsx_has_an_accounts_sheet_and_their_findings(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.xlsx"
    assert invoke("report", "--format", "xlsx", "-o", str(out), db=db).code == 1
    book = load_workbook(out)
    assert book.sheetnames == ["网站", "问题", "政务新媒体"]
    accounts = [[c.value for c in row] for row in book["政务新媒体"].iter_rows()]
    assert accounts[0][:3] == ["账号名称", "平台", "账号"]
    assert sorted((r[0], r[1], r[5]) for r in accounts[1:]) == [
        ("云南国资", "微信公众号", "不合格"), ("青山发布", "微博", "合格")]
    findings = [[c.value for c in row] for row in book["问题"].iter_rows()]
    assert [r[0] for r in findings[1:]] == ["云南国资"]


def test_html_index_and_terminal_table_list_the_accounts(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "html"
    assert invoke("report", "--format", "html", "-o", str(out), db=db).code == 1
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "政务新媒体账号" in index and "共检查2个政务新媒体账号，合格1个。" in index
    section = index[index.index('id="accounts"'):]
    assert "云南国资" in section and "微信公众号" in section and "不合格" in section
    assert "更新不及时：检查人员记录为不合格" in section
    table = invoke("report", db=db)
    assert "微信公众号 yngz-wx" in table.stdout
    assert "更新不及时：检查人员记录为不合格" in table.stdout.replace("\n", "").replace(
        "│", "").replace(" ", "")
