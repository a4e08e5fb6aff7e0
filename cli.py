"""The `govsite` command line: registry, crawl, check, report, demo.

Exit codes (crawl, check, report): 0 every inspected site qualified,
1 any site unqualified or not judged, 2 usage, config or tool error.
Progress and messages go to stderr, so `--format json` on stdout pipes cleanly.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import select

from govsite.checks.registry import available_checks, enabled_checks
from govsite.config import Config, ConfigError, load_config
from govsite.reports import FORMATS, render
from govsite.reports.model import ReportError, build_report, exit_code
from govsite.reports.table import print_report
from govsite.storage.db import Store, StoreError, open_store, resolve_url
from govsite.storage.models import Site

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Inspect government websites against the national indicators.")
sites_app = typer.Typer(no_args_is_help=True, help="The registry of sites to inspect.")
checks_app = typer.Typer(no_args_is_help=True, help="The check modules.")
app.add_typer(sites_app, name="sites")
app.add_typer(checks_app, name="checks")

err = Console(stderr=True)
out = Console()


class UsageFailure(Exception):
    """A problem the user can fix; printed as one line, exit code 2."""


@dataclass
class Context:
    config_path: Path | None
    db_url: str | None
    _config: Config | None = None
    _store: Store | None = None

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(self.config_path)
            enabled_checks(self._config)  # validate per-check blocks up front
        return self._config

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = open_store(resolve_url(self.db_url, self.config.storage.url))
        return self._store


def fail(message: str) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(EXIT_ERROR)


def guarded(func):  # type: ignore[no-untyped-def]
    """Turn known errors into one line and exit code 2; never a traceback."""
    import functools

    from govsite.storage.registry import RegistryFileError

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (ConfigError, StoreError, ReportError, RegistryFileError, UsageFailure) as exc:
            raise fail(str(exc)) from None
    return wrapper


@app.callback()
def main_options(
    ctx: typer.Context,
    config: Annotated[Path | None, typer.Option("--config", help="Config file "
                      "(default: the bundled config.yaml).")] = None,
    db: Annotated[str | None, typer.Option("--db", help="SQLAlchemy database URL "
                  "(default: $GOVSITE_DB, then storage.url in the config).")] = None,
) -> None:
    ctx.obj = Context(config, db)


def parse_as_of(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageFailure(f"--as-of: expected a date as YYYY-MM-DD, got {value!r}") from None


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise UsageFailure(f"--format: expected one of {', '.join(FORMATS)}, got {fmt!r}")
    return fmt


def emit(report: dict[str, Any], fmt: str, output: Path | None, quiet: bool) -> int:
    """Write the report where asked and return the exit code it implies."""
    if output is not None:
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(render(report, fmt), encoding="utf-8")
        except OSError as exc:
            raise UsageFailure(f"--output: cannot write {output}: {exc.strerror}") from None
        if not quiet:
            print_report(report, err)
            err.print(f"report written to {output}")
    elif fmt == "table":
        if not quiet:
            print_report(report, out)
    else:
        sys.stdout.write(render(report, fmt))
    return exit_code(report)


# ---------------------------------------------------------------- sites
@sites_app.command("import")
@guarded
def sites_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV (UTF-8/GBK) or XLSX registry file.")],
    skip_invalid: Annotated[bool, typer.Option(help="Import the valid rows even when "
                                               "some rows are bad.")] = False,
) -> None:
    """Import or update sites from a registry file (columns name, url, site_code,
    organizer, region, optional kind and render)."""
    from govsite.storage.registry import import_sites, read_registry

    rows, errors = read_registry(file)
    for error in errors:
        err.print(f"{file}: row {error.row_number}: {error.reason}", highlight=False)
    if errors and not skip_invalid:
        raise fail(f"{len(errors)} bad row(s); nothing imported "
                   "(fix them, or pass --skip-invalid to import the valid rows)")
    store = ctx.obj.store
    with store.sessions.begin() as session:
        result = import_sites(session, rows)
    err.print(f"imported {len(rows)} site(s): {result.created} new, {result.updated} updated"
              + (f"; skipped {len(errors)} bad row(s)" if errors else ""))
    if errors:
        raise typer.Exit(EXIT_FINDINGS)


@sites_app.command("list")
@guarded
def sites_list(ctx: typer.Context) -> None:
    """Show the registered sites."""
    with ctx.obj.store.sessions() as session:
        sites = session.scalars(select(Site).where(Site.registered).order_by(Site.name)).all()
    table = Table(title=f"{len(sites)} registered site(s)")
    for column in ("name", "url", "site code", "organizer", "region", "kind", "render"):
        table.add_column(column, overflow="fold")
    for site in sites:
        table.add_row(site.name, site.url, site.site_code or "", site.organizer or "",
                      site.region or "", site.kind, site.render_policy or "")
    out.print(table)


# ---------------------------------------------------------------- checks
@checks_app.command("list")
@guarded
def checks_list(ctx: typer.Context) -> None:
    """Show every check: id, default severity, indicator, enabled or not."""
    enabled = {check.id for check in enabled_checks(ctx.obj.config)}
    table = Table(title="Checks")
    for column in ("id", "severity", "enabled", "title", "indicator"):
        table.add_column(column, overflow="fold")
    for check_id, cls in sorted(available_checks().items()):
        table.add_row(check_id, cls.severity, "yes" if check_id in enabled else "no",
                      cls.title, cls.indicator)
    out.print(table)


# ---------------------------------------------------------------- crawl, check
def select_sites(store: Store, selectors: list[str]) -> list[Site]:
    from govsite.storage.registry import normalise_url

    with store.sessions() as session:
        registered = session.scalars(select(Site).where(Site.registered)
                                     .order_by(Site.id)).all()
    if not selectors:
        if not registered:
            raise UsageFailure("no sites registered: run `govsite sites import FILE` first")
        return list(registered)
    chosen: list[Site] = []
    for selector in selectors:
        matches = [s for s in registered if s.name == selector]
        if not matches and ("." in selector or "/" in selector):
            try:
                wanted = normalise_url(selector)
            except ValueError:
                wanted = selector
            matches = [s for s in registered if s.url == wanted]
        if not matches:
            raise UsageFailure(f"--site {selector!r}: no registered site has that name or URL")
        chosen += [s for s in matches if s not in chosen]
    return chosen


def crawl_and_report(ctx: typer.Context, sites: list[Site], command: str, as_of: date,
                     fmt: str, output: Path | None, quiet: bool) -> int:
    from govsite.crawler.progress import NullProgress, RichProgress
    from govsite.crawler.runner import run_inspection

    config = ctx.obj.config
    store = ctx.obj.store
    progress = NullProgress() if quiet else RichProgress(err)
    run_id = run_inspection(store, config, sites, as_of=as_of, command=command,
                            progress=progress)
    return emit(build_report(store, run_id), fmt, output, quiet)


FormatOpt = Annotated[str, typer.Option("--format", "-f", help="table | json")]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help="Write the report "
                                                "to this file.")]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", help="Monitoring reference date "
                                             "YYYY-MM-DD (default: today).")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress display "
                                        "(for cron).")]


@app.command()
@guarded
def crawl(
    ctx: typer.Context,
    site: Annotated[list[str] | None, typer.Option("--site", help="Only this site "
                    "(name or URL); repeatable.")] = None,
    as_of: AsOfOpt = None, fmt: FormatOpt = "table", output: OutputOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Crawl and inspect every registered site (or those named by --site)."""
    fmt = check_format(fmt)
    reference = parse_as_of(as_of)
    sites = select_sites(ctx.obj.store, site or [])
    raise typer.Exit(crawl_and_report(ctx, sites, "crawl", reference, fmt, output, quiet))


@app.command()
@guarded
def check(
    ctx: typer.Context,
    url: Annotated[str, typer.Argument(help="Home page URL of the site to re-check.")],
    name: Annotated[str | None, typer.Option(help="Name to report it under.")] = None,
    as_of: AsOfOpt = None, fmt: FormatOpt = "table", output: OutputOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Crawl and inspect one site, registered or not (the auditor's re-check)."""
    from govsite.storage.recorder import utcnow
    from govsite.storage.registry import normalise_url

    fmt = check_format(fmt)
    reference = parse_as_of(as_of)
    try:
        normalised = normalise_url(url)
    except ValueError as exc:
        raise UsageFailure(f"URL {url!r}: {exc}") from None
    store = ctx.obj.store
    with store.sessions.begin() as session:
        site = session.scalar(select(Site).where(Site.url == normalised))
        if site is None:
            from govsite.crawler.urls import host_key
            site = Site(name=name or host_key(normalised), url=normalised, kind="department",
                        registered=False, created_at=utcnow(), updated_at=utcnow())
            session.add(site)
            session.flush()
    raise typer.Exit(crawl_and_report(ctx, [site], "check", reference, fmt, output, quiet))


# ---------------------------------------------------------------- report
@app.command()
@guarded
def report(
    ctx: typer.Context,
    run: Annotated[int | None, typer.Option("--run", help="Run id (default: the latest).")]
    = None,
    fmt: FormatOpt = "table", output: OutputOpt = None,
) -> None:
    """Report a stored run again, in any format, without crawling."""
    fmt = check_format(fmt)
    raise typer.Exit(emit(build_report(ctx.obj.store, run), fmt, output, quiet=False))


# ---------------------------------------------------------------- demo
@app.command()
@guarded
def demo(
    ctx: typer.Context,
    fmt: FormatOpt = "table", output: OutputOpt = None, quiet: QuietOpt = False,
) -> None:
    """Serve the bundled demo estate on loopback, inspect it, report, stop.

    Uses ./govsite-demo.db unless --db is given, so a real registry is untouched.
    """
    from govsite.estate.build import build_estate
    from govsite.estate.registry import write_registry_csv
    from govsite.estate.server import EstateServer
    from govsite.storage.registry import import_sites, read_registry

    fmt = check_format(fmt)
    if ctx.obj.db_url is None:
        ctx.obj.db_url = "sqlite:///govsite-demo.db"
    ctx.obj._config = demo_config(ctx.obj.config)
    estate = build_estate()
    with EstateServer(estate) as server:
        registry = Path(ctx.obj.store.evidence_root) / "govsite-demo-registry.csv"
        write_registry_csv(server, registry)
        rows, errors = read_registry(registry)
        if errors:
            raise UsageFailure(f"demo registry is invalid: row {errors[0].row_number}: "
                               f"{errors[0].reason}")
        with ctx.obj.store.sessions.begin() as session:
            import_sites(session, rows)
        urls = {row.url for row in rows}
        sites = [s for s in select_sites(ctx.obj.store, []) if s.url in urls]
        if not quiet:
            err.print(f"demo estate: {len(sites)} sites on loopback, as of {estate.as_of}")
        crawl_and_report(ctx, sites, "crawl", estate.as_of, fmt, output, quiet)
    raise typer.Exit(EXIT_OK)


def demo_config(config: Config) -> Config:
    """The demo serves its own loopback sites: no need to wait between requests."""
    crawl = config.crawl.model_copy(update={"download_delay_s": 0.0, "autothrottle": False,
                                            "concurrent_per_host": 4})
    return config.model_copy(update={"crawl": crawl})


def main() -> None:
    app()


if __name__ == "__main__":
    main()
