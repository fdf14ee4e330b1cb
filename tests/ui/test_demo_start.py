"""The first --demo start shows its main window at once and fills the history in behind it,
the progress in the status bar; closing the window mid-fill leaves a consistent market."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QProgressBar

from app.demo import run
from app.services.money.ledger import balances_off_ledger
from app.ui import main
from app.ui.main_window import MainWindow


def test_the_main_window_shows_while_the_history_fills_and_closing_it_stops_the_fill(
    qapp, tmp_path, monkeypatch, language
):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    monkeypatch.setattr(
        run, "DemoMarket", partial(run.DemoMarket, url, electric=40, water=20, months=2)
    )
    refreshed: list[int] = []
    progress: list[int] = []
    texts: set[str] = set()
    watched: list[MainWindow] = []

    def watch() -> None:  # runs only while the GUI thread stays free during the fill
        window = next(
            (w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)), None
        )
        if window is None or not window.isVisible():
            QTimer.singleShot(20, watch)
            return
        if not watched:
            watched.append(window)
            window.client.comm.changed.connect(refreshed.append)  # what the views reload on
        bar = window.findChild(QProgressBar, "demoFillProgress")
        if bar is not None and bar.isVisible():
            progress.append(bar.value())
            texts.add(bar.text())
        elif progress:
            window.close()  # the fill ended before it was seen twice: the asserts below fail
            return
        if len([p for p in progress if p > 0]) >= 2 and refreshed:
            window.close()  # mid-fill
        else:
            QTimer.singleShot(20, watch)

    QTimer.singleShot(0, watch)
    args = main.argparse.Namespace(
        db=None, demo=True, demo_speed=None, collect=False, screenshot=None, view=None, lang="en"
    )
    assert main.run_client(args) == 0

    assert progress and progress[0] < 100 and max(progress) > progress[0]  # it moved on
    assert all(t.startswith("Generating the demo data ") for t in texts), texts
    market = run.DemoMarket()
    history = market.history()
    assert 0 < history.done < history.days  # the window showed long before the fill ended
    with market.db.reading() as s:
        assert balances_off_ledger(s) == []
    market.db.dispose()
