"""Shared test helpers: run the real CLI in a subprocess, with its own database."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str


def run_cli(*args: str, db: Path | None = None, cwd: Path | None = None,
            timeout: float = 300, env: dict[str, str] | None = None) -> CliResult:
    """Run `govsite ARGS` as a user would; return exit code and output."""
    full_env = {k: v for k, v in os.environ.items() if k != "GOVSITE_DB"}
    full_env.update({"COLUMNS": "200", "NO_COLOR": "1", **(env or {})})
    command = [sys.executable, "-m", "govsite.cli"]
    if db is not None:
        command += ["--db", f"sqlite:///{db}"]
    completed = subprocess.run([*command, *args], capture_output=True, text=True,
                               timeout=timeout, cwd=cwd, env=full_env)
    return CliResult(completed.returncode, completed.stdout, completed.stderr)


@pytest.fixture(scope="session")
def cli():
    return run_cli
