"""The first --demo start builds the demo market behind a progress dialog."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog

from app.demo.run import DemoMarket
from app.ui.main import build_with_progress


def test_the_demo_builds_on_a_worker_while_a_progress_dialog_counts_the_days(qapp, tmp_path):
    market = DemoMarket(f"sqlite:///{tmp_path / 'demo.db'}", electric=12, water=6, months=1)
    seen: list[int] = []

    def look() -> None:  # runs only if the GUI thread stays free during the build
        seen.extend(
            w.value()
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QProgressDialog) and w.isVisible()
        )

    timer = QTimer(interval=20)
    timer.timeout.connect(look)
    timer.start()
    try:
        build_with_progress(market, show=True)
    finally:
        timer.stop()
    assert market.is_built()
    assert seen and max(seen) > 0  # the dialog was shown and moved on day by day
    assert not any(
        isinstance(w, QProgressDialog) and w.isVisible() for w in QApplication.topLevelWidgets()
    )
    market.db.dispose()
