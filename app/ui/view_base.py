"""What the main window needs from a view: a title, a `loaded` signal, a refresh."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from app.services.platform.context import Changes
from app.ui.client import Client, touches


class View(QWidget):
    """A page of the main window. Subclasses set `cares_about` and implement `refresh()`;
    they emit `loaded` each time their data has arrived (tests and --screenshot wait on it).
    `live_cares_about`: what the comm thread stores (readings, command results) that makes
    the view refresh by itself; empty for views that update row by row or would reload
    thousands of rows. When the comm side's changes were missed (the bridge's `missed`),
    every view reloads. What another clerk's client stored (the bridge's `others_changed`)
    refreshes a view as its own changes do, in the background; a view that can re-read
    just the rows named overrides `others_changed`."""

    loaded = Signal()
    cares_about: tuple[Changes, ...] = ()
    live_cares_about: tuple[Changes, ...] = ()

    def __init__(self, client: Client, parent: QWidget | None = None):
        super().__init__(parent)
        self.client = client
        self.is_loaded = False
        self._stale = False
        client.changes_applied.connect(self._on_changes)
        client.comm.changed.connect(self._on_live_changes)
        client.comm.missed.connect(self._reload_live)
        client.comm.others_changed.connect(self.others_changed)

    def refresh(self) -> None:
        raise NotImplementedError

    def mark_loaded(self) -> None:
        self.is_loaded = True
        self.loaded.emit()

    def _on_changes(self, flags: int) -> None:
        if touches(flags, *self.cares_about):
            if self.isVisible():
                self.refresh()
            else:
                self._stale = True  # refreshed when shown again

    def others_changed(self, flags: int, unnamed: int, stall_ids: list[int]) -> None:
        if touches(flags, *self.cares_about):
            self._reload_live()

    def _on_live_changes(self, flags: int) -> None:
        if touches(flags, *self.live_cares_about):
            self._reload_live()

    def _reload_live(self) -> None:
        if self.isVisible() and self.is_loaded:
            with self.client.runner.background():
                self.refresh()
        else:
            self._stale = True

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.refresh()
