"""Load and validate the configuration: the bundled `config.yaml` is the one
source of defaults; a user's file, $GOVSITE_DB and --db are laid over it.

Every tunable is declared here once, with its type and bounds but no default
(the bundled file holds them all, with their sources), so a typo fails at
start-up with one line naming the key, and a partial user file changes only
the keys it names.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from govsite.i18n import Message, msg, placeholders

DEFAULT_CONFIG_PATH = Path(__file__).with_name("config.yaml")

RenderPolicy = Literal["never", "auto", "always"]


class ConfigError(Exception):
    """A config file that cannot be used; the message is one line for the user."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StorageConfig(_Strict):
    url: str
    evidence_dir: str
    write_batch: int = Field(..., ge=1, le=100_000)
    write_interval_s: float = Field(..., gt=0, le=3600)
    busy_timeout_s: float = Field(..., ge=0, le=3600)


class CrawlConfig(_Strict):
    user_agent: str = Field(..., min_length=1)
    max_pages_per_site: int = Field(..., ge=1)
    max_depth: int = Field(..., ge=0, le=100)
    max_response_bytes: int = Field(..., ge=1024)
    download_timeout_s: float = Field(..., gt=0)
    retries: int = Field(..., ge=0, le=10)
    rate_limit_retries: int = Field(..., ge=0, le=20)
    max_retry_after_s: float = Field(..., ge=0, le=3600)
    max_url_length: int = Field(..., ge=32)
    max_query_variants_per_path: int = Field(..., ge=1)
    max_repeated_path_segment: int = Field(..., ge=1)
    concurrent_requests: int = Field(..., ge=1, le=1000)
    concurrent_per_host: int = Field(..., ge=1, le=64)
    download_delay_s: float = Field(..., ge=0)
    autothrottle: bool
    autothrottle_target_concurrency: float = Field(..., gt=0)
    autothrottle_max_delay_s: float = Field(..., gt=0)
    robots_obey: bool
    max_offsite_fetches_per_site: int = Field(..., ge=0)
    skip_extensions: list[str] = Field(...)
    analysis_workers: int | Literal["auto"]
    analysis_timeout_s: float = Field(..., gt=0)
    journal_responses: bool
    memory_ceiling_mb: int = Field(..., ge=0)
    memory_render_stop: float = Field(..., gt=0, le=1)
    memory_check_interval_s: float = Field(..., gt=0, le=60)

    @field_validator("analysis_workers", mode="before")
    @classmethod
    def _workers(cls, value: Any) -> int | str:
        """One clear message for every bad value (a union would name its parts)."""
        if value == "auto" or (isinstance(value, int) and not isinstance(value, bool)
                               and 0 <= value <= 64):
            return value
        raise ValueError(msg("expected auto or a number of analysis workers from 0 to 64"))


class RenderConfig(_Strict):
    policy: RenderPolicy
    # auto: a page whose static HTML already lists this many dated items is
    # not re-fetched in the browser, whatever its scripts do.
    auto_min_items: int = Field(..., ge=1)
    # Browser renders per site (each is one extra page load): a bound like
    # crawl.max_pages_per_site; pages past it are recorded as not rendered.
    max_pages_per_site: int = Field(..., ge=0)


class BrowserConfig(_Strict):
    executable_path: str
    # false: only executable_path and $GOVSITE_CHROMIUM are tried (no PATH,
    # no Playwright-managed browser).
    search_system: bool
    navigation_timeout_s: float = Field(..., gt=0)
    # After DOMContentLoaded: wait until no request has been in flight for
    # settle_quiet_ms, at most settle_timeout_s; then loading is stopped.
    settle_timeout_s: float = Field(..., gt=0, le=120)
    settle_quiet_ms: int = Field(..., ge=0, le=10_000)
    # Script-driven pagination: "加载更多" and page buttons clicked per render.
    max_expansions: int = Field(..., ge=0, le=100)
    max_open_pages: int = Field(..., ge=1, le=64)
    viewport_width: int = Field(..., ge=320, le=4096)
    viewport_height: int = Field(..., ge=240, le=4096)
    screenshot_max_height_px: int = Field(..., ge=200)
    max_screenshots_per_site: int = Field(..., ge=0)


class CalendarConfig(_Strict):
    first_year: int = Field(..., ge=1990, le=2100)
    last_year: int = Field(..., ge=1990, le=2100)


class DeductionRule(_Strict):
    points: float = Field(..., ge=0)
    cap: float = Field(..., ge=0)


class ScoringConfig(_Strict):
    base_score: float = Field(..., gt=0)
    pass_score: float = Field(..., ge=0)
    portal_bonus_enabled: bool
    portal_bonus_max: float = Field(..., ge=0)
    portal_bonus_min_score: float = Field(..., ge=0)
    default_deduction: DeductionRule
    deductions: dict[str, DeductionRule] = Field(...)
    place_points: dict[str, dict[str, float]] = Field(...)


class NoticeConfig(_Strict):
    issuer: str
    scope: str
    example_sites: int = Field(..., ge=1, le=20)


class AccountsConfig(_Strict):
    """Government new-media accounts: their feeds and their checks' blocks
    (validated against each account check's settings, checks/account_base.py)."""

    max_posts: int = Field(..., ge=1, le=10_000)
    checks: dict[str, dict[str, Any]]


class DistributedConfig(_Strict):
    """Several crawl workers sharing a run's sites through Redis (crawler/sitequeue.py)."""

    active_sites: int = Field(..., ge=1, le=100_000)
    lease_s: int = Field(..., ge=5, le=86_400)


class NotifyConfig(_Strict):
    """Rectification e-mails (`govsite notify`): the SMTP server and the deadline."""

    smtp_host: str  # empty: not configured (notify refuses, --dry-run still works)
    smtp_port: int = Field(..., ge=1, le=65535)
    smtp_starttls: bool
    smtp_ca_bundle: str  # "" = the system's trust store
    smtp_user: str  # empty: no login
    smtp_password_env: str = Field(..., min_length=1)  # the variable holding the password
    smtp_timeout_s: float = Field(..., gt=0, le=600)
    sender: str = Field(..., min_length=3)
    rectify_days: int = Field(..., ge=1, le=365)


class Config(_Strict):
    storage: StorageConfig
    crawl: CrawlConfig
    render: RenderConfig
    browser: BrowserConfig
    calendar: CalendarConfig
    # Per-check blocks are validated against each check's own settings model
    # (see checks.registry) once the checks are loaded.
    checks: dict[str, dict[str, Any]]
    scoring: ScoringConfig
    notice: NoticeConfig
    new_media: AccountsConfig
    notify: NotifyConfig
    distributed: DistributedConfig

    # Where the file came from, for messages; not part of the YAML.
    source: str = Field("<defaults>", exclude=True)
    # Dotted key -> where its value came from when not the bundled default.
    _origins: dict[str, str] = PrivateAttr(default_factory=dict)

    def origin(self, dotted: str) -> str:
        """"default", "file" (the --config file: `source`), or the environment
        variable or option that set the key."""
        return origin_of(self._origins, dotted)

    def fingerprint(self) -> str:
        """A short stable hash, stored with each run so results name their rules."""
        payload = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()[:16]


def describe_error(source: str, error: ValidationError, prefix: str = "",
                   model: type[BaseModel] | None = None) -> Message:
    """Turn pydantic's first error into one catalogued line: file, dotted key (after
    `prefix`, the block it is in), expectation; an unknown key names the nearest
    known one of `model` (a typo)."""
    first = error.errors()[0]
    key = prefix + ".".join(str(part) for part in first["loc"]) or "(top level)"
    if first["type"] == "extra_forbidden":
        near = nearest_key(model, first["loc"]) if model else None
        if near:
            return msg("{source}: {key}: unknown key (did you mean {near}?)", source=source,
                       key=key, near=near)
        return msg("{source}: {key}: unknown key", source=source, key=key)
    got = first.get("input")
    got_text = "" if isinstance(got, dict) else msg(" (got {value})", value=repr(got))
    return msg("{source}: {key}: {problem}{got}", source=source, key=key,
               problem=expectation(first), got=got_text)


def expectation(error: Mapping[str, Any]) -> Message | str:
    """What a value should have been: pydantic's own words, catalogued by its error
    type (PYDANTIC_WORDS); a type not catalogued, or words pydantic changed, stay
    as pydantic says them."""
    ctx = error.get("ctx") or {}
    reason = ctx.get("error")
    if error["type"] == "value_error" and reason is not None and reason.args \
            and isinstance(reason.args[0], Message):
        return reason.args[0]  # a validator's own catalogued words
    text = str(error["msg"]).removeprefix("Value error, ")
    text = text[:1].lower() + text[1:]
    known = PYDANTIC_WORDS.get(error["type"])
    if known is not None:
        try:
            said = msg(known.msgid, **{name: ctx[name] for name in placeholders(known.msgid)})
        except KeyError:
            return text
        if said == text:
            return said
    return text


# pydantic's messages (its error types' templates, first letter lower-cased), so a
# config error is said in Chinese; tests/test_config_messages.py holds them to
# pydantic's own templates.
PYDANTIC_WORDS = {
    "missing": msg("field required"),
    "model_type": msg("input should be a valid dictionary or instance of {class_name}"),
    "model_attributes_type": msg("input should be a valid dictionary or object to extract "
                                 "fields from"),
    "greater_than": msg("input should be greater than {gt}"),
    "greater_than_equal": msg("input should be greater than or equal to {ge}"),
    "less_than": msg("input should be less than {lt}"),
    "less_than_equal": msg("input should be less than or equal to {le}"),
    "string_type": msg("input should be a valid string"),
    "dict_type": msg("input should be a valid dictionary"),
    "list_type": msg("input should be a valid list"),
    "bool_type": msg("input should be a valid boolean"),
    "bool_parsing": msg("input should be a valid boolean, unable to interpret input"),
    "int_type": msg("input should be a valid integer"),
    "int_parsing": msg("input should be a valid integer, unable to parse string as an integer"),
    "int_from_float": msg("input should be a valid integer, got a number with a fractional "
                          "part"),
    "float_type": msg("input should be a valid number"),
    "float_parsing": msg("input should be a valid number, unable to parse string as a number"),
    "literal_error": msg("input should be {expected}"),
    "date_type": msg("input should be a valid date"),
}


def nearest_key(model: type[BaseModel], loc: tuple[Any, ...]) -> str | None:
    """The known key closest to an unknown one (a typo), by difflib, or None."""
    from difflib import get_close_matches

    for part in loc[:-1]:
        field = model.model_fields.get(str(part))
        annotation = field.annotation if field else None
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return None
        model = annotation
    known = [name for name in model.model_fields if name != "source"]
    found = get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
    return found[0] if found else None


# Where a value came from, weakest first (as Scrapy's SETTINGS_PRIORITIES).
ORIGINS = ("default", "file", "environment", "command line")
ENV_DB = "GOVSITE_DB"


def _merged(path: tuple[str, ...]) -> bool:
    """Mappings merged key by key: the top level, each section, each check's
    block and the per-check deduction rules. Any other mapping or list in a
    layer replaces that one key whole (a user's skip_extensions is the list)."""
    return (len(path) <= 1 or (path[0] == "checks" and len(path) <= 2)
            or path == ("scoring", "deductions")
            or (path[:2] == ("new_media", "checks") and len(path) <= 3))


def layer(base: dict[str, Any], over: dict[str, Any], origins: dict[str, str], origin: str,
          path: tuple[str, ...] = ()) -> None:
    """Lay `over` onto `base` in place, noting each key's origin by dotted path."""
    for key, value in over.items():
        here = (*path, str(key))
        if isinstance(value, dict) and isinstance(base.get(key), dict) and _merged(here):
            layer(base[key], value, origins, origin, here)
            continue
        base[key] = value
        dotted = ".".join(here)
        for known in [k for k in origins if k.startswith(dotted + ".")]:
            del origins[known]  # a replaced mapping: its old leaves are gone
        origins[dotted] = origin


def origin_of(origins: dict[str, str], dotted: str) -> str:
    """The origin of a key, or of the nearest mapping that set it whole."""
    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        found = origins.get(".".join(parts[:end]))
        if found is not None:
            return found
    return "default"


def _read_yaml(config_path: Path) -> dict[str, Any]:
    source = str(config_path)
    try:
        text = config_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(msg("{source}: file not found", source=source)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(msg("{source}: cannot read: {error}", source=source,
                              error=str(exc))) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or msg("invalid YAML")
        if mark:
            raise ConfigError(msg("{source}: line {line}: YAML error: {problem}",
                                  source=source, line=mark.line + 1, problem=problem)) from None
        raise ConfigError(msg("{source}: YAML error: {problem}", source=source,
                              problem=problem)) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(msg("{source}: expected a mapping of sections at the top level",
                              source=source))
    return data


def bundled_defaults() -> dict[str, Any]:
    """The bundled config.yaml: the one place every default is written."""
    return copy.deepcopy(_bundled())


@lru_cache(maxsize=1)
def _bundled() -> dict[str, Any]:
    return _read_yaml(DEFAULT_CONFIG_PATH)


def load_config(path: str | Path | None = None, *, db_url: str | None = None,
                environ: Mapping[str, str] | None = None) -> Config:
    """The bundled defaults, the user's file laid over them key by key, then
    $GOVSITE_DB and --db for storage.url; validated. ConfigError with one line.

    A user's file need hold only what it changes: `scoring: {pass_score: 70}`
    changes that one key and keeps every other default."""
    data = bundled_defaults()
    origins: dict[str, str] = {}
    source = str(DEFAULT_CONFIG_PATH)
    if path is not None and Path(path).resolve() != DEFAULT_CONFIG_PATH.resolve():
        source = str(path)
        layer(data, _read_yaml(Path(path)), origins, "file")
    env = os.environ if environ is None else environ
    if env.get(ENV_DB):
        layer(data, {"storage": {"url": env[ENV_DB]}}, origins, f"environment ${ENV_DB}")
    if db_url:
        layer(data, {"storage": {"url": db_url}}, origins, "command line --db")
    try:
        config = Config.model_validate({**data, "source": source})
    except ValidationError as exc:
        raise ConfigError(describe_error(source, exc, model=Config)) from None
    if config.calendar.first_year > config.calendar.last_year:
        raise ConfigError(msg("{source}: calendar.first_year: must not be after "
                              "calendar.last_year", source=source))
    config._origins = origins
    return config


def flatten(data: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """(dotted key, value) for every leaf; the per-check deduction rules and
    other small mappings of values stay whole, as a user writes them."""
    rows: list[tuple[str, Any]] = []
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict) and value and _merged(tuple(dotted.split("."))):
            rows += flatten(value, dotted + ".")
        else:
            rows.append((dotted, value))
    return rows


# The machine's limits, not the run's rules: a resume takes today's values.
MACHINE_LIMITS = ("memory_ceiling_mb", "memory_render_stop", "memory_check_interval_s")


def stored_config(stored: Mapping[str, Any], *, machine: Config | None = None) -> Config:
    """A run's stored config (Run.config_json), laid over today's bundled defaults:
    a run stored before a key existed still loads, with that key's default.
    `machine`: the config in force, whose memory limits replace the run's (a crawl
    the ceiling stopped is resumed under a higher one)."""
    data = bundled_defaults()
    layer(data, dict(stored), {}, "run")
    if machine is not None:
        layer(data, {"crawl": {key: getattr(machine.crawl, key) for key in MACHINE_LIMITS}},
              {}, "machine")
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(describe_error(msg("the run's stored config"), exc,
                                         model=Config)) from None
