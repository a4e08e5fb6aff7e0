"""Which checks exist, and which are enabled with what settings.

Built-in checks are listed in ``BUILTIN``; third-party checks load through the
``govsite.checks`` entry-point group (each entry point names a Check subclass).
"""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points
from typing import Any

from pydantic import ValidationError

from govsite.checks.base import Check
from govsite.config import Config, ConfigError, describe_error

BUILTIN: tuple[str, ...] = (
    "govsite.checks.site_unreachable:SiteUnreachable",
    "govsite.checks.empty_column:EmptyColumn",
    "govsite.checks.consultation_channel:ConsultationChannel",
    "govsite.checks.reply_overdue:ReplyOverdue",
    "govsite.checks.service_guide_time_limit:ServiceGuideTimeLimit",
)


def _load(target: str) -> type[Check]:
    module_name, _, attr = target.partition(":")
    return getattr(importlib.import_module(module_name), attr)


def available_checks() -> dict[str, type[Check]]:
    """Every check class known, by id: built-ins first, then plug-ins."""
    found: dict[str, type[Check]] = {}
    for target in BUILTIN:
        cls = _load(target)
        found[cls.id] = cls
    for entry in entry_points(group="govsite.checks"):
        cls = entry.load()
        found.setdefault(cls.id, cls)
    return found


def enabled_checks(config: Config) -> list[Check]:
    """Instantiate enabled checks with validated settings; ConfigError on a bad block."""
    known = available_checks()
    for check_id in config.checks:
        if check_id not in known:
            raise ConfigError(
                f"{config.source}: checks.{check_id}: unknown check "
                f"(known: {', '.join(sorted(known))})"
            )
    checks: list[Check] = []
    for check_id, cls in known.items():
        block = config.checks.get(check_id, {}) or {}
        if not isinstance(block, dict):
            raise ConfigError(f"{config.source}: checks.{check_id}: expected a mapping")
        try:
            settings = cls.Settings.model_validate(block)
        except ValidationError as exc:
            raise ConfigError(
                describe_error(config.source, exc).replace(
                    f"{config.source}: ", f"{config.source}: checks.{check_id}.", 1
                )
            ) from None
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
