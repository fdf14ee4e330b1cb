"""The Chinese font (Windows' own, else the bundled one), loaded into Qt so Chinese never
shows as boxes."""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from app.services.office.receipts_render import FONT_PATH

log = logging.getLogger(__name__)
_family: str | None = None


def load_cjk_font() -> str:
    """Register the Chinese font once (app.resources.cjk_font_file); returns its family name."""
    global _family
    if _family is None:
        font_id = QFontDatabase.addApplicationFont(str(FONT_PATH))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if not families:
            log.warning("could not load %s; Chinese may fall back to a system font", FONT_PATH)
        _family = families[0] if families else QFont().defaultFamily()
    return _family


def cjk_family() -> str:
    return load_cjk_font()


def apply_app_font(app: QApplication) -> None:
    """Use the system UI font with the bundled Chinese font as the fallback for CJK."""
    family = load_cjk_font()
    font = app.font()
    font.setFamilies([font.family(), family] if font.family() != family else [family])
    font.setPointSize(max(font.pointSize(), 10))
    app.setFont(font)
