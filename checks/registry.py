"""Which checks exist, and which are enabled with what settings.

Checks are found, not listed: every module of the `govsite.checks` package
that defines a Check subclass (the infrastructure modules define none), then
third-party classes named by the `govsite.checks` entry-point group. A
built-in check's id is its module name (see checks.base.Check), so the id,
the module and the config key cannot disagree.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.metadata import entry_points
from typing import Any

from pydantic import ValidationError

from govsite.checks.base import Check, builtin_subclasses
from govsite.config import Config, ConfigError, describe_error
from govsite.i18n import msg


@lru_cache(maxsize=1)
def builtin_checks() -> tuple[type[Check], ...]:
    """The check classes of the govsite.checks package, in module-name order."""
    return builtin_subclasses(Check)


def available_checks() -> dict[str, type[Check]]:
    """Every check class known, by id: built-ins first, then plug-ins."""
    found: dict[str, type[Check]] = {cls.id: cls for cls in builtin_checks()}
    for entry in entry_points(group="govsite.checks"):
        cls = entry.load()
        found.setdefault(cls.id, cls)
    return found


def enabled_checks(config: Config) -> list[Check]:
    """Instantiate enabled checks with validated settings; ConfigError on a bad block."""
    known = available_checks()
    for check_id in config.checks:
        if check_id not in known:
            raise ConfigError(msg("{source}: checks.{check}: unknown check (known: {known})",
                                  source=config.source, check=check_id,
                                  known=", ".join(sorted(known))))
    checks: list[Check] = []
    for check_id, cls in known.items():
        block = config.checks.get(check_id, {}) or {}
        if not isinstance(block, dict):
            raise ConfigError(msg("{source}: checks.{check}: expected a mapping",
                                  source=config.source, check=check_id))
        try:
            settings = cls.Settings.model_validate(block)
        except ValidationError as exc:
            raise ConfigError(describe_error(config.source, exc, f"checks.{check_id}.",
                                             cls.Settings)) from None
        if settings.enabled:
            checks.append(cls(settings))
    return checks


def effective_settings(config: Config) -> dict[str, dict[str, Any]]:
    """Every known check's validated settings as plain values, by id (what
    `govsite config show` prints under checks.)."""
    known = available_checks()
    enabled_checks(config)  # refuses unknown ids and bad blocks with one line
    return {check_id: cls.Settings.model_validate(config.checks.get(check_id) or {})
            .model_dump(mode="json") for check_id, cls in known.items()}
