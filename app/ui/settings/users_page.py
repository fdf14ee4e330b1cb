"""Users and roles: add a clerk, change a role, reset a password, unlock one locked after
wrong passwords, disable (admin only).
The services keep the site's last active admin. Also who may approve the monthly ledger:
four eyes by default, or the submitter too in a one-person office (stored for the site)."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QWidget

from app.models.user import Role
from app.services.money import monthly_ledger
from app.services.platform import users
from app.services.platform.context import Changes, May
from app.services.platform.users import UserRow
from app.ui.errors import show_error
from app.ui.labels import label, yes_no
from app.ui.ops import DbOp, QueryOp
from app.ui.settings.page import RecordDialog, TablePage
from app.ui.tables.columns import CENTER, Column, local_time


def locked_until(value: datetime | None) -> str:
    """Only a lock that has not ended yet: an ended one is no business of the administrator."""
    return local_time(value) if value is not None and value > datetime.now(UTC) else ""


COLUMNS = [
    Column("username", QT_TRANSLATE_NOOP("Columns", "User name"), width=120),
    Column("display_name", QT_TRANSLATE_NOOP("Columns", "Name"), width=120),
    Column("role", QT_TRANSLATE_NOOP("Columns", "Role"), label, CENTER, width=90),
    Column("is_active", QT_TRANSLATE_NOOP("Columns", "Active"), yes_no, CENTER, width=60),
    Column("created_at", QT_TRANSLATE_NOOP("Columns", "Created"), local_time, width=130),
    Column("locked_until", QT_TRANSLATE_NOOP("Columns", "Locked until"), locked_until, width=130),
]


def role_combo(parent: QWidget, current: Role | None = None) -> QComboBox:
    combo = QComboBox(parent)
    for r in Role:
        combo.addItem(label(r), r.value)
    if current is not None:
        combo.setCurrentIndex(combo.findData(current.value))
    return combo


def password_pair(dialog: RecordDialog) -> tuple[QLineEdit, QLineEdit]:
    edits = QLineEdit(dialog), QLineEdit(dialog)
    for e in edits:
        e.setEchoMode(QLineEdit.EchoMode.Password)
    return edits


def same_password(first: QLineEdit, second: QLineEdit) -> str:
    return users.confirmed_password(first.text(), second.text())


class NewUserDialog(RecordDialog):
    CHANGES = Changes.USERS

    def __init__(self, parent: QWidget, actor):
        super().__init__(parent, self.tr("New user"))
        self.actor = actor
        self.username = QLineEdit(self)
        self.display_name = QLineEdit(self)
        self.password, self.password2 = password_pair(self)
        self.role = role_combo(self, Role.CASHIER)
        self.form.addRow(self.tr("User name"), self.username)
        self.form.addRow(self.tr("Name"), self.display_name)
        self.form.addRow(self.tr("Password"), self.password)
        self.form.addRow(self.tr("Password again"), self.password2)
        self.form.addRow(self.tr("Role"), self.role)

    def body(self):
        actor, u, n = self.actor, self.username.text().strip(), self.display_name.text().strip()
        p, r = same_password(self.password, self.password2), Role(self.role.currentData())
        return lambda s: users.add_user(s, actor, u, p, r, n)


class RoleDialog(RecordDialog):
    CHANGES = Changes.USERS

    def __init__(self, parent: QWidget, actor, row: UserRow):
        super().__init__(parent, self.tr("Change role"))
        self.actor, self.row = actor, row
        self.role = role_combo(self, row.role)
        self.form.addRow(self.tr("User"), QLabel(row.username, self))
        self.form.addRow(self.tr("Role"), self.role)

    def body(self):
        actor, user_id, role = self.actor, self.row.id, Role(self.role.currentData())
        return lambda s: users.change_role(s, actor, user_id, role)


class PasswordDialog(RecordDialog):
    CHANGES = Changes.USERS

    def __init__(self, parent: QWidget, actor, row: UserRow):
        super().__init__(parent, self.tr("Reset password"))
        self.actor, self.row = actor, row
        self.password, self.password2 = password_pair(self)
        self.form.addRow(self.tr("User"), QLabel(row.username, self))
        self.form.addRow(self.tr("New password"), self.password)
        self.form.addRow(self.tr("Password again"), self.password2)
        note = QLabel(
            self.tr(
                "Tell the user this password; at the next sign-in they choose their own. "
                "A lock after wrong passwords ends too."
            ),
            self,
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        self.form.addRow(note)

    def body(self):
        actor, user_id, p = self.actor, self.row.id, same_password(self.password, self.password2)
        return lambda s: users.set_password(s, actor, user_id, p)


class UsersPage(TablePage):
    NAME = "users"
    TITLE = QT_TRANSLATE_NOOP("Settings", "Users and roles")
    SORT_ORDER = 60

    def __init__(self, client, parent=None):
        super().__init__(client, parent)
        self.build_table(
            COLUMNS,
            "settings_users",
            self.tr("Add user …"),
            self.tr("Change role …"),
            add=May.ADD_USERS,
            edit=May.CHANGE_USER_ROLES,
            hide_when_read_only=True,
            more=(
                (self.tr("Reset password …"), self.reset_password, May.CHANGE_OTHER_PASSWORDS),
                (self.tr("Unlock"), self.unlock, May.UNLOCK_USERS),
                (self.tr("Disable …"), self.disable, May.DEACTIVATE_USERS),
            ),
        )
        # Short enough for the counter PC's 1024 px; the rest is said in the tooltip.
        self.submitter_may_approve = QCheckBox(
            self.tr("One-person office: the submitter may approve the month"), self
        )
        self.submitter_may_approve.setToolTip(
            self.tr(
                "Off (the default): another person approves each month (four eyes). On: whoever "
                "submits the monthly "
                "ledger may also approve it, and the ledger then says “approved by the submitter”."
            )
        )
        self.submitter_may_approve.setEnabled(self.client.may(May.CHANGE_MONTHLY_APPROVAL_RULE))
        self.submitter_may_approve.clicked.connect(self.set_submitter_may_approve)
        self.layout().insertWidget(1, self.submitter_may_approve)

    def load(self) -> None:
        site_id = self.client.site_id
        QueryOp(
            self,
            lambda s: (
                users.list_users(s, site_id),
                monthly_ledger.submitter_may_approve(s, site_id),
            ),
        ).success(self._loaded).run()

    def _loaded(self, result) -> None:
        rows, allowed = result
        self.model.set_rows(rows)
        self.submitter_may_approve.setChecked(allowed)

    def set_submitter_may_approve(self, allowed: bool) -> None:
        actor = self.client.actor
        # The box already shows the new value; only a refusal reloads what is stored.
        DbOp(
            self,
            lambda s: monthly_ledger.set_submitter_may_approve(s, actor, allowed),
            changes=Changes.SETTINGS | Changes.LEDGER_MONTHS,
        ).failure(self._not_saved).run()

    def _not_saved(self, error: BaseException) -> None:
        show_error(self, error)
        self.load()

    def edit(self, row: UserRow | None) -> None:
        if not self.client.may(May.ADD_USERS if row is None else May.CHANGE_USER_ROLES):
            return
        actor = self.client.actor
        self.open_dialog(
            NewUserDialog(self, actor) if row is None else RoleDialog(self, actor, row)
        )

    def reset_password(self, row: UserRow) -> None:
        self.open_dialog(PasswordDialog(self, self.client.actor, row))

    def unlock(self, row: UserRow) -> None:
        """A clerk locked after wrong passwords may sign in again at once."""
        actor = self.client.actor
        self.run(lambda s: users.unlock(s, actor, row.id), Changes.USERS)

    def disable(self, row: UserRow) -> None:
        if self.confirm(
            self.tr("Disable user"),
            self.tr("Disable %1? The user can no longer sign in; their receipts stay.").replace(
                "%1", row.username
            ),
        ):
            actor = self.client.actor
            self.run(lambda s: users.deactivate(s, actor, row.id), Changes.USERS)
