"""Dependencies point one way: a folder imports only the folders below it.

The layer map (README, "The shape of the code"): each top-level package may
import its own modules and those of lower layers, never a higher one, so
pages are read (web) → facts extracted (extract) → checks → stored
(storage) → judged and scored (scoring) → crawled (crawler) → reported
(reports) → commands (cli, recheck). `estate` (the test estate and its
accuracy scorer) and `benchmarks` drive the product from outside: nothing of
the product imports them but the demo command.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAYERS: dict[str, int] = {
    "config": 0, "web": 0, "i18n": 0,
    "extract": 1,
    "checks": 2,
    "storage": 3,
    "scoring": 4,
    "crawler": 5,
    "reports": 6,
    "recheck": 7, "notify": 7, "cli": 8, "benchmarks": 10,
    "estate": 9,  # the test estate and its scorer: they drive the product from outside
}
# Layer 0 modules that may use one another: config reads URL rules (web) and says
# its errors through the message catalogue (i18n); web writes the reasons it finds
# (a bot-protection page's sign) as catalogued messages.
SAME_LAYER_PAIRS = ({"config", "web"}, {"config", "i18n"}, {"web", "i18n"})


def package_of(path: Path) -> str:
    relative = path.relative_to(ROOT)
    return relative.parts[0].removesuffix(".py")


def imported_packages(path: Path) -> set[tuple[str, int]]:
    """(govsite package, line) of every govsite import in the file, lazy ones included."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "govsite" and len(parts) > 1:
                found.add((parts[1], node.lineno))
    return found


def product_files() -> list[Path]:
    skip = {"tests", ".venv", "build", "storage/migrations"}
    return [p for p in ROOT.rglob("*.py")
            if not any(str(p.relative_to(ROOT)).startswith(s) for s in skip)
            and p.relative_to(ROOT).parts[0] in {*LAYERS, *(f"{k}.py" for k in LAYERS)}]


def test_every_package_has_a_layer() -> None:
    packages = {p.name.removesuffix(".py") for p in ROOT.iterdir()
                if (p.is_dir() and (p / "__init__.py").exists()) or
                (p.suffix == ".py" and p.name != "__init__.py")}
    assert packages - {"tests"} <= set(LAYERS), sorted(packages - set(LAYERS))


def test_no_import_runs_back_up_the_layers() -> None:
    upward = []
    for path in product_files():
        here = package_of(path)
        for package, line in imported_packages(path):
            if package == here or package not in LAYERS:
                continue
            if here == "cli" and package == "estate":
                continue  # `govsite demo` serves the test estate
            if LAYERS[package] > LAYERS[here] or (LAYERS[package] == LAYERS[here]
                                                  and {here, package} not in SAME_LAYER_PAIRS):
                upward.append(f"{path.relative_to(ROOT)}:{line} imports govsite.{package}")
    assert not upward, "imports against the layer map:\n" + "\n".join(sorted(upward))


def test_the_layer_test_sees_a_violation(tmp_path: Path) -> None:
    """The scan reads lazy imports inside functions too (a test that cannot fail is no test)."""
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from govsite.crawler.spider import InspectionSpider\n",
                      encoding="utf-8")
    assert ("crawler", 2) in imported_packages(sample)
