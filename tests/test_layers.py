"""Dependencies point down only (DESIGN.md: ui → services → models → comm)."""

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"

FORBIDDEN = {
    "comm": ("app.models", "app.services", "app.ui", "PySide6", "sqlalchemy", "qasync"),
    "models": ("app.services", "app.ui", "PySide6", "qasync"),
    "services": ("app.ui", "PySide6", "qasync"),
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
            if (name == "sqlalchemy" or name.startswith("sqlalchemy.")) and name != "sqlalchemy.exc":
                offenders.append(f"{path.relative_to(APP)} imports {name}")
    assert offenders == []


# What the command line may take from app.models: opening the database, the money format
# and its errors, and the enums its options name. Everything it reads or changes goes
# through the services, as the client's does.
CLI_MAY_IMPORT_FROM_MODELS = {
    "app.models.db": "opens the database from --db and upgrades its schema",
    "app.models.money": "formats yuan and words an amount the parser refused",
    "app.models.account": "PayMethod, the enum --method names",
    "app.models.user": "Role, the enum --role names",
}


def test_the_command_line_asks_the_services():
    offenders = []
    for path in (APP / "cli").rglob("*.py"):
        for name in imports_of(path):
            if (name == "sqlalchemy" or name.startswith("sqlalchemy.")) and name != "sqlalchemy.exc":
                offenders.append(f"{path.relative_to(APP)} imports {name}")
            elif name.startswith("app.models") and name not in CLI_MAY_IMPORT_FROM_MODELS:
                offenders.append(f"{path.relative_to(APP)} imports {name}")
    assert offenders == []
