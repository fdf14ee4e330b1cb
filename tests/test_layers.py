"""Dependencies point down only (DESIGN.md: ui → services → models → comm)."""

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"

FORBIDDEN = {
    "comm": ("app.models", "app.services", "app.ui", "PySide6", "sqlalchemy", "qasync"),
    "models": ("app.services", "app.ui", "PySide6", "qasync"),
    "services": ("app.ui", "app.portal", "PySide6", "qasync", "fastapi", "starlette"),
    # the tenants' portal is a top layer beside app/ui and app/cli: it knows no Qt and no SQL
    "portal": ("app.ui", "app.cli", "PySide6", "qasync", "sqlalchemy"),
    "ui": ("app.portal",),
}


def imports_of(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_nothing_above_it(layer):
    offenders = []
    for path in (APP / layer).rglob("*.py"):
        for name in imports_of(path):
            if any(name == f or name.startswith(f + ".") for f in FORBIDDEN[layer]):
                offenders.append(f"{path.relative_to(APP)} imports {name}")
    assert offenders == []


def test_no_widget_talks_sql():
    offenders = []
    for path in (APP / "ui").rglob("*.py"):
        if path.name == "ops.py":
            continue
        for name in imports_of(path):
            # Knowing the database's error types (to word them for a clerk) is not SQL.
            if (
                name == "sqlalchemy" or name.startswith("sqlalchemy.")
            ) and name != "sqlalchemy.exc":
                offenders.append(f"{path.relative_to(APP)} imports {name}")
    assert offenders == []


# --- import circles --------------------------------------------------------------------------
# A module that imports another, at the top or inside a function, needs it to run: a lazy import
# only delays the circle to the first call. Only `if TYPE_CHECKING:` blocks are left out (they
# never run).


def module_name(path: Path, root: Path = APP) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(tree: ast.AST, type_checking: bool):
    """Every Import/ImportFrom node that runs (and those of `if TYPE_CHECKING:` blocks if asked)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif isinstance(node, ast.If) and _is_type_checking(node.test) and not type_checking:
            stack.extend(node.orelse)
        else:
            stack.extend(ast.iter_child_nodes(node))


def import_graph(root: Path = APP, type_checking: bool = False) -> dict[str, set[str]]:
    """Module → the modules of `root`'s package it imports (`from pkg import module` counts as
    importing that module; relative imports resolved). `type_checking` adds the imports made
    for annotations only."""
    files = {module_name(p, root): p for p in root.rglob("*.py")}
    top = root.name

    def known(name: str) -> str | None:
        # `from app.comm.types import Action` names app.comm.types; the longest module prefix.
        while name and name not in files:
            name = name.rpartition(".")[0]
        return name or None

    graph = {}
    for name, path in files.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets = set()
        for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8")), type_checking):
            if isinstance(node, ast.Import):
                bases = [a.name for a in node.names]
            else:
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(up + ([base] if base else []))
                bases = [
                    f"{base}.{a.name}" if f"{base}.{a.name}" in files else base for a in node.names
                ]
            for base in bases:
                if base == top or base.startswith(top + "."):
                    target = known(base)
                    if target and target != name:
                        targets.add(target)
        graph[name] = targets
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each group of modules that import one another in a circle (Tarjan's strongly connected
    components of more than one module), sorted."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def one_circle(graph: dict[str, set[str]], group: list[str]) -> list[str]:
    """A shortest way round inside `group`, from its first module back to it: the path to read."""
    start, members = group[0], set(group)
    came_from, frontier = {start: None}, [start]
    while frontier:
        nxt = []
        for v in frontier:
            for w in sorted(graph[v] & members):
                if w == start:
                    path = []
                    while v is not None:
                        path.append(v)
                        v = came_from[v]
                    return path[::-1] + [start]
                if w not in came_from:
                    came_from[w] = v
                    nxt.append(w)
        frontier = nxt
    return group


def test_no_import_circles():
    graph = import_graph()
    found = [
        " → ".join(one_circle(graph, g)) + f"  (circle of {len(g)}: {', '.join(g)})"
        for g in circles(graph)
    ]
    assert not found, "import circles:\n" + "\n".join(found)


def test_the_circle_finder_sees_lazy_relative_and_package_imports(tmp_path):
    pkg = tmp_path / "app"
    (pkg / "comm").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "comm" / "__init__.py").write_text("")
    (pkg / "comm" / "poller.py").write_text("from . import channels\n")
    (pkg / "comm" / "channels.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from app.comm.dialin import X\n"
        "def build():\n    from app.comm.dialin import build_dialin\n"
    )
    (pkg / "comm" / "dialin.py").write_text("from ..comm.poller import Poller\n")
    (pkg / "comm" / "types.py").write_text("if TYPE_CHECKING:\n    from app.comm import poller\n")
    graph = import_graph(pkg)
    assert graph["app.comm.poller"] == {"app.comm.channels"}
    assert graph["app.comm.channels"] == {"app.comm.dialin"}
    assert graph["app.comm.types"] == set()
    assert circles(graph) == [["app.comm.channels", "app.comm.dialin", "app.comm.poller"]]
    assert one_circle(graph, circles(graph)[0]) == [
        "app.comm.channels",
        "app.comm.dialin",
        "app.comm.poller",
        "app.comm.channels",
    ]


# What the command line may take from app.models: opening the database, the money format
# and its errors, and the enums its options name. Everything it reads or changes goes
# through the services, as the client's does.
CLI_MAY_IMPORT_FROM_MODELS = {
    "app.models.db": "opens the database from --db and upgrades its schema",
    "app.models.money": "formats yuan and words an amount the parser refused",
    "app.models.account": "PayMethod, the enum --method names",
    "app.models.user": "Role, the enum --role names",
    "app.models.labels": "the words of those enums, the one label table per enum",
}


# What the portal may take from app.models: the Database it is given and the money format.
PORTAL_MAY_IMPORT_FROM_MODELS = {
    "app.models.db": "create_app(db: Database)",
    "app.models.money": "formats yuan",
}


def test_the_portal_asks_the_services():
    offenders = [
        f"{path.relative_to(APP)} imports {name}"
        for path in (APP / "portal").rglob("*.py")
        for name in imports_of(path)
        if name.startswith("app.models") and name not in PORTAL_MAY_IMPORT_FROM_MODELS
    ]
    assert offenders == []


def test_the_command_line_asks_the_services():
    offenders = []
    for path in (APP / "cli").rglob("*.py"):
        for name in imports_of(path):
            if (
                name == "sqlalchemy" or name.startswith("sqlalchemy.")
            ) and name != "sqlalchemy.exc":
                offenders.append(f"{path.relative_to(APP)} imports {name}")
            elif name.startswith("app.models") and name not in CLI_MAY_IMPORT_FROM_MODELS:
                offenders.append(f"{path.relative_to(APP)} imports {name}")
    assert offenders == []
