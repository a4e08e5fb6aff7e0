"""The check contract: what every check module provides.

A check is small (see DESIGN-NOTES): an id, a title, the indicator it
implements, a default severity, remediation text, a settings model for its
config block, and at most three functions:

- ``wants(page)``: further URLs the crawler must fetch for this check, beyond
  the normal depth limit (every column a site map lists, every board page);
- ``extract(page)``: small JSON facts read from one parsed page, stored;
- ``evaluate(site)``: the site's stored facts turned into findings, with no
  network, so a stored run can be re-evaluated under new thresholds;
- ``render_wanted(page)``: why this check must read this very page as a
  browser renders it (hidden links are judged on computed styles), when its
  static HTML is fine for every other check.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar, Literal, TypeVar

from pydantic import BaseModel, ConfigDict

from govsite.config import bundled_defaults
from govsite.i18n import Message
from govsite.web.page import Link, PageContext, SiteInfo, page_from_html

Severity = Literal["veto", "deduct", "warn", "info"]
# The notice groups problems under these headings (see ../shared/seed/).
Category = Literal["operation", "interaction", "service", "security"]
SEVERITIES: tuple[Severity, ...] = ("veto", "deduct", "warn", "info")
BUILTIN_PACKAGE = "govsite.checks"
# The national indicators every built-in check cites (a user can look them up).
INDICATORS_2019 = "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》"
GUIDELINES_2017 = "国办发〔2017〕47号《政府网站发展指引》"
# The fact kind the crawler stores when a check's wants or extract raised.
EXTRACT_ERROR = "extract-error"
# The page model lives in govsite.web (below the crawler and the checks); a
# check's author finds the whole contract here.
__all__ = ["EXTRACT_ERROR", "SEVERITIES", "Category", "Check", "CheckSettings", "Fact",
           "FetchRequest", "Finding", "Link", "PageContext", "PageSummary", "Severity",
           "SiteEvidence", "SiteInfo", "page_from_html"]


class CheckSettings(BaseModel):
    """Settings every check accepts; a check extends this with its own numbers."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    enabled: bool = True
    severity: Severity | None = None  # None: the check's default


@dataclass(frozen=True, slots=True)
class FetchRequest:
    """A page a check needs fetched, beyond what the normal crawl reaches."""

    url: str
    purpose: str
    offsite: bool = False  # may leave the site's host (only this URL, never crawled on)
    render: bool = False  # needs the page as a browser renders it
    # May not exist (robots.txt, /sitemap.xml): an error answer is an absence,
    # not a failure of the site, and is not counted among its failed pages.
    optional: bool = False
    # A form body (urlencoded, already in the form's charset): sent as a POST.
    # The crawl never submits forms; a check's one deliberate request does (a
    # site search that only answers a POST). Such an answer is never rendered.
    post: str | None = None


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
    message: str  # English; a Message (govsite.i18n) also says it in Chinese
    evidence: dict[str, Any] = field(default_factory=dict)
    # The message's catalogue id and parameters, so reports can show it in
    # either language (None: a plug-in's plain text, shown as it is).
    message_id: str | None = None
    params: dict[str, Any] | None = None


_T = TypeVar("_T")


class CheckIdentity:
    """What site and account checks share: an id from the module's name, a title
    in both languages, and settings from their block of config.yaml."""

    id: ClassVar[str]
    title_zh: ClassVar[str]
    title_en: ClassVar[str]
    title: ClassVar[str]  # "English (中文)", derived: terminal listings
    Settings: ClassVar[type[CheckSettings]] = CheckSettings

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "id" not in cls.__dict__ and cls.__module__.startswith(f"{BUILTIN_PACKAGE}."):
            cls.id = cls.__module__.rpartition(".")[2].replace("_", "-")
        if "title" not in cls.__dict__ and "title_en" in cls.__dict__:
            cls.title = f"{cls.title_en} ({cls.title_zh})"

    def __init__(self, settings: CheckSettings | None = None) -> None:
        self.settings = settings or self.default_settings()

    @classmethod
    def default_settings(cls) -> CheckSettings:
        """The check's block of the bundled config.yaml (each kind says where)."""
        raise NotImplementedError


def builtin_subclasses(base: type[_T]) -> tuple[type[_T], ...]:
    """The subclasses of `base` defined in the govsite.checks package, in
    module-name order (a module named _x is private)."""
    import importlib
    import pkgutil

    package = importlib.import_module(BUILTIN_PACKAGE)
    found: list[type[_T]] = []
    for module_info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{BUILTIN_PACKAGE}.{module_info.name}")
        found += [obj for obj in vars(module).values()
                  if isinstance(obj, type) and issubclass(obj, base) and obj is not base
                  and obj.__module__ == module.__name__]
    return tuple(found)


class Check(CheckIdentity):
    """Base class of every check; subclasses set the class attributes.

    Metadata is data beside the code: `title_zh`/`title_en` (reports pick the
    language), `indicator` (the official document and item a user can look
    up), `severity`, `category`, `remediation`. A built-in check's `id` is
    its module's name with dashes (checks/empty_column.py: empty-column),
    which is also its config key; a plug-in sets `id` itself."""

    indicator: ClassVar[str]  # the official document and item it implements
    severity: ClassVar[Severity]
    category: ClassVar[Category] = "operation"
    # A site whose home page did not open is judged by site-unreachable alone:
    # an empty crawl must not read as "no channel" or "no guides".
    requires_home_page: ClassVar[bool] = True
    # The crawl checks every link and embedded resource of the site's pages and
    # gives this check the problem targets as `link` facts (crawler/linkcheck.py).
    checks_links: ClassVar[bool] = False
    remediation: ClassVar[str]

    @classmethod
    def configured(cls, **changes: Any) -> Check:
        """The check with its default settings but these (for tests and tools)."""
        return cls(cls.Settings.model_validate({**cls.default_settings().model_dump(),
                                                **changes}))

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

    def render_wanted(self, page: PageContext) -> str | None:
        """Why this check needs this page rendered, or None (the default).

        Asked of a page read from its static HTML when a render can still be
        had; a reason sends the page to the browser and its rendered reading
        stands for it, for every check. The static HTML stays trustworthy for
        the others: if the render fails the page is read statically as usual,
        not marked `needs_render`, with `render_error` saying why, and only
        this check (seeing no rendering) says "not judged"."""
        return None

    def extract(self, page: PageContext) -> Iterable[dict[str, Any]]:
        """Facts as ``{"kind": str, "data": dict}`` mappings."""
        return ()

    def evaluate(self, site: SiteEvidence) -> Iterator[Finding]:
        return iter(())

    def finding(self, url: str, message: str, /, severity: Severity | None = None,
                **evidence: Any) -> Finding:
        """A finding; `message` from `govsite.i18n.msg` carries its catalogue id.
        (`url` and `message` are positional: evidence may have a `url` of its own.)"""
        if isinstance(message, Message):
            return Finding(self.id, severity or self.effective_severity, url, str(message),
                           evidence, message.msgid, message.stored())
        return Finding(self.id, severity or self.effective_severity, url, message, evidence)
