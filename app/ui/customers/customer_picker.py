"""Choose a stall's tenant (租户) or owner (业主) among the customers by typing part of a
name or phone, or type a new person. A hint under the fields says which it will be."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.services.market.stalls import CustomerListRow
from app.ui.customers.customer_ops import PersonChoice

ID_ROLE = Qt.ItemDataRole.UserRole + 1
NAME_ROLE = Qt.ItemDataRole.UserRole + 2
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 3


def few_codes(codes: tuple[str, ...], at_most: int = 5) -> str:
    """Stall codes to read at a glance: an owner of a whole row shows the first few."""
    return ", ".join(codes[:at_most]) + (" …" if len(codes) > at_most else "")


class _NameCompleter(QCompleter):
    """Matches "name  phone" anywhere; a chosen line puts only the name in the field."""

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:
        return index.data(NAME_ROLE) or ""


def completion_model(customers: list[CustomerListRow], parent=None) -> QStandardItemModel:
    """One line per customer, "name  phone" and the stalls they hold (two 张三 told apart)."""
    model = QStandardItemModel(parent)
    for c in customers:
        who = f"{c.name}  {c.phone}".strip()
        held = few_codes(tuple(dict.fromkeys(c.rents + c.owns)))
        item = QStandardItem(f"{who}   ({held})" if held else who)
        item.setData(c.id, ID_ROLE)
        item.setData(c.name, NAME_ROLE)
        item.setData(who, SEARCH_ROLE)
        item.setEditable(False)
        model.appendRow(item)
    return model


class CustomerPicker(QWidget):
    """A name field (with the customers as completions) and a phone field on one line."""

    def __init__(
        self,
        customers: list[CustomerListRow],
        model: QStandardItemModel,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.customers = {c.id: c for c in customers}
        self.by_name_phone = {(c.name, c.phone): c for c in customers}
        self.chosen: CustomerListRow | None = None
        self.name = QLineEdit(self)
        self.name.setPlaceholderText(self.tr("Type to find a customer"))
        self.phone = QLineEdit(self)
        self.phone.setPlaceholderText(self.tr("Phone"))
        self.completer = _NameCompleter(model, self)
        self.completer.setCompletionRole(SEARCH_ROLE)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setMaxVisibleItems(12)
        self.name.setCompleter(self.completer)
        self.completer.activated[QModelIndex].connect(self._picked)
        self.name.textEdited.connect(self._name_edited)
        self.name.textChanged.connect(self._update_hint)
        self.phone.textChanged.connect(self._update_hint)
        self.hint = QLabel(self)
        self.hint.setStyleSheet("color: #555;")
        self.hint.setWordWrap(True)
        self.hint.setMinimumHeight(
            self.hint.fontMetrics().height()
        )  # the form does not jump at the first key
        fields = QHBoxLayout()
        fields.setContentsMargins(0, 0, 0, 0)
        fields.addWidget(self.name, 3)
        fields.addWidget(self.phone, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(fields)
        layout.addWidget(self.hint)
        self.setFocusProxy(self.name)
        self._update_hint()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        # The suggestions ("name  phone  (stalls)") as wide as both fields, not the name's alone.
        self.completer.popup().setMinimumWidth(self.width())

    def set_current(self, customer_id: int | None, name: str, phone: str) -> None:
        """Show who holds the role now (the stall being edited)."""
        self.chosen = self.customers.get(customer_id) if customer_id is not None else None
        self.name.setText(name)
        self.phone.setText(phone)

    def choose(self, customer_id: int) -> None:
        """As when the clerk picks the customer from the completions."""
        self.chosen = self.customers[customer_id]
        self.name.setText(self.chosen.name)
        self.phone.setText(self.chosen.phone)

    def _picked(self, index: QModelIndex) -> None:
        self.choose(index.data(ID_ROLE))

    def _name_edited(self, text: str) -> None:
        if self.chosen is not None and text.strip() != self.chosen.name:
            self.chosen = None  # another name: another person

    def choice(self) -> PersonChoice:
        name, phone = self.name.text().strip(), self.phone.text().strip()
        if not name:
            return PersonChoice(None, "", "")
        if self.chosen is not None and name == self.chosen.name:
            return PersonChoice(self.chosen, name, phone)
        # Typed in full rather than picked: the same name and phone is the same person.
        return PersonChoice(self.by_name_phone.get((name, phone)), name, phone)

    def _update_hint(self) -> None:
        choice = self.choice()
        if choice.is_nobody:
            self.hint.setText("")
        elif choice.customer is None:
            self.hint.setText(self.tr("New customer: added when you save"))
        else:
            c = choice.customer
            parts = [self.tr("Existing customer")]
            if c.rents:
                parts.append(self.tr("tenant of %1").replace("%1", few_codes(c.rents)))
            if c.owns:
                parts.append(self.tr("owner of %1").replace("%1", few_codes(c.owns)))
            text = " · ".join(parts)
            if choice.changes_phone:
                text += "\n" + self.tr("Their phone will be changed to %1").replace(
                    "%1", choice.phone or "—"
                )
            self.hint.setText(text)
