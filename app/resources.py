"""Where the program's files are: meter profiles, fonts, translations, the catalogue, the
schema migrations.

One place, so that a frozen program (PyInstaller unpacks them into `sys._MEIPASS`, see
installer/marketmeter.spec) and a checkout find them alike.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

BUNDLE = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parents[1]))
RESOURCES = BUNDLE / "resources"
# Alembic reads env.py and the revisions as source files (the spec ships them as data)
MIGRATIONS = BUNDLE / "app" / "models" / "migrations"

BUNDLED_CJK_FONT = RESOURCES / "fonts" / "wqy-microhei.ttc"
# Windows' own Chinese fonts, in order: Microsoft YaHei (Windows' UI font since Vista), SimSun
WINDOWS_CJK_FONTS = ("msyh.ttc", "simsun.ttc")


def cjk_font_file(platform: str | None = None, windir: str | None = None) -> Path:
    """The Chinese font of the client and of the PDFs: on Windows the one the clerk sees in
    every other program (Microsoft YaHei, else SimSun, from %WINDIR%\\Fonts); elsewhere, or
    when neither is there, the bundled WenQuanYi Micro Hei."""
    if (platform or sys.platform) == "win32":
        fonts = Path(windir or os.environ.get("WINDIR") or "C:\\Windows") / "Fonts"
        for name in WINDOWS_CJK_FONTS:
            if (fonts / name).is_file():
                return fonts / name
    return BUNDLED_CJK_FONT
