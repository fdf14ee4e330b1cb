"""The demo's history filling in behind its main window.

The first --demo start lays out the market (under a second) and shows the window; the three
months of readings, settlements, recharges and bills follow on a worker thread, one day per
transaction (so balances equal the ledger between any two days), with a progress bar in the
status bar while the views refresh as days arrive. Closing the window stops the fill after
the day it is on; the next start carries on from there.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QMainWindow, QProgressBar

from app.services.platform.context import Changes
from app.ui.comm.bridge import CommBridge
from app.ui.errors import error_text

log = logging.getLogger(__name__)

FILLED = Changes.BALANCES | Changes.READINGS | Changes.BILLS | Changes.METERS | Changes.COMMANDS


class DemoFill(QObject):
    """Fills `market`'s history on a worker thread; `finished(error or None)` on the GUI
    thread once it is complete (not when it was stopped)."""

    step = Signal(int, int)
    finished = Signal(object)

    def __init__(self, window: QMainWindow, market, bridge: CommBridge) -> None:
        super().__init__(window)
        self.window, self.market, self.bridge = window, market, bridge
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.bar = QProgressBar()
        self.bar.setObjectName("demoFillProgress")
        self.bar.setRange(0, 100)
        self.bar.setFormat(self.tr("Generating the demo data %p%"))
        self.bar.setMinimumWidth(200)
        self.step.connect(self._show_step, Qt.ConnectionType.QueuedConnection)
        self.finished.connect(self._done, Qt.ConnectionType.QueuedConnection)

    @property
    def is_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, then: Callable[[], None] | None = None) -> None:
        """Start filling; `then()` on the GUI thread once the history is complete."""
        if then is not None:
            self.finished.connect(lambda error: error is None and then())
        self.show_progress()
        self._thread = threading.Thread(target=self._work, name="demo-fill", daemon=True)
        self._thread.start()

    def show_progress(self) -> None:
        """The progress bar in the status bar, at the days already filled."""
        history = self.market.history()
        self._show_step(history.done, history.days)
        self.window.statusBar().addPermanentWidget(self.bar)
        self.bar.show()

    def _work(self) -> None:
        try:
            if self.market.fill(on_step=self._filled_day, stop=self._stop):
                self.finished.emit(None)
        except BaseException as exc:  # noqa: BLE001 — shown in the status bar on the GUI thread
            log.exception("the demo history could not be filled")
            self.finished.emit(exc)

    def _filled_day(self, done: int, days: int) -> None:  # on the worker
        self.step.emit(done, days)
        self.bridge.on_changes(FILLED)  # the open views reload what they show

    @Slot(int, int)
    def _show_step(self, done: int, days: int) -> None:
        self.bar.setValue(100 * done // max(days, 1))

    @Slot(object)
    def _done(self, error) -> None:
        self.window.statusBar().removeWidget(self.bar)
        if error is not None:
            self.window.statusBar().showMessage(
                self.tr("The demo data could not be generated:") + " " + error_text(error)
            )

    def stop(self, timeout_s: float = 60.0) -> None:
        """Stop after the day being filled (committed or rolled back as one) and wait."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
