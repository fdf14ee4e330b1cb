"""Users and roles: add a clerk, change a role, set a password, deactivate (admin only)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QInputDialog, QLineEdit, QMessageBox, QPushButton, QVBoxLayout, QWidget

from app.models.user import Role
from app.services import users
from app.services.context import Changes
from app.services.users import UserRow
from app.ui.labels import label, yes_no
from app.ui.ops import DbOp
from app.ui.settings.page import SettingsPage
from app.ui.tables.columns import CENTER, Column, local_time
from app.ui.tables.filtered_table import FilteredTable
from app.ui.tables.row_model import RowTableModel

COLUMNS = [
    Column("username", QT_TRANSLATE_NOOP("Columns", "User name"), width=120),
    Column("display_name", QT_TRANSLATE_NOOP("Columns", "Name"), width=120),
    Column("role", QT_TRANSLATE_NOOP("Columns", "Role"), label, CENTER, width=90),
    Column("is_active", QT_TRANSLATE_NOOP("Columns", "Active"), yes_no, CENTER, width=60),
    Column("created_at", QT_TRANSLATE_NOOP("Columns", "Created"), local_time, width=130),
]


def role_combo(parent: QWidget, current: Role | None = None) -> QComboBox:
    combo = QComboBox(parent)
    for r in Role:
        combo.addItem(label(r), r.value)
    if current is not None:
        combo.setCurrentIndex(combo.findData(current.value))
    return combo


class NewUserDialog(QDialog):
    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setWindowTitle(self.tr("New user"))
        self.username = QLineEdit(self)
        self.display_name = QLineEdit(self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.role = role_combo(self, Role.CASHIER)
        form = QFormLayout()
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Name"), self.display_name)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("Role"), self.role)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)


class UsersPage(SettingsPage):
    NAME = "users"
    TITLE = QT_TRANSLATE_NOOP("Settings", "Users and roles")
    SORT_ORDER = 60

    def __init__(self, client, parent=None):
        super().__init__(client, parent)
        self.model = RowTableModel(COLUMNS, parent=self)
        self.table = FilteredTable("settings_users", self.model, self)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for text, slot in ((self.tr("Add user …"), self.add), (self.tr("Change role …"), self.change_role),
                           (self.tr("Set password …"), self.set_password), (self.tr("Deactivate"), self.deactivate)):
            b = QPushButton(text, self)
            b.clicked.connect(slot)
            b.setVisible(client.can_change_settings)
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)

    def load(self) -> None:
        DbOp(self, lambda s: users.list_users(s, self.client.site_id)).success(self.model.set_rows).run()

    def _run(self, body) -> None:
        DbOp(self, body, changes=Changes.USERS).success(lambda _r: self.load()).run()

    def _selected(self) -> UserRow | None:
        row = self.table.current_row()
        if row is None:
            QMessageBox.information(self, self.tr("Users"), self.tr("Select a user first."))
        return row

    def add(self) -> None:
        d = NewUserDialog(self)
        if d.exec():
            u, p, r, n = d.username.text().strip(), d.password.text(), Role(d.role.currentData()), d.display_name.text().strip()
            self._run(lambda s: users.add_user(s, self.client.actor, u, p, r, n))

    def change_role(self) -> None:
        row = self._selected()
        if row is None:
            return
        names = [label(r) for r in Role]
        choice, ok = QInputDialog.getItem(self, self.tr("Change role"), self.tr("New role of %1:").replace("%1", row.username),
                                          names, names.index(label(row.role)), False)
        if ok:
            role = list(Role)[names.index(choice)]
            self._run(lambda s: users.change_role(s, self.client.actor, row.id, role))

    def set_password(self) -> None:
        row = self._selected()
        if row is None:
            return
        password, ok = QInputDialog.getText(self, self.tr("Set password"), self.tr("New password of %1:").replace("%1", row.username),
                                            QLineEdit.EchoMode.Password)
        if ok:
            self._run(lambda s: users.set_password(s, self.client.actor, row.id, password))

    def deactivate(self) -> None:
        row = self._selected()
        if row is None:
            return
        if QMessageBox.question(self, self.tr("Deactivate user"),
                                self.tr("Deactivate %1? The user can no longer sign in; their receipts stay.").replace("%1", row.username)
                                ) == QMessageBox.StandardButton.Yes:
            self._run(lambda s: users.deactivate(s, self.client.actor, row.id))
