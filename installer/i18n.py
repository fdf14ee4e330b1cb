"""Refresh resources/i18n/*.ts, the program's one catalogue of words, from the texts marked in
app/ (tr() and QT_TRANSLATE_NOOP, see app/words.py) and compile them to .qm.

Run after adding or changing a text: `python installer/i18n.py`, then fill in the
new <translation> elements (Qt Linguist or any editor) and run it again. No source
locations are written, so the .ts file changes only where a text changes.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
I18N = ROOT / "resources" / "i18n"


def tool(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "app").rglob("*.py"))


def update(ts: Path) -> None:
    subprocess.run(
        [tool("pyside6-lupdate"), "-locations", "none", "-no-obsolete", *sources(), "-ts", str(ts)],
        cwd=ROOT,
        check=True,
    )


def release(ts: Path) -> None:
    subprocess.run(
        [tool("pyside6-lrelease"), str(ts), "-qm", str(ts.with_suffix(".qm"))], cwd=ROOT, check=True
    )


def main() -> None:
    for ts in sorted(I18N.glob("*.ts")):
        update(ts)
        release(ts)


if __name__ == "__main__":
    main()
