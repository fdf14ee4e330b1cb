"""Change my password (修改密码): the signed-in user chooses a new password, after the current
one; also shown at sign-in after an administrator reset the password."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from app.services.platform import users
from app.services.platform.context import Actor, Changes
from app.ui.settings.page import RecordDialog
from app.ui.settings.users_page import password_pair


class ChangePasswordDialog(RecordDialog):
    CHANGES = Changes.USERS

    def __init__(self, parent: QWidget, actor: Actor, *, reset_password: str | None = None):
        """`reset_password`: the password an administrator set, just typed at sign-in; the
        dialog then does not ask for it again and says why a new one is needed."""
        super().__init__(parent, self.tr("Change my password"))
        self.setObjectName("change_password")
        self.actor, self.reset_password = actor, reset_password
        self.current = QLineEdit(self)
        self.current.setEchoMode(QLineEdit.EchoMode.Password)
        self.password, self.password2 = password_pair(self)
        if reset_password is None:
            self.form.addRow(self.tr("User"), QLabel(actor.username, self))
            self.form.addRow(self.tr("Current password"), self.current)
        else:
            self.current.hide()
            why = QLabel(
                self.tr(
                    "An administrator has reset your password. Choose your own password now: "
                    "only you should know it."
                ),
                self,
            )
            why.setWordWrap(True)
            self.form.addRow(why)
        self.form.addRow(self.tr("New password"), self.password)
        self.form.addRow(self.tr("New password again"), self.password2)
        rule = QLabel(
            self.tr("At least %1 characters, not digits only.").replace(
                "%1", str(users.MIN_PASSWORD)
            ),
            self,
        )
        rule.setStyleSheet("color: #555;")
        self.form.addRow("", rule)

    def body(self):
        actor = self.actor
        current = self.current.text() if self.reset_password is None else self.reset_password
        new, again = self.password.text(), self.password2.text()
        return lambda s: users.change_own_password(s, actor, current, new, again)
