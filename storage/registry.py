"""The site registry: read the list of websites from CSV/XLSX and upsert it.

Registries come from officials' spreadsheets, so reading is forgiving about
form (encodings, delimiters, Chinese headers, stray spaces, bare host names)
and strict about content: every bad row is reported with the row number the
user sees in Excel, so the file can be fixed before anything is imported.
Reading never touches the database; `import_sites` is a separate step so the
caller decides whether bad rows block the import.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from govsite.i18n import Message, msg

from .models import Site

KINDS = ("portal", "department")
RENDER_POLICIES = ("never", "auto", "always")

# Header aliases, compared after `_header_key` (lower-case, no spaces/_/-/*).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("name", "sitename", "网站名称", "名称"),
    "url": ("url", "siteurl", "homepage", "网址", "首页网址", "网站地址"),
    "site_code": ("sitecode", "网站标识码", "标识码"),
    "organizer": ("organizer", "主办单位"),
    "region": ("region", "地区", "所属地区", "行政区划"),
    "kind": ("kind", "type", "类型", "网站类型"),
    "render": ("render", "renderpolicy", "渲染"),
    "contact_email": ("contactemail", "email", "联系邮箱", "电子邮箱", "邮箱",
                      "联系人邮箱"),
}
REQUIRED_FIELDS = ("name", "url")

KIND_ALIASES = {
    "portal": "portal",
    "门户": "portal",
    "门户网站": "portal",
    "政府门户网站": "portal",
    "department": "department",
    "部门": "department",
    "部门网站": "department",
}

# Column widths of the `sites` table: checked here so PostgreSQL never
# rejects an import half-way through.
MAX_LENGTHS = {"name": 200, "url": 500, "organizer": 200, "region": 100, "contact_email": 200}
# One address, as a person types it: local@domain.tld (no display name, no list).
EMAIL_RE = re.compile(r"[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+")

SITE_CODE_RE = re.compile(r"\d{10}|bm\d{8}")
# "mailto:", "javascript:" ... but not "host:8080" (a bare host with a port).
OTHER_SCHEME_RE = re.compile(r"[a-z][a-z0-9+.-]*:(?!\d)", re.IGNORECASE)
HEADER_JUNK_RE = re.compile(r"[\s_\-*＊]+")
EDGE_JUNK = " \t\r\n\u3000\xa0\ufeff\u200b"
HEADER_SEARCH_ROWS = 10  # a title row or two may sit above the header
DEFAULT_PORTS = {"http": 80, "https": 443}
CSV_DELIMITERS = (",", ";", "\t")


class RegistryFileError(Exception):
    """The registry file as a whole cannot be used; one line for the user."""


@dataclass
class RegistryRow:
    """One valid registry row, values cleaned and URL normalised."""

    row_number: int
    name: str
    url: str
    site_code: str | None = None
    organizer: str | None = None
    region: str | None = None
    kind: str = "department"
    render: str | None = None
    contact_email: str | None = None  # who `govsite notify` writes to


@dataclass
class RowError:
    """One problem with one row; a row may have several."""

    row_number: int
    reason: str

    def __str__(self) -> str:
        return str(self.said())

    def said(self) -> Message:
        """The problem as a catalogued message (its reason too, when catalogued)."""
        return msg("row {row}: {reason}", row=self.row_number, reason=self.reason)


@dataclass
class ImportResult:
    """How many sites an import added and how many it refreshed."""

    created: int = 0
    updated: int = 0


# --------------------------------------------------------------------- URLs


def normalise_url(raw: str) -> str:
    """Canonical form of a site URL, so one site is one row whatever was typed.

    Accepts bare hosts (``www.x.gov.cn`` → ``http://www.x.gov.cn/``); lower-cases
    scheme and host, drops default ports and the fragment, gives an empty path
    ``/``. Raises ValueError with a user-facing reason when the URL is unusable.
    """
    text = raw.strip(EDGE_JUNK)
    if not text:
        raise ValueError(msg("missing URL"))
    if any(ch.isspace() for ch in text):
        raise ValueError(msg("URL {url} contains spaces", url=repr(text)))
    if text.startswith("//"):
        text = "http:" + text
    elif "://" not in text:
        if OTHER_SCHEME_RE.match(text):
            raise ValueError(msg("URL {url} is not http(s)", url=repr(text)))
        text = "http://" + text
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise ValueError(msg("URL {url} is not http(s)", url=repr(text)))
    host = (parts.hostname or "").lower()
    if not _plausible_host(host):
        raise ValueError(msg("URL {url} has no valid host", url=repr(text)))
    try:
        port = parts.port
    except ValueError:
        raise ValueError(msg("URL {url} has an invalid port", url=repr(text))) from None
    return urlunsplit((scheme, _netloc(parts.netloc, host, scheme, port),
                       parts.path or "/", parts.query, ""))


def _plausible_host(host: str) -> bool:
    """A dotted name, an IP literal or localhost: rejects 'n/a' read as a host."""
    if host.startswith("[") or ":" in host:  # IPv6 literal
        return True
    if host == "localhost":
        return True
    labels = host.split(".")
    return len(labels) > 1 and all(labels) and not any(ch in host for ch in "\\<>\"'{}|^`,")


def _netloc(netloc: str, host: str, scheme: str, port: int | None) -> str:
    userinfo = netloc.rpartition("@")[0]
    if ":" in host:  # urlsplit strips IPv6 brackets
        host = f"[{host}]"
    result = f"{userinfo}@{host}" if userinfo else host
    if port is not None and port != DEFAULT_PORTS[scheme]:
        result += f":{port}"
    return result


# ------------------------------------------------------------ reading files


def read_registry(path: Path) -> tuple[list[RegistryRow], list[RowError]]:
    """Read and validate a CSV or XLSX registry; bad rows come back as errors.

    Raises RegistryFileError when the file itself is unusable (unreadable,
    wrong format, no name/URL column).
    """
    rows: list[RegistryRow] = []
    errors: list[RowError] = []
    first_seen: dict[str, int] = {}
    for row_number, values in read_rows(path, HEADER_ALIASES, REQUIRED_FIELDS):
        row, row_errors = _validate(row_number, values, first_seen)
        errors.extend(row_errors)
        if row is not None:
            rows.append(row)
    return rows, errors


def read_rows(path: Path, aliases: dict[str, tuple[str, ...]], required: Sequence[str]
              ) -> Iterator[tuple[int, dict[str, str]]]:
    """(spreadsheet row number, field → cell) of every non-blank row under the
    header, for any registry-like file (sites, accounts, auditors' records):
    one reader, so every such file accepts the same encodings and layouts.
    Raises RegistryFileError when the file is unusable or lacks a required column.
    """
    path = Path(path)
    table = list(_read_table(path))
    header_at, columns = _find_header(path, table, aliases, required)
    for row_number, cells in table:
        if row_number <= header_at:
            continue
        values = _pick(columns, cells)
        if any(values.values()):  # else blank, or only a pre-filled serial number
            yield row_number, values


def _read_table(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(spreadsheet row number, trimmed cells) for every row, blanks included."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise RegistryFileError(msg("{path}: cannot read: {error}", path=str(path),
                                    error=str(exc.strerror or exc))) from None
    suffix = path.suffix.lower()
    if head.startswith(b"PK\x03\x04"):
        return _read_xlsx(path)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise RegistryFileError(msg("{path}: old Excel .xls format; save it as .xlsx or CSV",
                                    path=str(path)))
    if suffix in (".xlsx", ".xlsm"):
        raise RegistryFileError(msg("{path}: not a valid XLSX file (corrupt or not Excel)",
                                    path=str(path)))
    if suffix in (".csv", ".tsv", ".txt"):
        return _read_csv(path)
    raise RegistryFileError(msg("{path}: not a CSV or XLSX file", path=str(path)))


def _read_xlsx(path: Path) -> Iterator[tuple[int, list[str]]]:
    """Rows of the first sheet; openpyxl pads skipped rows, so numbering holds."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # BadZipFile, KeyError, InvalidFileException (a .csv name) …
        raise RegistryFileError(msg("{path}: not a valid XLSX file ({error})", path=str(path),
                                    error=_one_line(exc))) from None
    try:
        sheet = workbook.worksheets[0]
        raw_rows = list(sheet.iter_rows(values_only=True))
    except Exception as exc:  # openpyxl raises many types on damaged parts
        raise RegistryFileError(msg("{path}: not a valid XLSX file ({error})", path=str(path),
                                    error=_one_line(exc))) from None
    finally:
        workbook.close()
    return ((n, [_cell_text(v) for v in r]) for n, r in enumerate(raw_rows, start=1))


def _read_csv(path: Path) -> Iterator[tuple[int, list[str]]]:
    """Rows of a CSV in UTF-8 (BOM or not), UTF-16 or GBK/GB18030."""
    text = _decode(path, path.read_bytes())
    if "\x00" in text:
        raise RegistryFileError(msg("{path}: binary data, not a CSV file", path=str(path)))
    delimiter = _sniff_delimiter(text)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise RegistryFileError(msg("{path}: CSV not readable: {error}", path=str(path),
                                    error=_one_line(exc))) from None
    # One record is one spreadsheet row, blank lines included (they yield []).
    return ((n, [_cell_text(v) for v in r]) for n, r in enumerate(records, start=1))


def _decode(path: Path, data: bytes) -> str:
    """UTF-8 first (strict, BOM allowed); Excel's UTF-16; else GB18030 (⊃ GBK)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RegistryFileError(msg("{path}: text encoding not recognised (want UTF-8 or GBK)",
                                path=str(path)))


def _sniff_delimiter(text: str) -> str:
    """The delimiter used most on the first non-blank line (outside quotes)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    unquoted = re.sub(r'"[^"]*"', "", first)
    counts = {d: unquoted.count(d) for d in CSV_DELIMITERS}
    best = max(CSV_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _cell_text(value: Any) -> str:
    """A cell as trimmed text: Excel numbers without '.0', dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, datetime | date):
        value = value.isoformat()
    return str(value).strip(EDGE_JUNK)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


# ------------------------------------------------------------------ header


def _header_key(text: str) -> str:
    return HEADER_JUNK_RE.sub("", text).lower()


def _map_header(cells: Sequence[str], aliases: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """field → column index; the first column wins when two name the same field."""
    by_alias = {alias: field for field, names in aliases.items() for alias in names}
    columns: dict[str, int] = {}
    for index, cell in enumerate(cells):
        field = by_alias.get(_header_key(cell))
        if field is not None:
            columns.setdefault(field, index)
    return columns


def _find_header(path: Path, table: list[tuple[int, list[str]]],
                 aliases: dict[str, tuple[str, ...]], required: Sequence[str]
                 ) -> tuple[int, dict[str, int]]:
    """The header row: the first of the top few non-blank rows naming every required field."""
    candidates = [(n, cells) for n, cells in table if any(cells)][:HEADER_SEARCH_ROWS]
    if not candidates:
        raise RegistryFileError(msg("{path}: empty file, no header row", path=str(path)))
    for row_number, cells in candidates:
        columns = _map_header(cells, aliases)
        if all(field in columns for field in required):
            return row_number, columns
    row_number, cells = candidates[0]
    found = _map_header(cells, aliases)
    missing = [f for f in required if f not in found]
    wanted = "; ".join(f"{f} ({' / '.join(aliases[f])})" for f in missing)
    raise RegistryFileError(msg("{path}: missing required column: {wanted}", path=str(path),
                                wanted=wanted))


def _pick(columns: dict[str, int], cells: list[str]) -> dict[str, str]:
    return {f: cells[i] if i < len(cells) else "" for f, i in columns.items()}


# -------------------------------------------------------------- validation


def _validate(
    row_number: int, values: dict[str, str], first_seen: dict[str, int]
) -> tuple[RegistryRow | None, list[RowError]]:
    """Check every field of one row, collecting all its problems at once."""
    reasons: list[str] = []
    name = values.get("name", "")
    if not name:
        reasons.append(msg("missing name"))
    url = _check_url(values.get("url", ""), row_number, first_seen, reasons)
    site_code = _check_site_code(values.get("site_code", ""), reasons)
    kind = _check_kind(values.get("kind", ""), reasons)
    render = _check_render(values.get("render", ""), reasons)
    email = values.get("contact_email", "")
    if email and not EMAIL_RE.fullmatch(email):
        reasons.append(msg("malformed contact e-mail {email} (want one address, name@host)",
                           email=repr(email)))
    for field, limit in MAX_LENGTHS.items():
        value = url if field == "url" else values.get(field, "")
        if value and len(value) > limit:
            reasons.append(msg("{field} longer than {limit} characters", field=field,
                               limit=limit))
    if reasons:
        return None, [RowError(row_number, reason) for reason in reasons]
    assert url is not None and kind is not None
    row = RegistryRow(row_number, name, url, site_code, values.get("organizer") or None,
                      values.get("region") or None, kind, render, email or None)
    return row, []


def _check_url(
    raw: str, row_number: int, first_seen: dict[str, int], reasons: list[str]
) -> str | None:
    try:
        url = normalise_url(raw)
    except ValueError as exc:
        reasons.append(exc.args[0] if exc.args else str(exc))  # a Message, said later
        return None
    if url in first_seen:
        reasons.append(msg("duplicate URL {url} (first in row {row})", url=url,
                           row=first_seen[url]))
        return None
    first_seen[url] = row_number
    return url


def _check_site_code(raw: str, reasons: list[str]) -> str | None:
    """6-digit region code + 4 digits, or bm + 8 digits (department sites)."""
    if not raw:
        return None
    code = raw.lower()
    if not SITE_CODE_RE.fullmatch(code):
        reasons.append(msg("malformed site code {code} (want 10 digits, or bm + 8 digits)",
                           code=repr(raw)))
        return None
    return code


def _check_kind(raw: str, reasons: list[str]) -> str | None:
    if not raw:
        return "department"
    kind = KIND_ALIASES.get(raw.lower())
    if kind is None:
        reasons.append(msg("unknown kind {kind} (want portal/门户 or department/部门)",
                           kind=repr(raw)))
    return kind


def _check_render(raw: str, reasons: list[str]) -> str | None:
    if not raw:
        return None
    if raw.lower() not in RENDER_POLICIES:
        reasons.append(msg("unknown render value {value} (want {choices})", value=repr(raw),
                           choices=", ".join(RENDER_POLICIES)))
        return None
    return raw.lower()


# ------------------------------------------------------------------ import


def import_sites(session: Session, rows: Iterable[RegistryRow]) -> ImportResult:
    """Upsert rows by URL; sites missing from the file are kept, never deleted.

    Flushes but does not commit: the caller owns the transaction, so a failed
    import leaves nothing half-written.
    """
    rows = list(rows)
    existing = _sites_by_url(session, {row.url for row in rows})
    now = datetime.now(UTC).replace(tzinfo=None)
    result = ImportResult()
    for row in rows:
        site = existing.get(row.url)
        if site is None:
            site = Site(url=row.url, created_at=now)
            session.add(site)
            existing[row.url] = site
            result.created += 1
        else:
            result.updated += 1
        _apply(site, row, now)
    session.flush()
    return result


def _sites_by_url(session: Session, urls: set[str], chunk: int = 500) -> dict[str, Site]:
    """Existing sites for these URLs, queried in chunks to stay under bind limits."""
    ordered = sorted(urls)
    found: dict[str, Site] = {}
    for start in range(0, len(ordered), chunk):
        batch = ordered[start:start + chunk]
        for site in session.scalars(select(Site).where(Site.url.in_(batch))):
            found[site.url] = site
    return found


def _apply(site: Site, row: RegistryRow, now: datetime) -> None:
    site.name = row.name
    site.site_code = row.site_code
    site.organizer = row.organizer
    site.region = row.region
    site.kind = row.kind
    site.render_policy = row.render
    site.contact_email = row.contact_email
    site.registered = True
    site.updated_at = now
