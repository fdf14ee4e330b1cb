"""The shape of app/'s imports, for a closing note: `python bench/imports.py [APP_DIR]`.

Prints the modules per package, the longest import chain inside app/ and inside app/services
(a chain counts modules; a circle counts as one step), and the import circles: those that run
(tests/test_layers.py fails on them) and those made by annotation-only imports
(`if TYPE_CHECKING:`). APP_DIR defaults to this checkout's app/; give another checkout's to
compare before and after.
"""

from __future__ import annotations

import sys
from collections import Counter
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.test_layers import circles, import_graph, one_circle  # noqa: E402


def longest_chain(graph: dict[str, set[str]]) -> list[str]:
    """The longest chain of imports; the modules of a circle are taken as one step."""
    group_of = {}
    for group in circles(graph):
        for m in group:
            group_of[m] = group[0]

    def step(m: str) -> str:
        return group_of.get(m, m)

    @cache
    def from_here(m: str) -> tuple[str, ...]:
        best: tuple[str, ...] = ()
        for w in sorted(graph[m]):
            if step(w) != step(m):
                chain = from_here(w)
                if len(chain) > len(best):
                    best = chain
        return (m, *best)

    sys.setrecursionlimit(10_000)
    return list(max((from_here(m) for m in sorted(graph)), key=len, default=()))


def inside(graph: dict[str, set[str]], prefix: str) -> dict[str, set[str]]:
    keep = {m for m in graph if m == prefix or m.startswith(prefix + ".")}
    return {m: graph[m] & keep for m in keep}


def main() -> None:
    app = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else ROOT / "app"
    graph = import_graph(app)
    packages = Counter()
    for path in app.rglob("*.py"):
        packages[".".join(path.parent.relative_to(app.parent).parts)] += 1
    print(f"modules: {sum(packages.values())} in {len(packages)} packages")
    for package, n in sorted(packages.items()):
        print(f"  {package:32} {n}")
    for name, part in (("app", graph), ("app.services", inside(graph, "app.services"))):
        chain = longest_chain(part)
        print(f"longest import chain in {name}: {len(chain)} modules")
        print("  " + " → ".join(chain))
    with_annotations = import_graph(app, type_checking=True)
    for label, g in (
        ("import circles", graph),
        ("circles counting annotation-only (TYPE_CHECKING) imports too", with_annotations),
    ):
        found = circles(g)
        print(f"{label}: {len(found)}")
        for group in found:
            print("  " + " → ".join(one_circle(g, group)) + f"  ({len(group)} modules)")


if __name__ == "__main__":
    main()
