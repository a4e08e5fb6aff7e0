"""Load and validate `config.yaml`.

Every tunable the product uses is declared here once, with its type and
bounds, so a typo fails at start-up with one line naming the key instead of
silently falling back to a default in the middle of a monthly run.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

DEFAULT_CONFIG_PATH = Path(__file__).with_name("config.yaml")

RenderPolicy = Literal["never", "auto", "always"]


class ConfigError(Exception):
    """A config file that cannot be used; the message is one line for the user."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StorageConfig(_Strict):
    url: str = "sqlite:///govsite.db"
    evidence_dir: str = "govsite-evidence"
    write_batch: int = Field(200, ge=1, le=100_000)


class CrawlConfig(_Strict):
    user_agent: str = Field("govsite/0.1", min_length=1)
    max_pages_per_site: int = Field(2000, ge=1)
    max_depth: int = Field(6, ge=0, le=100)
    max_response_bytes: int = Field(5 * 1024 * 1024, ge=1024)
    download_timeout_s: float = Field(20, gt=0)
    retries: int = Field(2, ge=0, le=10)
    max_url_length: int = Field(512, ge=32)
    max_query_variants_per_path: int = Field(50, ge=1)
    max_repeated_path_segment: int = Field(3, ge=1)
    concurrent_requests: int = Field(32, ge=1, le=1000)
    concurrent_per_host: int = Field(2, ge=1, le=64)
    download_delay_s: float = Field(0.25, ge=0)
    autothrottle: bool = True
    autothrottle_target_concurrency: float = Field(2.0, gt=0)
    autothrottle_max_delay_s: float = Field(10.0, gt=0)
    robots_obey: bool = True
    max_offsite_fetches_per_site: int = Field(300, ge=0)
    skip_extensions: list[str] = Field(default_factory=list)
    analysis_workers: int | Literal["auto"] = "auto"
    analysis_timeout_s: float = Field(60, gt=0)

    @field_validator("analysis_workers", mode="before")
    @classmethod
    def _workers(cls, value: Any) -> int | str:
        """One clear message for every bad value (a union would name its parts)."""
        if value == "auto" or (isinstance(value, int) and not isinstance(value, bool)
                               and 0 <= value <= 64):
            return value
        raise ValueError("expected auto or a number of analysis workers from 0 to 64")


class RenderConfig(_Strict):
    policy: RenderPolicy = "auto"
    # auto: a page whose static HTML already lists this many dated items is
    # not re-fetched in the browser, whatever its scripts do.
    auto_min_items: int = Field(3, ge=1)
    # Browser renders per site (each is one extra page load): a bound like
    # crawl.max_pages_per_site; pages past it are recorded as not rendered.
    max_pages_per_site: int = Field(500, ge=0)


class BrowserConfig(_Strict):
    executable_path: str = ""
    # false: only executable_path and $GOVSITE_CHROMIUM are tried (no PATH,
    # no Playwright-managed browser).
    search_system: bool = True
    navigation_timeout_s: float = Field(20, gt=0)
    # After DOMContentLoaded: wait until no request has been in flight for
    # settle_quiet_ms, at most settle_timeout_s; then loading is stopped.
    settle_timeout_s: float = Field(5, gt=0, le=120)
    settle_quiet_ms: int = Field(300, ge=0, le=10_000)
    max_open_pages: int = Field(4, ge=1, le=64)
    viewport_width: int = Field(1366, ge=320, le=4096)
    viewport_height: int = Field(768, ge=240, le=4096)
    screenshot_max_height_px: int = Field(4000, ge=200)
    max_screenshots_per_site: int = Field(200, ge=0)


class CalendarConfig(_Strict):
    first_year: int = Field(2004, ge=1990, le=2100)
    last_year: int = Field(2026, ge=1990, le=2100)


class DeductionRule(_Strict):
    points: float = Field(ge=0)
    cap: float = Field(ge=0)


class ScoringConfig(_Strict):
    base_score: float = Field(100, gt=0)
    pass_score: float = Field(60, ge=0)
    portal_bonus_enabled: bool = False
    portal_bonus_max: float = Field(30, ge=0)
    portal_bonus_min_score: float = Field(80, ge=0)
    default_deduction: DeductionRule = DeductionRule(points=1, cap=5)
    deductions: dict[str, DeductionRule] = Field(default_factory=dict)


class NoticeConfig(_Strict):
    issuer: str = ""
    scope: str = ""
    example_sites: int = Field(3, ge=1, le=20)


class Config(_Strict):
    storage: StorageConfig = StorageConfig()
    crawl: CrawlConfig = CrawlConfig()
    render: RenderConfig = RenderConfig()
    browser: BrowserConfig = BrowserConfig()
    calendar: CalendarConfig = CalendarConfig()
    # Per-check blocks are validated against each check's own settings model
    # (see checks.registry) once the checks are loaded.
    checks: dict[str, dict[str, Any]] = Field(default_factory=dict)
    scoring: ScoringConfig = ScoringConfig()
    notice: NoticeConfig = NoticeConfig()

    # Where the file came from, for messages; not part of the YAML.
    source: str = Field("<defaults>", exclude=True)

    def fingerprint(self) -> str:
        """A short stable hash, stored with each run so results name their rules."""
        payload = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()[:16]


def describe_error(source: str, error: ValidationError) -> str:
    """Turn pydantic's first error into one line: file, dotted key, expectation."""
    first = error.errors()[0]
    key = ".".join(str(part) for part in first["loc"]) or "(top level)"
    if first["type"] == "extra_forbidden":
        return f"{source}: {key}: unknown key"
    got = first.get("input")
    got_text = "" if isinstance(got, dict) else f" (got {got!r})"
    message = first["msg"].removeprefix("Value error, ")  # a validator's own words
    return f"{source}: {key}: {message[:1].lower()}{message[1:]}{got_text}"


def load_config(path: str | Path | None = None) -> Config:
    """Read, parse and validate a config file; raise ConfigError with one line."""
    config_path = Path(path) if path else DEFAULT_CONFIG_PATH
    source = str(config_path)
    try:
        text = config_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{source}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{source}: cannot read: {exc}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ConfigError(f"{source}:{where}: {problem}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: expected a mapping of sections at the top level")
    try:
        config = Config.model_validate({**data, "source": source})
    except ValidationError as exc:
        raise ConfigError(describe_error(source, exc)) from None
    if config.calendar.first_year > config.calendar.last_year:
        raise ConfigError(f"{source}: calendar.first_year: must not be after calendar.last_year")
    return config
