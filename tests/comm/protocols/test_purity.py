"""The codecs are pure (STYLE.md §3, DESIGN.md layers): no Qt, DB, sockets, serial, clock."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
CODEC_FILES = sorted((ROOT / "app/comm/protocols").glob("*.py")) + [ROOT / "app/comm/profiles.py"]
FORBIDDEN = (
    "PySide6",
    "sqlalchemy",
    "socket",
    "asyncio",
    "serial",
    "requests",
    "urllib.request",
    "time",
    "app.models",
)


@pytest.mark.parametrize("path", CODEC_FILES, ids=lambda p: p.name)
def test_codec_imports_nothing_impure(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            continue
        for name in names:
            assert not any(name == f or name.startswith(f + ".") for f in FORBIDDEN), (
                f"{path.name} imports {name}"
            )


@pytest.mark.parametrize("path", CODEC_FILES, ids=lambda p: p.name)
def test_codec_never_reads_the_clock(path):
    source = path.read_text(encoding="utf-8")
    assert ".now(" not in source and "utcnow" not in source and "time.time" not in source
