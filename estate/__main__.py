"""`python -m govsite.estate serve`: serve the demo estate until Ctrl-C.

`truth` prints the ground truth as CSV (paths are relative to each site).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import sys
import threading
from datetime import date

from .build import DEMO_AS_OF, build_estate
from .registry import write_registry_csv
from .server import EstateServer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m govsite.estate")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve every site until Ctrl-C")
    serve.add_argument("--first-ip", default="127.0.0.2")
    serve.add_argument("--port", type=int, default=0, help="0: a free port per site")
    serve.add_argument("--registry", help="also write the registry CSV here")
    for p in (serve, sub.add_parser("truth", help="print the ground truth as CSV")):
        p.add_argument("--as-of", type=date.fromisoformat, default=DEMO_AS_OF)
    args = parser.parse_args(argv)

    estate = build_estate(args.as_of)
    if args.command == "truth":
        writer = csv.writer(sys.stdout)
        writer.writerow(["site", "check", "path", "expect", "problem", "note", "host"])
        for t in estate.truth:
            writer.writerow([t.site, t.check, t.path, t.expect, t.problem, t.note, t.host])
        return 0

    with EstateServer(estate, first_ip=args.first_ip, port=args.port) as server:
        print(f"estate as of {estate.as_of}:")
        for spec in server.sites:
            url = server.base_url(spec.name)
            print(f"  {url:28} {spec.name:16} {spec.template:9} {spec.title}")
        if args.registry:
            print(f"registry: {write_registry_csv(server, args.registry)}")
        print("Ctrl-C to stop", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
