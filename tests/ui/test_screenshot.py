"""`python -m app --db … --screenshot out.png --view meters` writes a picture and exits 0."""

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

from tests.ui.conftest import add_meters

ROOT = Path(__file__).resolve().parents[2]


def test_screenshot_of_the_meters_view(sqlite_db, market, tmp_path):
    add_meters(sqlite_db, market, 5)
    out = tmp_path / "out.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "cfg"),
               XDG_DATA_HOME=str(tmp_path / "data"), HOME=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "-m", "app", "--db", sqlite_db.url, "--screenshot", str(out), "--view", "meters", "--lang", "en"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    image = QImage(str(out))
    assert not image.isNull() and image.width() >= 800
