"""Write the registry CSV for a running estate, as an inspection office would supply it."""

from __future__ import annotations

import csv
from pathlib import Path

from .server import EstateServer

COLUMNS = ("name", "url", "site_code", "organizer", "region", "kind")
SPECIAL = {"platform", "trap"}  # templates left out unless asked for


def write_registry_csv(server: EstateServer, path: str | Path, encoding: str = "utf-8",
                       include_platform: bool = False, include_trap: bool = False) -> Path:
    """One row per served site; `name` is the site's Chinese title, `url` its base URL."""
    skip = set(SPECIAL)
    if include_platform:
        skip.discard("platform")
    if include_trap:
        skip.discard("trap")
    target = Path(path)
    with target.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for spec in server.sites:
            if spec.template in skip or spec.name not in server.addresses:
                continue
            writer.writerow([spec.title or spec.name, server.base_url(spec.name), spec.site_code,
                             spec.organizer, spec.region, spec.kind])
    return target
