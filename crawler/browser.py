"""Find a Chromium to render with: config, environment, system, then Playwright's own."""

from __future__ import annotations

import glob
import os
import shutil
from pathlib import Path

SYSTEM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
ENV_VAR = "GOVSITE_CHROMIUM"
INSTALL_HINT = ("no Chromium found: install one (as root on Debian: apt-get install chromium; "
                "otherwise: .venv/bin/playwright install chromium), or set browser.executable_path "
                f"in config.yaml or ${ENV_VAR}")


def _playwright_managed() -> str | None:
    root = Path(os.environ.get("PLAYWRIGHT_BROWSERS_PATH", Path.home() / ".cache/ms-playwright"))
    patterns = ("chromium-*/chrome-linux*/chrome", "chromium_headless_shell-*/chrome-*/"
                "chrome-headless-shell", "chromium-*/chrome-mac*/Chromium.app/Contents/MacOS/*")
    for pattern in patterns:
        found = sorted(glob.glob(str(root / pattern)), reverse=True)
        if found:
            return found[0]
    return None


def find_chromium(configured: str = "") -> str | None:
    """The first usable browser binary, or None."""
    for candidate in (configured, os.environ.get(ENV_VAR, "")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    for name in SYSTEM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return _playwright_managed()
