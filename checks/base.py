"""The check contract: what every check module provides.

A check is small (see DESIGN-NOTES): an id, a title, the indicator it
implements, a default severity, remediation text, a settings model for its
config block, and at most three functions:

- ``wants(page)``: further URLs the crawler must fetch for this check, beyond
  the normal depth limit (every column a site map lists, every board page);
- ``extract(page)``: small JSON facts read from one parsed page, stored;
- ``evaluate(site)``: the site's stored facts turned into findings, with no
  network, so a stored run can be re-evaluated under new thresholds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar, Literal, NamedTuple

from lxml import etree
from lxml import html as lxml_html
from pydantic import BaseModel, ConfigDict

from govsite.config import bundled_defaults

Severity = Literal["veto", "deduct", "warn", "info"]
# The notice groups problems under these headings (see ../shared/seed/).
Category = Literal["operation", "interaction", "service", "security"]
SEVERITIES: tuple[Severity, ...] = ("veto", "deduct", "warn", "info")
# The fact kind the crawler stores when a check's wants or extract raised.
EXTRACT_ERROR = "extract-error"
_VISIBLE_TEXT = etree.XPath("//text()[not(parent::script or parent::style)]", smart_strings=False)


class CheckSettings(BaseModel):
    """Settings every check accepts; a check extends this with its own numbers."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    enabled: bool = True
    severity: Severity | None = None  # None: the check's default


@dataclass(frozen=True)
class SiteInfo:
    """What a check may know about the site under inspection."""

    id: int
    name: str
    url: str
    host: str
    kind: str = "department"  # portal | department


class Link(NamedTuple):
    """A hyperlink as a citizen sees it: absolute URL and visible text.

    A named tuple, not a dataclass: a page has ~150 of them and they cross
    from the analysis worker to the crawl process, where a tuple pickles
    about 3x faster."""

    url: str
    text: str


@dataclass(frozen=True, slots=True)
class FetchRequest:
    """A page a check needs fetched, beyond what the normal crawl reaches."""

    url: str
    purpose: str
    offsite: bool = False  # may leave the site's host (only this URL, never crawled on)
    render: bool = False  # needs the page as a browser renders it


@dataclass
class PageContext:
    """One fetched page, parsed once and shared by every check."""

    site: SiteInfo
    url: str  # as linked
    final_url: str  # after redirects
    status: int
    depth: int
    purpose: str  # "crawl", or the purpose a check gave in its FetchRequest
    content_type: str
    encoding: str | None
    title: str
    text: str  # decoded body ("" for non-text)
    tree: lxml_html.HtmlElement | None
    links: list[Link]
    rendered: bool
    as_of: date
    error: str | None = None
    # Set by the crawler's render policy: the static HTML shows script-loaded
    # content; render_error says why no rendered reading could be had.
    needs_render: bool = False
    render_error: str | None = None
    # Readings several checks share (label pairs, board rows), computed once.
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)

    def memo(self, key: str, compute: Callable[[], Any]) -> Any:
        """The value of `compute()` for this page, computed on first use only."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def compact_text(self) -> str:
        """The document's text with no white space at all, for cheap word tests
        before a check reads the tree: labels may be spaced (办 理 时 限), split
        by tags or written as entities, and all read the same here. Script and
        style text is left out: it is not what a visitor reads, and on a CMS
        page it is most of the text (15,000 of 17,000 characters on benchmark
        pages), so every word test would cost seven times as much."""
        return self.memo("compact_text", lambda: "".join("".join(_VISIBLE_TEXT(self.tree)).split())
                         if self.tree is not None else "")

    @property
    def ok(self) -> bool:
        return self.error is None and 200 <= self.status < 300


@dataclass(frozen=True, slots=True)
class PageSummary:
    """A stored page row, as evaluation sees it."""

    url: str
    final_url: str
    status: int
    depth: int
    purpose: str
    title: str
    error: str | None
    rendered: bool
    elapsed_s: float | None = None
    # As on PageContext: the static HTML was not to be trusted (script-loaded
    # content, or a check asked for rendering); render_error: why no rendered
    # reading was had. `needs_render and not rendered`: do not judge the page.
    needs_render: bool = False
    render_error: str | None = None


@dataclass(frozen=True, slots=True)
class Fact:
    """A small JSON-able observation one check extracted from one page."""

    check: str
    url: str
    kind: str
    data: dict[str, Any]


@dataclass
class SiteEvidence:
    """Everything evaluation may use: the site, its pages, this check's facts."""

    site: SiteInfo
    as_of: date
    pages: list[PageSummary]
    facts: list[Fact] = field(default_factory=list)

    def page(self, url: str) -> PageSummary | None:
        for page in self.pages:
            if page.url == url or page.final_url == url:
                return page
        return None


@dataclass(frozen=True)
class Finding:
    """A problem (or a note) a check reports about a site."""

    check: str
    severity: Severity
    url: str
    message: str
    evidence: dict[str, Any] = field(default_factory=dict)


class Check:
    """Base class of every check; subclasses set the class attributes."""

    id: ClassVar[str]
    title: ClassVar[str]
    indicator: ClassVar[str]  # which national indicator, with RULES.md section
    severity: ClassVar[Severity]
    category: ClassVar[Category] = "operation"
    # A site whose home page did not open is judged by site-unreachable alone:
    # an empty crawl must not read as "no channel" or "no guides".
    requires_home_page: ClassVar[bool] = True
    remediation: ClassVar[str]
    Settings: ClassVar[type[CheckSettings]] = CheckSettings

    def __init__(self, settings: CheckSettings | None = None) -> None:
        self.settings = settings or self.default_settings()

    @classmethod
    def default_settings(cls) -> CheckSettings:
        """The check's block of the bundled config.yaml, where its defaults live
        (a plug-in's absent block: its Settings model's own defaults)."""
        return cls.Settings.model_validate(bundled_defaults()["checks"].get(cls.id) or {})

    @property
    def effective_severity(self) -> Severity:
        return self.settings.severity or self.severity

    def wants(self, page: PageContext) -> Iterable[FetchRequest]:
        return ()

    def extract(self, page: PageContext) -> Iterable[dict[str, Any]]:
        """Facts as ``{"kind": str, "data": dict}`` mappings."""
        return ()

    def evaluate(self, site: SiteEvidence) -> Iterator[Finding]:
        return iter(())

    def finding(self, url: str, message: str, severity: Severity | None = None,
                **evidence: Any) -> Finding:
        return Finding(self.id, severity or self.effective_severity, url, message, evidence)
