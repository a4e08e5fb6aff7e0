"""Bad accounts and results files, fuzzed (issue 17): never a traceback, always
exit 0 or one clear line with exit 2, and nothing partly imported or recorded.
The same generators as tests/test_fuzz.py's registries, given to the real CLI
in this process."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_fuzz import CELL, FUZZ, ROW, XLSX_CELLS, assert_clean_failure, invoke, xlsx_file

pytestmark = pytest.mark.slow  # hundreds of CLI runs, as tests/test_fuzz.py

ACCOUNTS_HEADER = "账号名称,平台,账号,开办主体,地区,订阅地址\n"
GOOD_ACCOUNT = "青山发布,微信公众号,qs-wx,青山县人民政府,云南省,http://127.0.0.31/wechat/qs\n"
RECORDS_HEADER = "account,platform,as_of,check,result,note,evidence\n"
GOOD_RECORD = "qs-wx,,2022-09-05,account-not-updated,fail,2周内无更新,http://mp.example/1\n"
PLATFORM_CELL = st.one_of(CELL, st.sampled_from(["wechat", "微博", "头条号", "douyin", "其他",
                                                 "快手", ""]))
DATE_CELL = st.one_of(CELL, st.sampled_from(["2022-09-05", "2022/9/5", "2022年9月5日",
                                             "2022-02-30", "2999-01-01", "05/09/2022", ""]))
CHECK_CELL = st.one_of(CELL, st.sampled_from(["account-not-updated", "wording-errors",
                                              "account-interaction", "home-not-updated"]))
RESULT_CELL = st.one_of(CELL, st.sampled_from(["pass", "fail", "合格", "不合格", "maybe"]))


def rows_of(tmp: Path, table: str) -> int:
    db = tmp / "fuzz.db"
    if not db.exists():
        return 0
    with sqlite3.connect(db) as connection:
        try:
            return connection.execute(f"select count(*) from {table}").fetchone()[0]
        except sqlite3.OperationalError:
            return 0


def account_row() -> st.SearchStrategy[str]:
    return st.tuples(CELL, PLATFORM_CELL, CELL, CELL, CELL, CELL).map(",".join)


def record_row() -> st.SearchStrategy[str]:
    return st.tuples(st.one_of(CELL, st.just("qs-wx")), PLATFORM_CELL, DATE_CELL, CHECK_CELL,
                     RESULT_CELL, CELL, CELL).map(",".join)


@FUZZ
@given(rows=st.lists(st.one_of(ROW, account_row()), max_size=6),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "gbk"]), good_first=st.booleans(),
       header=st.booleans())
def test_fuzzed_accounts_files(tmp_path_factory, rows: list[str], encoding: str,
                               good_first: bool, header: bool) -> None:
    tmp = tmp_path_factory.mktemp("accounts")
    text = (ACCOUNTS_HEADER if header else "") + (GOOD_ACCOUNT if good_first else "") \
        + "\n".join(rows)
    path = tmp / "accounts.csv"
    path.write_bytes(text.encode(encoding, errors="replace"))
    code, output = invoke(tmp, "accounts", "import", str(path))
    assert_clean_failure(code, output)
    assert code in (0, 2), output
    if code == 2:
        assert rows_of(tmp, "accounts") == 0, "a refused file imported nothing"


@FUZZ
@given(data=st.binary(max_size=400), prefix=st.sampled_from([b"", b"PK\x03\x04",
                                                            b"\xd0\xcf\x11\xe0", b"\xef\xbb\xbf"]))
def test_fuzzed_bytes_as_accounts_and_records(tmp_path_factory, data: bytes,
                                              prefix: bytes) -> None:
    tmp = tmp_path_factory.mktemp("bytes")
    for command, name in (("import", "a.csv"), ("import", "a.xlsx"), ("record", "r.csv")):
        path = tmp / name
        path.write_bytes(prefix + data)
        code, output = invoke(tmp, "accounts", command, str(path))
        assert_clean_failure(code, output)
        if code == 2:
            assert rows_of(tmp, "accounts") == 0 and rows_of(tmp, "account_records") == 0


def import_one_account(tmp: Path) -> None:
    """The account the fuzzed records name."""
    accounts = tmp / "accounts.csv"
    accounts.write_text(ACCOUNTS_HEADER + GOOD_ACCOUNT, encoding="utf-8")
    assert invoke(tmp, "accounts", "import", str(accounts))[0] == 0


@FUZZ
@given(rows=st.lists(st.one_of(ROW, record_row()), max_size=6),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "gbk"]), good_first=st.booleans())
def test_fuzzed_records_files(tmp_path_factory, rows: list[str], encoding: str,
                              good_first: bool) -> None:
    tmp = tmp_path_factory.mktemp("records")
    import_one_account(tmp)
    text = RECORDS_HEADER + (GOOD_RECORD if good_first else "") + "\n".join(rows)
    path = tmp / "records.csv"
    path.write_bytes(text.encode(encoding, errors="replace"))
    code, output = invoke(tmp, "accounts", "record", str(path))
    assert_clean_failure(code, output)
    assert code in (0, 2), output
    if code == 2:
        assert rows_of(tmp, "account_records") == 0 and rows_of(tmp, "runs") == 0


@FUZZ
@given(cells=XLSX_CELLS)
def test_fuzzed_xlsx_records(tmp_path_factory, cells: list[list[object]]) -> None:
    tmp = tmp_path_factory.mktemp("xlsx")
    import_one_account(tmp)
    path = xlsx_file(tmp / "records.xlsx", RECORDS_HEADER, cells)
    code, output = invoke(tmp, "accounts", "record", str(path))
    assert_clean_failure(code, output)
    if code == 2:
        assert rows_of(tmp, "account_records") == 0
