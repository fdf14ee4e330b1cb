"""`python -m app --db … --screenshot out.png --view meters` writes a picture of the view, with
its rows, and exits 0."""

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

from app.models.db import Database
from tests.builders import Market
from tests.ui.conftest import add_meters

ROOT = Path(__file__).resolve().parents[2]


def screenshot(db_url: str, folder: Path) -> QImage:
    folder.mkdir()
    out = folder / "out.png"
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(folder / "cfg"),
        XDG_DATA_HOME=str(folder / "data"),
        HOME=str(folder),
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "app",
            "--db",
            db_url,
            "--screenshot",
            str(out),
            "--view",
            "meters",
            "--lang",
            "en",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    image = QImage(str(out))
    assert not image.isNull() and image.width() >= 800
    return image


def ink_per_row(image: QImage) -> list[int]:
    """How many dark (text) pixels each pixel row of the view's part of the picture holds
    (right of the navigation list, whose lines would run into the table's)."""
    image = image.convertToFormat(QImage.Format.Format_Grayscale8)
    width, stride = image.width(), image.bytesPerLine()
    data = bytes(image.constBits())[: stride * image.height()]
    left = width // 6
    return [
        sum(1 for v in data[y * stride + left : y * stride + width] if v < 110)
        for y in range(image.height())
    ]


def text_lines(ink: list[int]) -> int:
    """Bands of pixel rows with text in them, each a line of text on the screen."""
    lines, inside = 0, False
    for count in ink:
        if count and not inside:
            lines += 1
        inside = bool(count)
    return lines


def test_screenshot_of_the_meters_view_shows_its_rows(sqlite_db, market, tmp_path):
    add_meters(sqlite_db, market, 5)
    shown = screenshot(sqlite_db.url, tmp_path / "five")
    # The same market without meters: the window's frame, menu and buttons, but no rows.
    empty_db = Database(f"sqlite:///{tmp_path / 'empty.db'}")
    empty_db.upgrade()
    Market(empty_db)
    try:
        empty = screenshot(empty_db.url, tmp_path / "none")
    finally:
        empty_db.dispose()
    ink, empty_ink = ink_per_row(shown), ink_per_row(empty)
    assert sum(empty_ink) > 0  # the picture of a window has text at all (a blank one has none)
    # five meters are five more lines of text than none: a blank or still-loading view has none of
    # them
    assert text_lines(ink) >= text_lines(empty_ink) + 5, (text_lines(ink), text_lines(empty_ink))
    assert sum(ink) > sum(empty_ink) * 1.2
