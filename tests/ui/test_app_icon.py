"""The program's icon on every window (the title bar and the taskbar)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.ui.main import APP_ICON, make_app


def test_every_window_shows_the_program_icon(qtbot):
    assert APP_ICON.is_file()
    app = make_app()
    window = QWidget()
    qtbot.addWidget(window)
    icon = window.windowIcon()
    assert not icon.isNull()
    assert app.windowIcon().cacheKey() == icon.cacheKey()
    pixmap = icon.pixmap(32, 32)
    assert pixmap.width() == 32
    # the drawn icon (a blue face), not Qt's empty default
    edge = pixmap.toImage().pixelColor(4, 16)
    assert edge.alpha() == 255 and edge.blue() > 150 and edge.red() < 100
