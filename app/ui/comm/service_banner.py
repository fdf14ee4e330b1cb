"""The line that says collection has stopped (抄表服务已停止 N 分钟（在 PC 名）), on the
overview and the comm monitor: the market's service beats every few seconds; once its
beat is late by more than two intervals, or it ended, every client shows this."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from app.ui.comm.bridge import CommBridge


class ServiceStoppedBanner(QLabel):
    def __init__(self, bridge: CommBridge, parent: QWidget | None = None):
        super().__init__(parent)
        self.bridge = bridge
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setStyleSheet(
            "background: #c0392b; color: white; font-size: 14pt; font-weight: bold; "
            "padding: 8px; border-radius: 4px;"
        )
        bridge.service_state_changed.connect(self.show_state)
        self.show_state()

    def show_state(self) -> None:
        stopped = self.bridge.service_stopped_text()
        self.setText(
            stopped
            and html.escape(stopped)
            + "<br><span style='font-size: 10pt; font-weight: normal;'>"
            + html.escape(
                self.tr(
                    "Readings, trips and commands wait until it runs again: start it on that "
                    "PC, or ask your administrator."
                )
            )
            + "</span>"
        )
        self.setVisible(bool(stopped))
