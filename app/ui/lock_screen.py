"""The counter PC's lock (锁屏): after an idle time the window hides behind a lock screen that
asks the signed-in clerk's password again; what was open (a half-typed recharge) stays as it
was behind it. Another clerk may sign in instead from the same screen (switch user)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.platform import users
from app.services.platform.context import Actor
from app.ui.errors import error_text
from app.ui.ops import DbOp

# What a person does at the keyboard or with the mouse; timers, paints and the views'
# own refreshes are not someone at the counter.
_INPUT = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)


class IdleWatch(QObject):
    """Emits `idle` once nobody used the program (any of its windows) for `timeout_ms`;
    any key or mouse input starts the time again. 0 = never."""

    idle = Signal()

    def __init__(self, parent: QObject, timeout_ms: int):
        super().__init__(parent)
        # precise: a coarse timer's remaining time is off by up to 5 %, seconds of 15 minutes
        self._timer = QTimer(self, singleShot=True, timerType=Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self.idle)
        self._is_paused = True
        QApplication.instance().installEventFilter(self)
        self.set_timeout_ms(timeout_ms)

    @property
    def timeout_ms(self) -> int:
        return self._timeout_ms

    def set_timeout_ms(self, timeout_ms: int) -> None:
        self._timeout_ms = max(0, int(timeout_ms))
        self._timer.setInterval(self._timeout_ms)
        self._restart()

    def watch(self) -> None:
        """Count idle time from now (after sign-in, after unlocking)."""
        self._is_paused = False
        self._restart()

    def pause(self) -> None:
        """Stop counting (while locked or signed out: nothing to lock)."""
        self._is_paused = True
        self._timer.stop()

    def _restart(self) -> None:
        if self._is_paused or not self._timeout_ms:
            self._timer.stop()
        else:
            self._timer.start()

    def remaining_ms(self) -> int:
        return self._timer.remainingTime() if self._timer.isActive() else -1

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() in _INPUT and self._timer.isActive():
            self._timer.start()
        return False


class LockScreen(QDialog):
    """Covers the main window and blocks every window of the program until the signed-in
    user's password is typed (the sign-in service checks it, so wrong ones count towards
    the lock after five), or another user chooses to sign in instead."""

    unlocked = Signal(object)  # the Actor
    switch_user = Signal()
    failed = Signal(str)

    def __init__(self, window: QWidget):
        super().__init__(window, Qt.WindowType.Dialog | Qt.WindowType.FramelessWindowHint)
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setObjectName("lock_screen")
        self.setStyleSheet(
            "QDialog#lock_screen { background: #2c3e50; }"
            "QFrame#lock_panel { background: white; border-radius: 6px; }"
        )
        self.actor: Actor | None = None
        panel = QFrame(self)
        panel.setObjectName("lock_panel")
        panel.setFixedWidth(420)
        title = QLabel(self.tr("MarketMeter is locked"), panel)
        title.setStyleSheet("font-size: 15pt; font-weight: bold;")
        self.who = QLabel(panel)
        self.who.setWordWrap(True)
        note = QLabel(
            self.tr(
                "Type your password to go on: what was open stays as it was. Another user "
                "may sign in instead."
            ),
            panel,
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        self.password = QLineEdit(panel)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("Password"))
        self.password.returnPressed.connect(self.try_unlock)
        self.message = QLabel(panel)
        self.message.setObjectName("message")
        self.message.setStyleSheet("color: #c0392b;")
        self.message.setWordWrap(True)
        self.unlock_button = QPushButton(self.tr("Unlock"), panel)
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.try_unlock)
        self.switch_button = QPushButton(self.tr("Switch user …"), panel)
        self.switch_button.clicked.connect(self._switch)
        buttons = QHBoxLayout()
        buttons.addWidget(self.switch_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        inner = QVBoxLayout(panel)
        inner.setContentsMargins(24, 20, 24, 20)
        inner.setSpacing(10)
        for widget in (title, self.who, note, self.password, self.message):
            inner.addWidget(widget)
        inner.addLayout(buttons)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(panel, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)

    def lock(self, actor: Actor, shown_name: str) -> None:
        self.actor = actor
        self.who.setText(
            self.tr("Signed in: %1 (%2)").replace("%1", shown_name).replace("%2", actor.username)
        )
        self.password.clear()
        self.message.clear()
        self.unlock_button.setEnabled(True)
        window = self.parentWidget()
        self.setGeometry(window.frameGeometry() if window.isVisible() else window.geometry())
        self.show()
        self.raise_()
        self.activateWindow()
        self.password.setFocus()

    def try_unlock(self) -> None:
        password, username = self.password.text(), self.actor.username
        if not password:
            self.message.setText(self.tr("Type your password."))
            return
        self.unlock_button.setEnabled(False)
        self.message.setText(self.tr("Checking …"))
        DbOp(self, lambda s: users.login(s, username, password)).success(self._ok).failure(
            self._failed
        ).run()

    def _ok(self, actor: Actor) -> None:
        self.hide()
        self.unlocked.emit(actor)

    def _failed(self, error: BaseException) -> None:
        self.unlock_button.setEnabled(True)
        self.message.setText(error_text(error))
        self.password.clear()
        self.password.setFocus()
        self.failed.emit(self.message.text())

    def _switch(self) -> None:
        self.hide()
        self.switch_user.emit()

    def reject(self) -> None:
        """Escape does not take the lock away."""

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        event.ignore()  # neither does Alt+F4
