"""Overview (概览): the market this morning at a glance."""

from __future__ import annotations

import html
import time
from datetime import date

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.comm.types import MeterKind
from app.models.account import PayMethod
from app.models.money import ZERO, fmt_yuan
from app.services.market import setup
from app.services.market.setup import SetupProgress, setup_progress
from app.services.office.overview import DayFigures, OverviewData, day_figures, overview
from app.services.platform.context import Changes
from app.ui.charts import BarChart
from app.ui.client import Client, touches
from app.ui.comm.service_banner import ServiceStoppedBanner
from app.ui.labels import comm_text, label
from app.ui.ops import QueryOp, repeat_every
from app.ui.overview.day_list_dialog import COMMANDS, RECHARGES, USAGE, DayListDialog
from app.ui.tables.columns import local_time
from app.ui.view_base import View

REFRESH_MS = 60_000
# the month's charts change slowly and cost most of a refresh on a big market: the minute's
# refresh and the collection's live changes read them again only this often; a clerk's
# recharge or command here reads them at once
CHARTS_EVERY_S = 600
# Where each setup step is done later: (view, settings page).
SETUP_PLACES = {
    setup.STEP_ADMIN: ("settings", "users"),
    setup.STEP_PRICES: ("settings", "tariffs"),
    setup.STEP_BUILDINGS: ("settings", "buildings"),
    setup.STEP_LINES: ("settings", "channels"),
    setup.STEP_STALLS: ("import", ""),
    setup.STEP_CONTROL: ("settings", "alarms"),
}


def _said(word) -> str:
    return QCoreApplication.translate(*word.text)


class SetupChecklist(QFrame):
    """Until every step of the first-run setup is done: how far it is ("4 / 7: no meter
    line yet") and one line per step; a step not done opens the page where it is done."""

    open_place = Signal(str, str)  # view name, settings page name ("" for none)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("setup_checklist")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("QFrame#setup_checklist { background: #fef9e7; }")
        self.heading = QLabel(self)
        self.heading.setStyleSheet("font-weight: bold; font-size: 11pt;")
        self.lines: dict[str, QPushButton] = {}
        self.done = QLabel(self)
        self.done.setStyleSheet("color: #777;")
        layout = QVBoxLayout(self)
        layout.setSpacing(2)
        layout.addWidget(self.heading)
        layout.addWidget(self.done)
        for key in setup.STEPS:
            line = QPushButton(self)
            line.setFlat(True)
            line.setStyleSheet("text-align: left; padding: 2px 6px;")
            line.clicked.connect(lambda _checked=False, key=key: self._open(key))
            self.lines[key] = line
            layout.addWidget(line)
        self.hide()

    def show_progress(self, progress: SetupProgress) -> None:
        self.setVisible(not progress.is_complete)
        if progress.is_complete:
            return
        total, step = len(progress.steps), progress.next_step
        self.heading.setText(
            self.tr("Setup %1 / %2: %3")
            .replace("%1", str(progress.done))
            .replace("%2", str(total))
            .replace("%3", _said(setup.MISSING[step.key]))
        )
        done = []
        for s in progress.steps:
            title = f"{s.number}. {_said(setup.STEP_TITLE[s.key])}"
            line = self.lines[s.key]
            line.setVisible(not s.is_done)  # a done step is one word on the line above
            line.setEnabled(s.key in SETUP_PLACES)
            if s.is_done:
                done.append(title)
            else:
                line.setText(
                    "○  " + title + " — " + _said(setup.MISSING[s.key]) + "  " + self.tr("Open →")
                )
        self.done.setText("✓  " + "   ".join(done))

    def _open(self, key: str) -> None:
        view, page = SETUP_PLACES[key]
        self.open_place.emit(view, page)


class Tile(QFrame):
    """A number with its caption; red when it needs attention. A click opens the list
    behind the number (`clicked`)."""

    clicked = Signal()

    def __init__(self, caption: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumWidth(150)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.value = QLabel("—", self)
        self.value.setStyleSheet("font-size: 22pt; font-weight: bold;")
        self.detail = QLabel(self)
        self.detail.setStyleSheet("color: #555;")
        self.detail.setWordWrap(True)
        caption_label = QLabel(caption, self)
        caption_label.setStyleSheet("font-weight: bold;")
        layout = QVBoxLayout(self)
        layout.addWidget(caption_label)
        layout.addWidget(self.value)
        layout.addWidget(self.detail)
        layout.addStretch(1)

    def set(self, value: str, detail: str = "", *, alert: bool = False) -> None:
        self.value.setText(value)
        self.value.setStyleSheet(
            f"font-size: 22pt; font-weight: bold; color: {'#c0392b' if alert else '#1a5276'};"
        )
        self.detail.setText(detail)

    def mouseReleaseEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self.clicked.emit()
        super().mouseReleaseEvent(event)


# where each card's click leads: (view, the view's filter)
TILE_PLACES = {
    "online": ("meters", "all"),
    "offline": ("meters", "offline"),
    "tripped": ("meters", "off"),
    "low": ("stalls", "low_balance"),
    "unsettled": ("meters", "all"),
    "collection": ("comm", ""),
    "alerts": ("alerts", ""),
}
TILE_COLUMNS = 4  # two rows of four


class OverviewView(View):
    live_cares_about = (
        Changes.BALANCES,
        Changes.METERS,
        Changes.READINGS,
        Changes.BILLS,
        Changes.COMMANDS,
        Changes.ALERTS,
    )
    # the setup checklist follows what the settings and the import add
    cares_about = (*live_cares_about, Changes.SETTINGS, Changes.STALLS, Changes.USERS)
    open_requested = Signal(str, str)  # view name, settings page name

    def __init__(self, client: Client, parent: QWidget | None = None):
        super().__init__(client, parent)
        self.data: OverviewData | None = None
        self.figures: DayFigures | None = None
        self.day_list: DayListDialog | None = None  # the list behind the last bar clicked
        self.title = QLabel(self)
        self.title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.backup_warning = QLabel(self)
        self.backup_warning.setWordWrap(True)
        self.backup_warning.setStyleSheet("color: #c0392b; font-weight: bold;")
        self.backup_warning.hide()
        if client.backups is not None:
            client.backups.finished.connect(lambda _done: self._show_backup_warning())
        self.checklist = SetupChecklist(self)
        self.checklist.open_place.connect(self.open_requested)
        self.online = Tile(self.tr("Meters online"))
        self.offline = Tile(self.tr("Meters offline"))
        self.tripped = Tile(self.tr("Tripped / valve closed"))
        self.low = Tile(self.tr("Stalls with low balance"))
        self.unsettled = Tile(self.tr("Read, not yet settled"))
        self.collection = Tile(self.tr("Last collection"))
        self.alerts = Tile(self.tr("Safety alerts"))
        self.recharges = QLabel(self)
        self.recharges.setTextFormat(Qt.TextFormat.RichText)
        self.errors = QLabel(self)
        self.errors.setTextFormat(Qt.TextFormat.RichText)
        self.errors.setWordWrap(True)
        self.tiles = {
            "online": self.online,
            "offline": self.offline,
            "tripped": self.tripped,
            "low": self.low,
            "unsettled": self.unsettled,
            "collection": self.collection,
            "alerts": self.alerts,
        }
        grid = QGridLayout()
        for i, (key, tile) in enumerate(self.tiles.items()):
            grid.addWidget(tile, i // TILE_COLUMNS, i % TILE_COLUMNS)
            tile.clicked.connect(lambda key=key: self.open_requested.emit(*TILE_PLACES[key]))
        for column in range(TILE_COLUMNS):
            grid.setColumnStretch(column, 1)
        self.kwh_chart = BarChart(self.tr("Electricity per day, last 30 days"), self)
        self.m3_chart = BarChart(self.tr("Water per day, last 30 days"), self)
        self.money_chart = BarChart(
            self.tr("Recharges per day by payment method"), self, stacked=True
        )
        self.commands_chart = BarChart(self.tr("Power or water cut and given back per day"), self)
        self.kwh_chart.bar_clicked.connect(
            lambda i, _k: self._open_day(i, USAGE, MeterKind.ELECTRIC)
        )
        self.m3_chart.bar_clicked.connect(lambda i, _k: self._open_day(i, USAGE, MeterKind.WATER))
        self.money_chart.bar_clicked.connect(lambda i, _k: self._open_day(i, RECHARGES))
        self.commands_chart.bar_clicked.connect(lambda i, _k: self._open_day(i, COMMANDS))
        charts = QGridLayout()
        for i, chart in enumerate(
            (self.kwh_chart, self.m3_chart, self.money_chart, self.commands_chart)
        ):
            chart.setMinimumHeight(220)
            chart.setToolTip(self.tr("Click a bar to see the list behind it"))
            charts.addWidget(chart, i // 2, i % 2)
        money = QFrame(self)
        money.setFrameShape(QFrame.Shape.StyledPanel)
        money_layout = QVBoxLayout(money)
        money_layout.addWidget(
            QLabel("<b>" + self.tr("Today's recharges by payment method") + "</b>")
        )
        money_layout.addWidget(self.recharges)
        errors = QFrame(self)
        errors.setFrameShape(QFrame.Shape.StyledPanel)
        errors_layout = QVBoxLayout(errors)
        errors_layout.addWidget(QLabel("<b>" + self.tr("Collection errors") + "</b>"))
        errors_layout.addWidget(self.errors)
        bottom = QGridLayout()
        bottom.addWidget(money, 0, 0)
        bottom.addWidget(errors, 0, 1)
        bottom.setColumnStretch(1, 1)
        self.stopped = ServiceStoppedBanner(client.comm, self)
        client.comm.service_state_changed.connect(self._show_online)
        client.comm.service_state_changed.connect(self._show_errors)
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.addWidget(self.title)
        layout.addWidget(self.stopped)
        layout.addWidget(self.backup_warning)
        layout.addWidget(self.checklist)
        layout.addLayout(grid)
        layout.addLayout(charts)
        layout.addLayout(bottom)
        layout.addStretch(1)
        scroll = QScrollArea(self)  # at 1024×768 the charts go on below the fold
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self._charts_read_at = -CHARTS_EVERY_S
        self._timer = repeat_every(self, REFRESH_MS, self._op)
        self._timer.start()

    def _op(self, *, charts: bool | None = None) -> QueryOp:
        site_id = self.client.site_id
        if charts is None:
            charts = time.monotonic() - self._charts_read_at >= CHARTS_EVERY_S
        if charts:
            self._charts_read_at = time.monotonic()
        return QueryOp(
            self,
            lambda s: (overview(s, site_id), day_figures(s, site_id) if charts else None),
        ).success(lambda result: self._show(*result))

    def refresh(self) -> None:
        site_id = self.client.site_id
        QueryOp(self, lambda s: setup_progress(s, site_id)).success(
            self.checklist.show_progress
        ).run()
        self._op().run()

    def _on_changes(self, flags: int) -> None:
        if touches(flags, Changes.BALANCES, Changes.COMMANDS):
            self._charts_read_at = -CHARTS_EVERY_S  # today's bars change now
        super()._on_changes(flags)

    def _show_backup_warning(self) -> None:
        schedule = self.client.backups
        if schedule is None or not schedule.needs_warning():
            self.backup_warning.hide()
            return
        last = schedule.last_good()
        self.backup_warning.setText(
            (
                self.tr("No good backup for two days: the last one is from %1.").replace(
                    "%1", local_time(last)
                )
                if last is not None
                else self.tr("There is no good backup of the database yet.")
            )
            + " "
            + self.tr("Look at Settings → Backups, and press “Back up now” there.")
        )
        self.backup_warning.show()

    def _show_online(self) -> None:
        """While the collection service is stopped nobody knows which meters answer: the
        tiles say since when, not a stale "online"."""
        since = self.client.comm.service_stopped_since
        if self.data is None or since is None:
            if self.data is not None and self.online.value.text() == "?":
                self._show(self.data, None)
            return
        unknown = self.tr("unknown since %1").replace("%1", local_time(since)[5:16])
        self.online.set("?", unknown, alert=True)
        self.offline.set("?", unknown, alert=True)

    def _show(self, d: OverviewData, figures: DayFigures | None = None) -> None:
        self.data = d
        if figures is not None:
            self._show_figures(figures)
        self._show_backup_warning()
        self.title.setText(self.tr("%1 — Overview").replace("%1", d.site_name))
        self.online.set(
            str(d.meters_online),
            self.tr("of %1 meters; %2 not read yet")
            .replace("%1", str(d.meters_total))
            .replace("%2", str(d.meters_unknown)),
        )
        self.offline.set(
            str(d.meters_offline),
            self.tr("check the line or gateway in Comm monitor"),
            alert=d.meters_offline > 0,
        )
        self._show_online()
        self.tripped.set(
            str(d.meters_tripped), self.tr("power or water is off"), alert=d.meters_tripped > 0
        )
        self.low.set(
            str(d.low_balance_stalls),
            self.tr("below alarm 1; %1 below zero").replace("%1", str(d.negative_balance_stalls)),
            alert=d.negative_balance_stalls > 0,
        )
        unsettled = self.tr("and %1 m³ of water").replace("%1", str(d.unsettled_m3))
        if d.meters_without_tariff:
            unsettled += "\n" + self.tr(
                "%1 meters have no tariff: their usage is billed nothing. Set one with Meters → "
                "Edit"
            ).replace("%1", str(d.meters_without_tariff))
        self.unsettled.set(f"{d.unsettled_kwh} kWh", unsettled, alert=d.meters_without_tariff > 0)
        self.alerts.set(
            str(d.open_alerts),
            self.tr("not resolved: bypass, overload, night load, tamper"),
            alert=d.open_alerts > 0,
        )
        self.collection.set(
            local_time(d.last_collection_at)[11:] or "—",
            local_time(d.last_collection_at)[:10] or self.tr("no reading yet"),
        )
        rows, total, count = [], ZERO, 0
        for method in PayMethod:
            n, amount = d.recharges_today.get(str(method), (0, ZERO))
            total += amount
            count += n
            rows.append(
                f"<tr><td>{label(method)}</td><td align=right>{n}</td><td align=right>¥ "
                f"{fmt_yuan(amount)}</td></tr>"
            )
        total_word = self.tr("Total")
        rows.append(
            f"<tr><td><b>{total_word}</b></td><td align=right><b>{count}</b></td>"
            f"<td align=right><b>¥ {fmt_yuan(total)}</b></td></tr>"
        )
        self.recharges.setText("<table cellspacing=6>" + "".join(rows) + "</table>")
        self._show_errors()
        self.mark_loaded()

    def _show_figures(self, f: DayFigures) -> None:
        self.figures = f
        days = [d.strftime("%m-%d") for d in f.days]
        every = 5  # a date under every fifth bar
        self.kwh_chart.set_bars(
            days,
            [("electric", label(MeterKind.ELECTRIC), [f.kwh[d] for d in f.days])],
            "kWh",
            every=every,
        )
        self.m3_chart.set_bars(
            days,
            [("water", label(MeterKind.WATER), [f.m3[d] for d in f.days])],
            "m³",
            every=every,
        )
        self.money_chart.set_bars(
            days,
            [
                (str(m), label(m), [f.recharges[d].get(str(m), ZERO) for d in f.days])
                for m in PayMethod
                if any(str(m) in f.recharges[d] for d in f.days)
            ],
            "¥",
            every=every,
        )
        self.commands_chart.set_bars(
            days,
            [
                ("trips", self.tr("Cut (trip / valve closed)"), [f.trips[d] for d in f.days]),
                (
                    "closes",
                    self.tr("Given back (close / valve open)"),
                    [f.closes[d] for d in f.days],
                ),
            ],
            "",
            every=every,
        )

    def _open_day(self, index: int, what: str, kind: MeterKind | None = None) -> None:
        """The list behind a day's bar: that day's usage per meter, recharges or commands."""
        if self.figures is None:
            return
        day: date = self.figures.days[index]
        self.day_list = DayListDialog(self.client, day, what, kind, self)
        self.day_list.open()

    def _show_errors(self) -> None:
        """The last collection's errors; while the collection service is stopped no meter is
        read, so "no errors" would be a guess: the box says since when nothing is known."""
        d = self.data
        if d is None:
            return
        conflict = ""
        if d.meters_identity_conflict:
            # another device registers with these meters' numbers: commands may not reach them
            conflict = (
                "<p style='color:#c0392b'><b>"
                + self.tr(
                    "%1 meters in identity conflict: another device registers with their number. "
                    "Check them on site, "
                    "then decide in Meters → Identity."
                ).replace("%1", str(d.meters_identity_conflict))
                + "</b></p>"
            )
        since = self.client.comm.service_stopped_since
        if since is not None:
            conflict += (
                "<p style='color:#c0392b'><b>"
                + self.tr(
                    "Nothing is known since %1: the collection service stopped then, no meter "
                    "has been read since."
                ).replace("%1", html.escape(local_time(since)[5:16]))
                + "</b></p>"
            )
        if d.recent_errors:
            items = "".join(
                f"<li>{stall} {label(kind)} {address}: {comm_text(error)}</li>"
                for stall, kind, address, error in d.recent_errors
            )
            self.errors.setText(
                conflict
                + self.tr("Meters reporting an error: %1. Latest:").replace(
                    "%1", str(d.meters_with_errors)
                )
                + f"<ul>{items}</ul>"
            )
        elif since is not None:
            self.errors.setText(conflict)
        else:
            self.errors.setText(conflict + self.tr("No errors in the last collection."))
