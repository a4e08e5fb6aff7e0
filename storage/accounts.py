"""The new-media registry: government accounts (政务新媒体) from CSV/XLSX.

Read with the site registry's reader (storage/registry.read_rows: the same
encodings, layouts, header search and row numbers) and reported with its
RowError, so an office's two spreadsheets behave alike: every bad row named
with its row number, nothing imported while one is bad. One account is one
(platform, account id); re-importing updates it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from govsite.i18n import msg
from govsite.storage.models import Account
from govsite.storage.recorder import utcnow
from govsite.storage.registry import ImportResult, RowError, normalise_url, read_rows

PLATFORMS = ("wechat", "weibo", "toutiao", "douyin", "other")
PLATFORM_ALIASES = {
    **{p: p for p in PLATFORMS},
    "weixin": "wechat", "微信": "wechat", "微信公众号": "wechat", "公众号": "wechat",
    "政务微信": "wechat", "微博": "weibo", "新浪微博": "weibo", "政务微博": "weibo",
    "头条": "toutiao", "今日头条": "toutiao", "头条号": "toutiao", "政务头条号": "toutiao",
    "抖音": "douyin", "抖音号": "douyin", "政务抖音号": "douyin", "其他": "other", "其它": "other",
}
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("name", "accountname", "账号名称", "新媒体名称", "名称"),
    "platform": ("platform", "平台", "平台类型", "类型"),
    "account_id": ("accountid", "account", "账号", "账号id", "微信号", "原始id"),
    "organizer": ("organizer", "主办单位", "开办主体"),
    "region": ("region", "地区", "所属地区", "行政区划"),
    "feed_url": ("feedurl", "feed", "rss", "rssurl", "订阅地址"),
}
REQUIRED_FIELDS = ("name", "platform", "account_id")
# Column widths of the `accounts` table, checked before anything is written.
MAX_LENGTHS = {"name": 200, "account_id": 200, "organizer": 200, "region": 100, "feed_url": 500}


@dataclass
class AccountRow:
    """One valid account row, values cleaned."""

    row_number: int
    name: str
    platform: str
    account_id: str
    organizer: str | None = None
    region: str | None = None
    feed_url: str | None = None


def platform_of(raw: str) -> str | None:
    """The platform a cell names (wechat, 微信公众号 …), or None."""
    return PLATFORM_ALIASES.get(raw.strip().lower())


def read_accounts(path: Path) -> tuple[list[AccountRow], list[RowError]]:
    """Read and validate an accounts file; bad rows come back as errors.
    RegistryFileError when the file itself is unusable."""
    rows: list[AccountRow] = []
    errors: list[RowError] = []
    first_seen: dict[tuple[str, str], int] = {}
    for row_number, values in read_rows(path, HEADER_ALIASES, REQUIRED_FIELDS):
        reasons = _problems(values)
        platform = platform_of(values.get("platform", ""))
        key = (platform or "", values.get("account_id", ""))
        if platform and key[1]:
            if key in first_seen:
                reasons.append(msg("duplicate account {platform} {account} (first in row {row})",
                                   platform=platform, account=repr(key[1]),
                                   row=first_seen[key]))
            else:
                first_seen[key] = row_number
        feed = None
        if values.get("feed_url"):
            try:
                feed = normalise_url(values["feed_url"])
            except ValueError as exc:
                reasons.append(msg("feed {problem}", problem=exc.args[0] if exc.args else str(exc)))
        if reasons:
            errors += [RowError(row_number, reason) for reason in reasons]
            continue
        assert platform is not None
        rows.append(AccountRow(row_number, values["name"], platform, values["account_id"],
                               values.get("organizer") or None, values.get("region") or None,
                               feed))
    return rows, errors


def _problems(values: dict[str, str]) -> list[str]:
    reasons = []
    if not values.get("name"):
        reasons.append(msg("missing name"))
    if not values.get("account_id"):
        reasons.append(msg("missing account id"))
    raw = values.get("platform", "")
    if not raw:
        reasons.append(msg("missing platform (want {choices})", choices=", ".join(PLATFORMS)))
    elif platform_of(raw) is None:
        reasons.append(msg("unknown platform {platform} (want {choices})", platform=repr(raw),
                           choices=", ".join(PLATFORMS)))
    for field, limit in MAX_LENGTHS.items():
        if len(values.get(field, "")) > limit:
            reasons.append(msg("{field} longer than {limit} characters", field=field,
                               limit=limit))
    return reasons


def import_accounts(session: Session, rows: Iterable[AccountRow]) -> ImportResult:
    """Upsert by (platform, account id); accounts missing from the file are kept.
    Flushes, never commits: the caller's transaction makes it all or nothing."""
    existing = {(a.platform, a.account_id): a for a in session.scalars(select(Account))}
    now = utcnow()
    result = ImportResult()
    for row in rows:
        account = existing.get((row.platform, row.account_id))
        if account is None:
            account = Account(platform=row.platform, account_id=row.account_id, created_at=now)
            session.add(account)
            existing[(row.platform, row.account_id)] = account
            result.created += 1
        else:
            result.updated += 1
        account.name, account.organizer, account.region = row.name, row.organizer, row.region
        account.feed_url = row.feed_url
        account.updated_at = now
    session.flush()
    return result


def all_accounts(session: Session) -> list[Account]:
    """Every registered account, by platform then name."""
    order = {p: i for i, p in enumerate(PLATFORMS)}
    accounts = list(session.scalars(select(Account)))
    return sorted(accounts, key=lambda a: (order.get(a.platform, len(order)), a.name, a.id))
