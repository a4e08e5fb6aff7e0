"""The new-media account check contract: what an account check module provides.

Accounts (政务新媒体: WeChat official accounts, Weibo, Toutiao …) are judged
apart from websites, by their own checks (国办秘函〔2019〕19号, the new-media
indicators), so these are not `Check`s: a site's crawl never runs them. A
check is small, as a site check is: an id (its module's name with dashes),
titles, the indicator, a severity, a category, remediation, a settings model
for its block `new_media.checks.<id>` of config.yaml, and `evaluate` over the
account's stored facts (pure, no network).

Two kinds of evidence reach a check: facts read from the account's feed in a
crawl (`feed`, `post`), and results an auditor recorded (`record`, from
`govsite accounts record`). A recorded result is the auditor's judgement and
stands for the check; the feed is read only when there is none.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, ClassVar

from pydantic import ValidationError

from govsite.checks.base import (
    Category,
    CheckIdentity,
    CheckSettings,
    Fact,
    Finding,
    Severity,
    builtin_subclasses,
)
from govsite.config import Config, ConfigError, bundled_defaults, describe_error
from govsite.i18n import Message, msg

FEED = "feed"  # facts of the feed itself (check id and kind): the fetch, then each post
POST = "post"
RECORD = "record"  # an auditor's recorded result for one check
RESULTS = ("pass", "fail")
# The national new-media indicators every account check cites.
INDICATORS_2019_MEDIA = "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》政务新媒体"


@dataclass(frozen=True)
class AccountInfo:
    """What evaluation knows of an account."""

    id: int
    name: str
    platform: str
    account_id: str
    feed_url: str | None = None


@dataclass
class AccountEvidence:
    """An account's facts in a run: its feed's (`feed` check) and this check's own."""

    account: AccountInfo
    as_of: date
    facts: list[Fact] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Fact]:
        return [fact for fact in self.facts if fact.kind == kind]


class AccountCheck(CheckIdentity):
    """Base class of every account check; subclasses set the class attributes."""

    indicator: ClassVar[str]
    severity: ClassVar[Severity]
    category: ClassVar[Category] = "operation"
    remediation: ClassVar[str]
    # An account's verdict needs this check judged: unjudged (and no veto), the
    # account is "not judged", never passed.
    required: ClassVar[bool] = False

    @classmethod
    def default_settings(cls) -> CheckSettings:
        """The check's block of the bundled config.yaml, where its defaults live."""
        blocks = bundled_defaults()["new_media"]["checks"]
        return cls.Settings.model_validate(blocks.get(cls.id) or {})

    @property
    def effective_severity(self) -> Severity:
        return self.settings.severity or self.severity

    def evaluate(self, evidence: AccountEvidence) -> Iterator[Finding]:
        """Recorded results when the auditor gave any, else the feed's reading."""
        records = [f for f in evidence.facts if f.kind == RECORD and f.check == self.id]
        if records:
            yield from recorded_findings(self.id, self.effective_severity, records)
            return
        yield from self.evaluate_feed(evidence)

    def evaluate_feed(self, evidence: AccountEvidence) -> Iterator[Finding]:
        """Findings from the feed's facts; none by default (a check only auditors judge)."""
        return iter(())

    def finding(self, url: str, message: str, severity: Severity | None = None,
                **evidence: Any) -> Finding:
        """A finding about the account; a catalogued message (msg) keeps its id and
        parameters, so reports say it in their language."""
        return Finding(self.id, severity or self.effective_severity, url, str(message),
                       evidence, *message_parts(message))


def message_parts(message: str) -> tuple[str | None, dict[str, Any] | None]:
    """A Message's catalogue id and stored parameters; (None, None) for plain text."""
    if isinstance(message, Message):
        return message.msgid, message.stored()
    return None, None


def recorded_findings(check_id: str, severity: Severity, records: Iterable[Fact]
                      ) -> Iterator[Finding]:
    """An auditor's `fail` is a finding at the check's severity, their note its
    message, their link its place; a `pass` is the check judged clean."""
    for record in records:
        data = record.data
        if data.get("result") != "fail":
            continue
        text = msg("{note} (recorded {as_of})", note=data.get("note")
                   or msg("recorded as failed by the auditor"), as_of=str(data.get("as_of")))
        yield Finding(check_id, severity, record.url, str(text),
                      {"recorded": True, "note": data.get("note"), "as_of": data.get("as_of"),
                       "evidence_url": data.get("evidence_url")}, *message_parts(text))


@lru_cache(maxsize=1)
def account_check_classes() -> tuple[type[AccountCheck], ...]:
    """The account check classes of the govsite.checks package, by module name."""
    return builtin_subclasses(AccountCheck)


def enabled_account_checks(config: Config) -> list[AccountCheck]:
    """The enabled account checks with validated settings; ConfigError on a bad block."""
    known = {cls.id: cls for cls in account_check_classes()}
    blocks = config.new_media.checks
    for check_id in blocks:
        if check_id not in known:
            raise ConfigError(msg("{source}: new_media.checks.{check}: unknown account check "
                                  "(known: {known})", source=config.source, check=check_id,
                                  known=", ".join(sorted(known))))
    checks: list[AccountCheck] = []
    for check_id, cls in known.items():
        try:
            settings = cls.Settings.model_validate(blocks.get(check_id) or {})
        except ValidationError as exc:
            raise ConfigError(describe_error(config.source, exc,
                                             f"new_media.checks.{check_id}.",
                                             cls.Settings)) from None
        if settings.enabled:
            checks.append(cls(settings))
    return checks
