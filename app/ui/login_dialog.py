"""Sign in (登录): user name and password; the role decides what the clerk may do."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.platform import users
from app.services.platform.context import Actor
from app.ui.errors import error_text
from app.ui.ops import DbOp
from app.ui.password_dialog import ChangePasswordDialog


class LoginDialog(QDialog):
    signed_in = Signal(object)  # Actor
    failed = Signal(str)

    def __init__(self, site_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.actor: Actor | None = None
        self.setWindowTitle(self.tr("MarketMeter — sign in"))
        title = QLabel(site_name or self.tr("MarketMeter"))
        title.setStyleSheet("font-size: 15pt; font-weight: bold;")
        self.username = QLineEdit(QSettings().value("login/last_user", ""), self)
        self.username.setObjectName("username")
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel(self)
        self.message.setObjectName("message")
        self.message.setStyleSheet("color: #c0392b;")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Password"), self.password)
        self.buttons = QDialogButtonBox(self)
        self.ok = self.buttons.addButton(self.tr("Sign in"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.tr("Quit"), QDialogButtonBox.ButtonRole.RejectRole)
        self.ok.setDefault(True)
        self.buttons.accepted.connect(self.try_login)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        (self.password if self.username.text() else self.username).setFocus()

    def try_login(self) -> None:
        username, password = self.username.text().strip(), self.password.text()
        if not username:
            self.message.setText(self.tr("Type your user name."))
            return
        if not password and self.focusWidget() is self.username:
            self.password.setFocus()  # Enter after the user name goes on to the password
            return
        self.ok.setEnabled(False)
        self.message.setText(self.tr("Checking …"))

        def body(s):
            actor = users.login(s, username, password)
            return actor, users.must_change_password(s, actor)

        DbOp(self, body).success(lambda result: self._ok(*result, password)).failure(
            self._failed
        ).run()

    def _ok(self, actor: Actor, must_change_password: bool, password: str) -> None:
        if must_change_password:
            self._choose_own_password(actor, password)
            return
        self._signed_in(actor)

    def _choose_own_password(self, actor: Actor, reset_password: str) -> None:
        """After an administrator's reset the clerk signs in once the password is their own."""
        self.password_dialog = ChangePasswordDialog(self, actor, reset_password=reset_password)
        self.password_dialog.saved.connect(lambda _row: self._signed_in(actor))
        self.password_dialog.rejected.connect(self._not_changed)
        self.password_dialog.open()

    def _not_changed(self) -> None:
        self._failed_with(self.tr("Choose your own password to sign in."))

    def _signed_in(self, actor: Actor) -> None:
        QSettings().setValue("login/last_user", actor.username)
        self.actor = actor
        self.signed_in.emit(actor)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._failed_with(error_text(error))

    def _failed_with(self, text: str) -> None:
        self.ok.setEnabled(True)
        self.message.setText(text)
        self.password.clear()
        self.password.setFocus()
        self.failed.emit(self.message.text())
