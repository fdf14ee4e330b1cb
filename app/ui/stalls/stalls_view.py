"""Stalls (档位): the list by building, one stall's card, add / edit / delete."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.models.account import AccountStatus
from app.services.market.stalls import StallCard, StallRow
from app.services.platform.context import Changes, May
from app.ui.cashier.cashier_ops import stall_card_op
from app.ui.cashier.receipt_output import ReceiptOutput
from app.ui.client import Client, touches
from app.ui.customers.customer_ops import list_customers_op
from app.ui.files.saving import PDF_FILTER, ask_save_path
from app.ui.labels import label
from app.ui.stalls.close_account_dialog import CloseAccountDialog
from app.ui.stalls.stall_card_widget import StallCardWidget
from app.ui.stalls.stall_dialog import StallDialog
from app.ui.stalls.stall_ops import (
    close_preview_op,
    delete_stall_op,
    list_stalls_op,
    renew_qr_op,
    reopen_account_op,
    stall_plate_op,
    stall_rows_op,
)
from app.ui.stalls.stall_recent import StallRecentWidget
from app.ui.tables.columns import CENTER, RIGHT, Column, yuan
from app.ui.tables.filtered_table import FilteredTable
from app.ui.tables.row_model import RowTableModel
from app.ui.view_base import View

COLUMNS = [
    # The money first and the phone last: beside the stall card at 1024×768 the balance stays in
    # view.
    Column("code", QT_TRANSLATE_NOOP("Columns", "Stall"), width=70),
    Column("name", QT_TRANSLATE_NOOP("Columns", "Stall name"), width=120),
    Column("building", QT_TRANSLATE_NOOP("Columns", "Building"), width=80),
    Column("floor", QT_TRANSLATE_NOOP("Columns", "Floor"), width=50),
    Column("status", QT_TRANSLATE_NOOP("Columns", "Status"), label, CENTER, width=50),
    Column("tenant_name", QT_TRANSLATE_NOOP("Columns", "Tenant"), width=80),
    Column("balance", QT_TRANSLATE_NOOP("Columns", "Balance ¥"), yuan, RIGHT, width=90),
    Column("meter_count", QT_TRANSLATE_NOOP("Columns", "Meters"), str, RIGHT, width=50),
    Column("tripped_count", QT_TRANSLATE_NOOP("Columns", "Off"), str, RIGHT, width=50),
    Column("tenant_phone", QT_TRANSLATE_NOOP("Columns", "Phone"), width=110),
    Column("owner_name", QT_TRANSLATE_NOOP("Columns", "Owner"), width=90, hidden_by_default=True),
]

# which stalls the list shows; the overview's cards open the list on one of these
SHOW_FILTERS = (
    ("all", QT_TRANSLATE_NOOP("StallsView", "All stalls"), None),
    (
        "low_balance",
        QT_TRANSLATE_NOOP("StallsView", "Low balance (below alarm 1)"),
        lambda r: r.alarm1 is not None and r.balance < r.alarm1,
    ),
    ("negative", QT_TRANSLATE_NOOP("StallsView", "Balance below zero"), lambda r: r.balance < 0),
    ("off", QT_TRANSLATE_NOOP("StallsView", "Power or water off"), lambda r: r.tripped_count > 0),
)


class StallsView(View):
    cares_about = (Changes.STALLS, Changes.BALANCES, Changes.METERS)
    plate_saved = Signal(str)  # the stall plate's PDF was written there

    def __init__(self, client: Client, parent: QWidget | None = None):
        super().__init__(client, parent)
        self.buildings = []
        self.model = RowTableModel(COLUMNS, parent=self)
        self.table = FilteredTable("stalls", self.model, self)
        self.table.current_row_changed.connect(self._select)
        self.table.activated_row.connect(lambda _r: self.edit())
        self.building_filter = QComboBox(self)
        self.building_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.building_filter.currentIndexChanged.connect(self._filter_building)
        self.show_filter = QComboBox(self)
        for key, title, _pred in SHOW_FILTERS:
            self.show_filter.addItem(QCoreApplication.translate("StallsView", title), key)
        self.show_filter.currentIndexChanged.connect(self._filter_building)
        self.card = StallCardWidget(self)
        self.recent = StallRecentWidget(client, self)  # under the card
        self.add_button = QPushButton(self.tr("Add stall …"), self)
        self.edit_button = QPushButton(self.tr("Edit …"), self)
        self.delete_button = QPushButton(self.tr("Delete"), self)
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.delete_button.clicked.connect(self.delete)
        for b, action in (
            (self.add_button, May.ADD_STALLS),
            (self.edit_button, May.EDIT_STALLS),
            (self.delete_button, May.DELETE_STALLS),
        ):
            b.setVisible(client.may(action))
        # 销户 / 开户 on the card and in the list's menu: an administrator's.
        self.receipts = ReceiptOutput(self, client)
        self.close_account_button = self.card.add_action(self.tr("Close account / refund …"))
        self.close_account_button.clicked.connect(self.close_account)
        self.reopen_button = self.card.add_action(self.tr("Open account"))
        self.reopen_button.clicked.connect(self.reopen_account)
        self.plate_button = self.card.add_action(self.tr("Stall plate …"))
        self.plate_button.clicked.connect(self.save_plate)
        self.renew_qr_button = self.card.add_action(self.tr("Renew QR code …"))
        self.renew_qr_button.clicked.connect(self.renew_qr)
        self.card_shown(None)
        self.table.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.view.customContextMenuRequested.connect(self._row_menu)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Building")))
        top.addWidget(self.building_filter)
        top.addWidget(self.show_filter)
        top.addStretch(1)
        top.addWidget(self.add_button)
        top.addWidget(self.edit_button)
        top.addWidget(self.delete_button)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(top)
        left_layout.addWidget(self.table, 1)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.card, 1)
        right_layout.addWidget(self.recent)
        split = QSplitter(self)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([820, 300])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)

    def refresh(self) -> None:
        list_stalls_op(self, self.client).success(self._loaded).run()

    def _loaded(self, result) -> None:
        rows, buildings = result
        self.buildings = buildings
        current = self.building_filter.currentData()
        self.building_filter.blockSignals(True)
        self.building_filter.clear()
        self.building_filter.addItem(self.tr("All buildings"), None)
        for b in buildings:
            self.building_filter.addItem(f"{b.name} ({b.stalls})", b.id)
        self.building_filter.setCurrentIndex(max(0, self.building_filter.findData(current)))
        self.building_filter.blockSignals(False)
        self.model.set_rows(rows)
        if self.card.card is not None:
            self._select_id(self.card.card.id)
        self.mark_loaded()

    def others_changed(self, flags: int, unnamed: int, stall_ids: list[int]) -> None:
        """Another clerk changed these stalls: just their rows are re-read, and the card if
        it shows one of them. A change that names no stall reloads the list."""
        if not touches(flags, *self.cares_about):
            return
        if touches(unnamed, *self.cares_about) or not self.is_loaded or not self.isVisible():
            self._reload_live()
            return
        if stall_ids:
            stall_rows_op(self, self.client, stall_ids).success(
                lambda rows: self._changed_rows(stall_ids, rows)
            ).in_background().run()

    def _changed_rows(self, stall_ids: list[int], rows: list[StallRow]) -> None:
        if len(rows) != len(stall_ids) or not all(self.model.replace_row(r) for r in rows):
            self._reload_live()  # a stall added or deleted: the list and the buildings change
            return
        if self.card.card is not None and self.card.card.id in stall_ids:
            stall_card_op(self, self.client, self.card.card.id).success(
                self.card_shown
            ).in_background().run()
        self.loaded.emit()

    def _filter_building(self) -> None:
        building_id = self.building_filter.currentData()
        show = next(p for k, _t, p in SHOW_FILTERS if k == self.show_filter.currentData())
        if building_id is None:
            self.table.proxy.set_predicate(show)
        else:
            self.table.proxy.set_predicate(
                lambda r: r.building_id == building_id and (show is None or show(r))
            )

    def show_page(self, name: str) -> None:
        """Show only the stalls of one of SHOW_FILTERS (the overview's cards), all buildings."""
        self.building_filter.setCurrentIndex(0)
        self.show_filter.setCurrentIndex(max(0, self.show_filter.findData(name)))

    def _select(self, row: StallRow | None) -> None:
        if row is not None:
            self._select_id(row.id)

    def _select_id(self, stall_id: int) -> None:
        stall_card_op(self, self.client, stall_id).success(self.card_shown).run()

    def card_shown(self, card: StallCard | None) -> None:
        self.card.show_card(card)
        self.recent.show_stall(card.id if card is not None else None)
        closed = card is not None and card.account_status is AccountStatus.CLOSED
        self.close_account_button.setVisible(
            self.client.may(May.CLOSE_ACCOUNTS) and card is not None and not closed
        )
        self.reopen_button.setVisible(self.client.may(May.OPEN_ACCOUNTS) and closed)
        self.plate_button.setVisible(card is not None)
        self.renew_qr_button.setVisible(
            self.client.may(May.SET_UP_TENANT_PORTAL) and card is not None
        )

    def _row_menu(self, pos) -> None:
        row = self.table.current_row()
        if row is None:
            return
        menu = QMenu(self)
        if self.client.may(May.EDIT_STALLS):
            menu.addAction(self.tr("Edit …"), self.edit)
        if row.account_status is AccountStatus.CLOSED:
            if self.client.may(May.OPEN_ACCOUNTS):
                menu.addAction(self.tr("Open account"), self.reopen_account)
        elif self.client.may(May.CLOSE_ACCOUNTS):
            menu.addAction(self.tr("Close account / refund …"), self.close_account)
        if menu.isEmpty():
            return
        menu.popup(self.table.view.viewport().mapToGlobal(pos))

    def close_account(self) -> None:
        """销户退款: the figures first, then the admin confirms in the dialog."""
        row = self.table.current_row()
        if row is None:
            QMessageBox.information(
                self, self.tr("Stalls"), self.tr("Click a stall in the list first.")
            )
            return
        close_preview_op(self, self.client, row.id).success(self._ask_close).run()

    def _ask_close(self, preview) -> None:
        dialog = CloseAccountDialog(self, self.client, preview)
        dialog.saved.connect(self._closed)
        dialog.open()

    def _closed(self, result) -> None:
        if result.refund is not None:
            self.receipts.print_new(result.refund.receipt_id)
        self._select_id(result.stall_id)

    def reopen_account(self) -> None:
        row = self.table.current_row()
        if row is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Open account"),
            self.tr(
                "Open the account of stall %1 again for a new tenant? It starts at ¥ 0.00; the "
                "meters go back to "
                "prepaid control and are switched on after the first recharge. Change the tenant "
                "in Edit."
            ).replace("%1", row.code),
        )
        if answer == QMessageBox.StandardButton.Yes:
            reopen_account_op(self, self.client, row.id).success(
                lambda _r: self._select_id(row.id)
            ).run()

    def save_plate(self, path: str | None = None) -> None:
        """The stall's plate with its QR code, as a PDF to print and hang at the stall."""
        card = self.card.card
        if card is None:
            return
        if path is None:
            chosen = ask_save_path(self, f"{card.code}.pdf", PDF_FILTER)
            path = str(chosen) if chosen else None
        if path:
            stall_plate_op(self, self.client, card.id, path).success(self.plate_saved.emit).run()

    def renew_qr(self) -> None:
        card = self.card.card
        if card is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Renew QR code"),
            self.tr(
                "Give stall %1 a new QR code? The QR codes printed on its receipts and plate so "
                "far stop working in the tenants' portal; phones that already see the stall keep "
                "it."
            ).replace("%1", card.code),
        )
        if answer == QMessageBox.StandardButton.Yes:
            renew_qr_op(self, self.client, card.id).success(
                lambda url: self._qr_renewed(card.id, url)
            ).run()

    def _qr_renewed(self, stall_id: int, url: str | None) -> None:
        self._select_id(stall_id)
        QMessageBox.information(
            self,
            self.tr("Renew QR code"),
            self.tr("The stall's new QR code: %1").replace("%1", url)
            if url
            else self.tr(
                "Renewed. The QR codes hold the portal's address once it is set "
                "(python -m app sms setup --portal-url)."
            ),
        )

    def add(self) -> None:
        list_customers_op(self, self.client).success(
            lambda customers: self._open_dialog(None, customers)
        ).run()

    def _open_dialog(self, card: StallCard | None, customers) -> None:
        dialog = StallDialog(self, self.client, self.buildings, card, customers)
        dialog.saved.connect(self._saved)
        dialog.exec()

    def _with_chosen_card(self, then) -> None:
        """`then(card)` with the fresh card of the stall chosen in the list; the card beside the
        list may still be loading when the clerk clicks Edit or Delete at once."""
        row = self.table.current_row()
        if row is None:
            QMessageBox.information(
                self, self.tr("Stalls"), self.tr("Click a stall in the list first.")
            )
            return
        stall_card_op(self, self.client, row.id).success(then).run()

    def edit(self) -> None:
        if self.client.may(May.EDIT_STALLS):
            self._with_chosen_card(self._edit)

    def _edit(self, card: StallCard) -> None:
        list_customers_op(self, self.client).success(
            lambda customers: self._open_dialog(card, customers)
        ).run()

    def _saved(self, row: StallRow) -> None:
        self.card_shown(None)
        self._select_id(row.id)

    def delete(self) -> None:
        self._with_chosen_card(self._delete)

    def _delete(self, card: StallCard) -> None:
        answer = QMessageBox.question(
            self,
            self.tr("Delete stall"),
            self.tr(
                "Delete stall %1 (%2)? Only a stall entered by mistake, with no money and no "
                "meters, "
                "can be deleted."
            )
            .replace("%1", card.code)
            .replace("%2", card.name),
        )
        if answer == QMessageBox.StandardButton.Yes:
            delete_stall_op(self, self.client, card.id).success(
                lambda _r: self.card_shown(None)
            ).run()
