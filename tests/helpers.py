"""Helpers the tests share: run the real CLI in a subprocess, the estate's config."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from govsite.config import DEFAULT_CONFIG_PATH

REPO = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((REPO / "reports/schema/report.schema.json").read_text(encoding="utf-8"))
AS_OF = "2026-11-16"  # the estate's reference date (estate.build.DEMO_AS_OF)


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str


def run_cli(*args: str, db: Path | str | None = None, cwd: Path | None = None,
            timeout: float = 300, env: dict[str, str] | None = None) -> CliResult:
    """Run `govsite ARGS` as a user would; return exit code and output. `db`: an
    SQLite file, or any database URL."""
    full_env = {k: v for k, v in os.environ.items() if k != "GOVSITE_DB"}
    full_env.update({"COLUMNS": "200", "NO_COLOR": "1", "GOVSITE_LANG": "en", **(env or {})})
    command = [sys.executable, "-m", "govsite.cli"]
    if db is not None:
        command += ["--db", db if isinstance(db, str) else f"sqlite:///{db}"]
    completed = subprocess.run([*command, *args], capture_output=True, text=True,
                               timeout=timeout, cwd=cwd, env=full_env)
    return CliResult(completed.returncode, completed.stdout, completed.stderr)


def tight_config(tmp_path: Path, render: str = "never", **crawl) -> Path:
    """The bundled config, minus the politeness a loopback estate does not need."""
    data = yaml.safe_load(DEFAULT_CONFIG_PATH.read_text(encoding="utf-8"))
    data["crawl"].update({"download_delay_s": 0, "autothrottle": False, "retries": 0,
                          "concurrent_per_host": 4, **crawl})
    data["render"]["policy"] = render
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def set_check_settings(config: Path, check_id: str, **settings: object) -> Path:
    """The config file with some of one check's settings changed."""
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["checks"][check_id].update(settings)
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return config


def count(db: Path | str, sql: str) -> int:
    """One number from the database (an SQLite file, or any URL); 0 while it
    cannot be read yet."""
    if isinstance(db, str):
        import sqlalchemy as sa

        engine = sa.create_engine(db, poolclass=sa.pool.NullPool)
        try:
            with engine.connect() as connection:
                return connection.execute(sa.text(sql)).scalar() or 0
        except sa.exc.SQLAlchemyError:
            return 0
        finally:
            engine.dispose()
    try:
        with sqlite3.connect(db, timeout=5) as connection:
            return connection.execute(sql).fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def crawl_until_killed(db: Path | str, config: Path, args: list[str], ready: Callable[[], bool],
                       timeout_s: float = 180, command: str = "crawl") -> None:
    """Start `govsite crawl ARGS` (or `check`) in its own process group and SIGKILL
    the whole group (analysis workers, browser) once `ready()`; it must still be running."""
    env = {k: v for k, v in os.environ.items() if k != "GOVSITE_DB"}
    crawl = subprocess.Popen(
        [sys.executable, "-m", "govsite.cli", "--db",
         db if isinstance(db, str) else f"sqlite:///{db}", "--config", str(config),
         command, *args, "--quiet"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + timeout_s
        while not ready() and time.monotonic() < deadline and crawl.poll() is None:
            time.sleep(0.1)
        assert crawl.poll() is None, "the crawl ended before it could be killed"
        os.killpg(crawl.pid, signal.SIGKILL)
    finally:
        crawl.wait(timeout=30)
