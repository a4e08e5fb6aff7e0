"""Find a Chromium to render with: config, environment, system, then Playwright's own.

Also the launch options every browser govsite starts uses (the crawl's
scrapy-playwright handler and the evidence pass alike): headless, sandbox off
when running as root, and none of Chromium's own background connections
(component updates, sync, safe-browsing lists), which a closed network
refuses and which an inspection has no business making anyway.
"""

from __future__ import annotations

import glob
import os
import shutil
import sys
from pathlib import Path
from typing import Any

SYSTEM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
ENV_VAR = "GOVSITE_CHROMIUM"
INSTALL_HINT = ("no Chromium found: install one (as root on Debian: apt-get install chromium; "
                "otherwise: .venv/bin/playwright install chromium), or set browser.executable_path "
                f"in config.yaml or ${ENV_VAR}")

# Flags for a headless browser on a server: no GPU, no QUIC, no first-run or
# background traffic (without these Chromium keeps dialling Google services,
# and on a closed network those connections are refused and retried).
LAUNCH_FLAGS = (
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-dev-shm-usage",  # containers give /dev/shm 64 MB; use /tmp instead
    "--mute-audio",
)


def _playwright_managed() -> str | None:
    root = Path(os.environ.get("PLAYWRIGHT_BROWSERS_PATH", Path.home() / ".cache/ms-playwright"))
    patterns = ("chromium-*/chrome-linux*/chrome", "chromium_headless_shell-*/chrome-*/"
                "chrome-headless-shell", "chromium-*/chrome-mac*/Chromium.app/Contents/MacOS/*")
    for pattern in patterns:
        found = sorted(glob.glob(str(root / pattern)), reverse=True)
        if found:
            return found[0]
    return None


def _usable(candidate: str) -> bool:
    return bool(candidate) and Path(candidate).is_file() and os.access(candidate, os.X_OK)


def find_chromium(configured: str = "", *, search_system: bool = True) -> str | None:
    """The first usable browser binary, or None.

    Order: the configured path, $GOVSITE_CHROMIUM, then (unless
    `search_system` is false) the system's chromium/chrome on PATH and a
    Playwright-managed browser.
    """
    for candidate in (configured, os.environ.get(ENV_VAR, "")):
        if _usable(candidate):
            return candidate
    if not search_system:
        return None
    for name in SYSTEM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return _playwright_managed()


def launch_args() -> list[str]:
    """Chromium command-line flags; --no-sandbox only when running as root."""
    as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    return (["--no-sandbox"] if as_root else []) + list(LAUNCH_FLAGS)


def launch_options(executable: str) -> dict[str, Any]:
    """Keyword arguments for Playwright's `chromium.launch()`."""
    return {"executable_path": executable, "headless": True, "args": launch_args(),
            # Playwright must not kill the crawl on a signal meant for it.
            "handle_sigint": False, "handle_sigterm": False, "handle_sighup": False}


class HintOnce:
    """Prints the install hint (or a browser failure) once per process, to stderr."""

    def __init__(self) -> None:
        self.printed = False

    def __call__(self, message: str = INSTALL_HINT) -> None:
        if self.printed:
            return
        self.printed = True
        sys.stderr.write(f"warning: {message}\n")
        sys.stderr.flush()


print_hint_once = HintOnce()
