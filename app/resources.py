"""Where the program's files are: meter profiles, fonts, translations, the catalogue, the
schema migrations.

One place, so that a frozen program (PyInstaller unpacks them into `sys._MEIPASS`, see
installer/marketmeter.spec) and a checkout find them alike.
"""

from __future__ import annotations

import sys
from pathlib import Path

BUNDLE = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parents[1]))
RESOURCES = BUNDLE / "resources"
# Alembic reads env.py and the revisions as source files (the spec ships them as data)
MIGRATIONS = BUNDLE / "app" / "models" / "migrations"
