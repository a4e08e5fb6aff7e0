"""Registry import: real CSV/XLSX files in, validated rows and upserted sites out."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from govsite.storage.db import Store, open_store
from govsite.storage.models import Site
from govsite.storage.registry import (
    ImportResult,
    RegistryFileError,
    RegistryRow,
    RowError,
    import_sites,
    normalise_url,
    read_registry,
)

CN_HEADER = "网站名称,首页网址,网站标识码,主办单位,所属地区,网站类型,渲染"
CN_ROWS = [
    "云南省人民政府,www.yn.gov.cn,5300000001,云南省人民政府办公厅,云南省,门户网站,never",
    "昆明市五华区发展和改革局,http://www.wuhua.gov.cn/fgj/,,五华区人民政府,昆明市五华区,部门,",
]


def write_text(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for row_number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(row=row_number, column=column, value=value)
    workbook.save(path)
    return path


def read_ok(path: Path) -> list[RegistryRow]:
    rows, errors = read_registry(path)
    assert errors == []
    return rows


def errors_of(tmp_path: Path, lines: list[str]) -> list[RowError]:
    _rows, errors = read_registry(write_text(tmp_path / "r.csv", ["name,url", *lines]))
    return errors


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return open_store(f"sqlite:///{tmp_path}/t.db")


# ------------------------------------------------------------ encodings


def test_utf8_csv_english_headers(tmp_path: Path) -> None:
    path = write_text(tmp_path / "sites.csv", [
        "Name, URL ,Site Code,Organizer,Region,Kind,Render",
        "Yunnan portal,https://www.yn.gov.cn,5300000001,Office,Yunnan,portal,auto",
    ])
    [row] = read_ok(path)
    assert row == RegistryRow(2, "Yunnan portal", "https://www.yn.gov.cn/", "5300000001",
                              "Office", "Yunnan", "portal", "auto")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_chinese_csv_in_every_encoding(tmp_path: Path, encoding: str) -> None:
    path = write_text(tmp_path / "sites.csv", [CN_HEADER, *CN_ROWS], encoding)
    first, second = read_ok(path)
    assert first.name == "云南省人民政府"
    assert first.organizer == "云南省人民政府办公厅"
    assert first.region == "云南省"
    assert (first.url, first.kind, first.render) == ("http://www.yn.gov.cn/", "portal", "never")
    assert second.name == "昆明市五华区发展和改革局"
    assert second.row_number == 3
    assert (second.site_code, second.kind, second.render) == (None, "department", None)


def test_gb18030_only_characters_decode(tmp_path: Path) -> None:
    name = "𠀾县人民政府"  # outside GBK, inside GB18030
    path = write_text(tmp_path / "s.csv", ["名称,网址", f"{name},www.a.gov.cn"], "gb18030")
    assert read_ok(path)[0].name == name


# ------------------------------------------------------------ delimiters


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_csv(tmp_path: Path, delimiter: str) -> None:
    lines = [delimiter.join(["网站名称", "网址", "地区"]),
             delimiter.join(["某市人民政府", "www.a.gov.cn/a,b", "某市"])]
    [row] = read_ok(write_text(tmp_path / "s.csv", lines))
    assert (row.name, row.url, row.region) == ("某市人民政府", "http://www.a.gov.cn/a,b", "某市")


def test_quoted_comma_in_csv_cell(tmp_path: Path) -> None:
    path = write_text(tmp_path / "s.csv", ["name,url,organizer",
                                           'A,www.a.gov.cn,"Office, General"'])
    assert read_ok(path)[0].organizer == "Office, General"


# ------------------------------------------------------------------ XLSX


def test_xlsx_with_title_row_blank_rows_and_numeric_code(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "sites.xlsx", [
        ["云南省政府网站名单"],                                   # row 1: a title
        ["序号", "网站名称", "网站地址", "标识码", "类型", "备注"],  # row 2: header
        [1, "云南省人民政府", "WWW.YN.GOV.CN", 5300000001, "门户", "x"],
        [None],                                                  # row 4: blank
        [2, "云南省教育厅", "http://jyt.yn.gov.cn", "BM53000001", "部门网站", None],
        [3],                                                     # row 6: serial only
    ])
    first, second = read_ok(path)
    assert (first.row_number, first.name, first.url) == (3, "云南省人民政府", "http://www.yn.gov.cn/")
    assert (first.site_code, first.kind) == ("5300000001", "portal")
    assert (second.row_number, second.site_code, second.kind) == (5, "bm53000001", "department")


def test_xlsx_row_errors_use_sheet_row_numbers(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "s.xlsx", [["name", "url"], ["A", "www.a.gov.cn"], [None],
                                            [None], ["", "www.b.gov.cn"]])
    rows, errors = read_registry(path)
    assert [r.row_number for r in rows] == [2]
    assert errors == [RowError(5, "missing name")]


def test_corrupt_xlsx_raises(tmp_path: Path) -> None:
    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"this is not a spreadsheet")
    with pytest.raises(RegistryFileError, match=r"bad\.xlsx"):
        read_registry(path)


def test_zip_that_is_not_xlsx_raises(tmp_path: Path) -> None:
    path = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(RegistryFileError, match=r"bad\.xlsx"):
        read_registry(path)


def test_truncated_xlsx_raises(tmp_path: Path) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", [["name", "url"], ["A", "www.a.gov.cn"]])
    path = tmp_path / "cut.xlsx"
    path.write_bytes(good.read_bytes()[:300])
    with pytest.raises(RegistryFileError, match=r"cut\.xlsx"):
        read_registry(path)


# ------------------------------------------------------------- file errors


def test_missing_url_column_raises_naming_file_and_column(tmp_path: Path) -> None:
    path = write_text(tmp_path / "名单.csv", ["网站名称,主办单位", "A,B"])
    with pytest.raises(RegistryFileError) as info:
        read_registry(path)
    message = str(info.value)
    assert "名单.csv" in message and "missing required column: url (" in message
    assert "name (" not in message
    assert "\n" not in message


def test_missing_both_columns_names_both(tmp_path: Path) -> None:
    path = write_text(tmp_path / "s.csv", ["foo,bar", "1,2"])
    with pytest.raises(RegistryFileError, match=r"name .*url"):
        read_registry(path)


@pytest.mark.parametrize(("filename", "content"), [
    ("missing.csv", None),
    ("sites.pdf", b"%PDF-1.4"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100),
    ("empty.csv", b""),
    ("blank.csv", b"\r\n , \r\n"),
])
def test_unusable_files_raise_one_line(tmp_path: Path, filename: str,
                                       content: bytes | None) -> None:
    path = tmp_path / filename
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(RegistryFileError) as info:
        read_registry(path)
    assert filename in str(info.value) and "\n" not in str(info.value)


# ------------------------------------------------------------- row errors


@pytest.mark.parametrize(("cells", "reason"), [
    (",www.a.gov.cn", "missing name"),
    ("A,", "missing URL"),
    ("A,ftp://www.a.gov.cn", "is not http(s)"),
    ("A,javascript:void(0)", "is not http(s)"),
    ("A,mailto:web@a.gov.cn", "is not http(s)"),
    ("A,http://", "no valid host"),
    ("A,n/a", "no valid host"),
    ("A,http://www.a.gov.cn/a b", "contains spaces"),
    ("A,www.a.gov.cn\u3000/x", "contains spaces"),
    ("A,http://www.a.gov.cn:99999/", "invalid port"),
    ("A,www.a.gov.cn,123", "malformed site code"),
    ("A,www.a.gov.cn,bm0900001", "malformed site code"),
    ("A,www.a.gov.cn,53000001234", "malformed site code"),
    ("A,www.a.gov.cn,,portals", "unknown kind"),
    ("A,www.a.gov.cn,,,sometimes", "unknown render value"),
])
def test_invalid_row_reports_row_number_and_reason(tmp_path: Path, cells: str,
                                                   reason: str) -> None:
    path = write_text(tmp_path / "r.csv", ["name,url,site_code,kind,render",
                                           "Good,www.good.gov.cn", cells])
    rows, errors = read_registry(path)
    assert [r.name for r in rows] == ["Good"]
    assert len(errors) == 1
    assert errors[0].row_number == 3
    assert reason in errors[0].reason
    assert str(errors[0]).startswith("row 3: ")


def test_every_problem_of_a_row_is_reported(tmp_path: Path) -> None:
    path = write_text(tmp_path / "r.csv", ["name,url,标识码,类型,渲染", ",ftp://x,12,x,y"])
    rows, errors = read_registry(path)
    assert rows == []
    assert [e.row_number for e in errors] == [2] * 5


def test_duplicate_url_names_first_row(tmp_path: Path) -> None:
    errors = errors_of(tmp_path, [
        "A,http://www.a.gov.cn/",
        "B,www.b.gov.cn",
        "C,HTTP://WWW.A.GOV.CN:80",
        "D,www.a.gov.cn",
    ])
    assert [(e.row_number, e.reason) for e in errors] == [
        (4, "duplicate URL http://www.a.gov.cn/ (first in row 2)"),
        (5, "duplicate URL http://www.a.gov.cn/ (first in row 2)"),
    ]


def test_different_scheme_or_path_is_not_duplicate(tmp_path: Path) -> None:
    assert errors_of(tmp_path, ["A,http://a.gov.cn", "B,https://a.gov.cn",
                                "C,http://a.gov.cn/sub/"]) == []


def test_blank_rows_skipped_and_cells_trimmed(tmp_path: Path) -> None:
    path = write_text(tmp_path / "s.csv", [
        "\u3000网站名称\u3000,网址,主办单位",
        "",
        ",,",
        "\u3000 某县人民政府 \u3000, www.x.gov.cn \t,\u3000",
    ])
    [row] = read_ok(path)
    assert (row.row_number, row.name, row.url, row.organizer) == (
        4, "某县人民政府", "http://www.x.gov.cn/", None)


def test_bm_site_code_normalised_to_lower(tmp_path: Path) -> None:
    path = write_text(tmp_path / "s.csv", ["name,url,site code", "A,a.gov.cn,BM09000001"])
    assert read_ok(path)[0].site_code == "bm09000001"


def test_overlong_name_is_a_row_error(tmp_path: Path) -> None:
    errors = errors_of(tmp_path, ["名" * 201 + ",www.a.gov.cn"])
    assert errors == [RowError(2, "name longer than 200 characters")]


# ------------------------------------------------------------ normalise_url


@pytest.mark.parametrize(("raw", "expected"), [
    ("www.xx.gov.cn", "http://www.xx.gov.cn/"),
    ("  www.xx.gov.cn/  ", "http://www.xx.gov.cn/"),
    ("www.xx.gov.cn:8080", "http://www.xx.gov.cn:8080/"),
    ("HTTPS://WWW.XX.GOV.CN:443", "https://www.xx.gov.cn/"),
    ("https://www.xx.gov.cn:8443/A/Index.html?x=1#top",
     "https://www.xx.gov.cn:8443/A/Index.html?x=1"),
    ("http://www.xx.gov.cn:80/path/", "http://www.xx.gov.cn/path/"),
    ("//www.xx.gov.cn", "http://www.xx.gov.cn/"),
    ("http://127.0.0.1:8000", "http://127.0.0.1:8000/"),
    ("http://[::1]:8000/x", "http://[::1]:8000/x"),
    ("http://localhost", "http://localhost/"),
])
def test_normalise_url(raw: str, expected: str) -> None:
    assert normalise_url(raw) == expected


@pytest.mark.parametrize("raw", ["", "ftp://a.gov.cn", "javascript:alert(1)", "mailto:a@b.cn",
                                 "tel:12345", "http:///x", "http://a b.gov.cn", "file:///etc"])
def test_normalise_url_rejects(raw: str) -> None:
    with pytest.raises(ValueError):
        normalise_url(raw)


# ------------------------------------------------------------------ import


def test_import_creates_sites(tmp_path: Path, store: Store) -> None:
    rows = read_ok(write_text(tmp_path / "s.csv", [CN_HEADER, *CN_ROWS], "gbk"))
    with store.sessions.begin() as session:
        assert import_sites(session, rows) == ImportResult(created=2, updated=0)
    with store.sessions() as session:
        site = session.scalars(select(Site).where(Site.url == "http://www.yn.gov.cn/")).one()
        assert (site.name, site.site_code, site.kind, site.render_policy) == (
            "云南省人民政府", "5300000001", "portal", "never")
        assert site.registered is True
        assert site.created_at.tzinfo is None
        assert abs((utcnow() - site.created_at).total_seconds()) < 60


def test_reimport_updates_instead_of_duplicating(tmp_path: Path, store: Store) -> None:
    first = read_ok(write_text(tmp_path / "a.csv", [
        "name,url,region,render", "Old name,www.a.gov.cn,R1,always", "Kept,www.k.gov.cn,,"]))
    with store.sessions.begin() as session:
        import_sites(session, first)
    with store.sessions() as session:
        created_at = session.scalars(select(Site.created_at).where(Site.name == "Old name")).one()
    second = read_ok(write_text(tmp_path / "b.csv", [
        "name,url,region,kind",
        "New name,HTTP://WWW.A.GOV.CN:80/,R2,门户",
        "Fresh,www.f.gov.cn,,",
    ]))
    with store.sessions.begin() as session:
        assert import_sites(session, second) == ImportResult(created=1, updated=1)
    with store.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Site)) == 3
        site = session.scalars(select(Site).where(Site.url == "http://www.a.gov.cn/")).one()
        assert (site.name, site.region, site.kind, site.render_policy) == (
            "New name", "R2", "portal", None)
        assert site.created_at == created_at and site.updated_at >= created_at
        assert session.scalars(select(Site.name).where(Site.url == "http://www.k.gov.cn/")).one()


def test_import_registers_an_adhoc_site(store: Store) -> None:
    now = datetime(2024, 1, 1)
    with store.sessions.begin() as session:
        session.add(Site(name="adhoc", url="http://www.a.gov.cn/", registered=False,
                         created_at=now, updated_at=now))
    with store.sessions.begin() as session:
        result = import_sites(session, [RegistryRow(2, "A", "http://www.a.gov.cn/", None,
                                                    None, None, "department", None)])
    assert result == ImportResult(created=0, updated=1)
    with store.sessions() as session:
        site = session.scalars(select(Site)).one()
        assert site.registered is True and site.name == "A" and site.updated_at > now
