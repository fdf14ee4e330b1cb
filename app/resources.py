"""Where the program's files are: meter profiles, fonts, translations, the catalogue.

One place, so that a frozen program (PyInstaller puts them beside the executable) and a
checkout find them alike.
"""

from __future__ import annotations

import sys
from pathlib import Path

RESOURCES = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parents[1])) / "resources"
