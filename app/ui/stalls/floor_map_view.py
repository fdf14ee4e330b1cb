"""Floor map (楼层监控): every stall as a tile coloured by its state, building by building and
floor by floor, as the commercial platforms' room monitoring page; a click opens its card."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.services.office.overview import StallTile, TileState, stall_map
from app.services.platform.context import Changes
from app.ui.cashier.cashier_ops import stall_card_op
from app.ui.client import Client
from app.ui.ops import QueryOp
from app.ui.stalls.stall_card_widget import StallCardWidget
from app.ui.stalls.stall_recent import StallRecentWidget
from app.ui.view_base import View

# (colour, legend) per state, in the legend's order
STATES = {
    TileState.ONLINE: ("#27ae60", QT_TRANSLATE_NOOP("FloorMap", "Online")),
    TileState.OFFLINE: ("#95a5a6", QT_TRANSLATE_NOOP("FloorMap", "Offline")),
    TileState.LOW_BALANCE: ("#f39c12", QT_TRANSLATE_NOOP("FloorMap", "Low balance")),
    TileState.TRIPPED: ("#c0392b", QT_TRANSLATE_NOOP("FloorMap", "Power or water off")),
    TileState.FORCED: ("#8e44ad", QT_TRANSLATE_NOOP("FloorMap", "Forced (not prepaid)")),
    TileState.NO_METER: ("#ecf0f1", QT_TRANSLATE_NOOP("FloorMap", "No meter read")),
}
NO_FLOOR = QT_TRANSLATE_NOOP("FloorMap", "no floor")
TILE = QSize(72, 40)
GAP = 6
LABEL_W = (70, 160)  # the floor's name left of its tiles: as wide as the widest, within these
HEADING_H = 28


def _tr(text: str) -> str:
    return QCoreApplication.translate("FloorMap", text)


class StallMap(QWidget):
    """The tiles, painted (a market has up to 20,000 stalls: no widget per stall)."""

    stall_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.tiles: list[StallTile] = []
        self.rects: list[tuple[QRect, StallTile]] = []
        self.texts: list[tuple[QRect, str, bool]] = []  # (where, text, is a building)
        self.setMouseTracking(True)

    def set_tiles(self, tiles: list[StallTile]) -> None:
        self.tiles = tiles
        self._lay_out()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._lay_out()

    def _lay_out(self) -> None:
        """Positions: a heading per building, a row (wrapped) of tiles per floor."""
        # a market that keeps no floors gets no floor column
        floors = any(tile.floor for tile in self.tiles)
        names = {tile.floor or _tr(NO_FLOOR) for tile in self.tiles} if floors else set()
        self.ensurePolished()  # the font the names are painted in
        widest = max((self.fontMetrics().horizontalAdvance(n) for n in names), default=0)
        label_w = min(max(LABEL_W[0], widest + 3 * GAP), LABEL_W[1]) if floors else GAP
        width = max(self.width(), label_w + TILE.width() + 2 * GAP)
        per_row = max(1, (width - label_w - GAP) // (TILE.width() + GAP))
        self.rects, self.texts = [], []
        y, building, floor, column = GAP, None, None, 0
        for tile in self.tiles:
            if tile.building != building:
                if building is not None:
                    y += TILE.height() + GAP * 2
                building, floor, column = tile.building, None, 0
                self.texts.append((QRect(GAP, y, width, HEADING_H), tile.building, True))
                y += HEADING_H
            if tile.floor != floor:
                if floor is not None:
                    y += TILE.height() + GAP
                floor, column = tile.floor, 0
                if floors:
                    name = tile.floor or _tr(NO_FLOOR)
                    rect = QRect(GAP, y, label_w - 2 * GAP, TILE.height())
                    self.texts.append((rect, name, False))
            elif column == per_row:
                column = 0
                y += TILE.height() + GAP
            x = label_w + column * (TILE.width() + GAP)
            self.rects.append((QRect(x, y, TILE.width(), TILE.height()), tile))
            column += 1
        self.setMinimumHeight(y + TILE.height() + GAP if self.tiles else 0)
        self.update()

    def tile_at(self, pos) -> StallTile | None:
        return next((t for r, t in self.rects if r.contains(pos)), None)

    def rect_of(self, stall_id: int) -> QRect:
        return next(r for r, t in self.rects if t.id == stall_id)

    def mouseReleaseEvent(self, event) -> None:
        tile = self.tile_at(event.position().toPoint())
        if tile is not None and event.button() == Qt.MouseButton.LeftButton:
            self.stall_clicked.emit(tile.id)

    def mouseMoveEvent(self, event) -> None:
        tile = self.tile_at(event.position().toPoint())
        self.setCursor(Qt.CursorShape.PointingHandCursor if tile else Qt.CursorShape.ArrowCursor)
        self.setToolTip(f"{tile.code}: {_tr(STATES[tile.state][1])}" if tile else "")

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.fillRect(event.rect(), self.palette().base())
        text_pen = QPen(self.palette().text().color())
        heading_font = QFont(self.font())
        heading_font.setBold(True)
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.2)
        for rect, text, is_building in self.texts:
            if rect.intersects(event.rect()):
                p.setFont(heading_font if is_building else self.font())
                p.setPen(text_pen)
                if not is_building:  # a name longer than the label's room ends in "…"
                    text = p.fontMetrics().elidedText(
                        text, Qt.TextElideMode.ElideRight, rect.width()
                    )
                p.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
        tile_font = QFont(self.font())  # the codes read from a step back
        tile_font.setPointSizeF(tile_font.pointSizeF() * 1.2)
        p.setFont(tile_font)
        for rect, tile in self.rects:
            if not rect.intersects(event.rect()):
                continue
            color = QColor(STATES[tile.state][0])
            p.fillRect(rect, color)
            p.setPen(QPen(color.darker(130)))
            p.drawRect(rect.adjusted(0, 0, -1, -1))
            p.setPen(QColor("#222") if tile.state is TileState.NO_METER else QColor("white"))
            p.drawText(rect, Qt.AlignmentFlag.AlignCenter, tile.code)


class FloorMapView(View):
    cares_about = (Changes.STALLS, Changes.BALANCES, Changes.METERS, Changes.SETTINGS)

    def __init__(self, client: Client, parent: QWidget | None = None):
        super().__init__(client, parent)
        self.card_dialog: QDialog | None = None
        self.map = StallMap(self)
        self.map.stall_clicked.connect(self.open_card)
        self.counts = QLabel(self)
        legend = QHBoxLayout()
        for state, (color, text) in STATES.items():
            swatch = QLabel(self)
            swatch.setFixedSize(16, 16)
            swatch.setStyleSheet(f"background: {color}; border: 1px solid #888;")
            legend.addWidget(swatch)
            name = QLabel(_tr(text), self)
            name.setObjectName(f"legend_{state}")
            legend.addWidget(name)
            legend.addSpacing(10)
        legend.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.map)
        title = QLabel(self.tr("Floor map: every stall by building and floor"), self)
        title.setStyleSheet("font-size: 14pt; font-weight: bold;")
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(legend)
        layout.addWidget(self.counts)
        layout.addWidget(scroll, 1)

    def refresh(self) -> None:
        site_id = self.client.site_id
        QueryOp(self, lambda s: stall_map(s, site_id)).success(self._show).run()

    def _show(self, tiles: list[StallTile]) -> None:
        self.map.set_tiles(tiles)
        counts = {state: 0 for state in STATES}
        for tile in tiles:
            counts[tile.state] += 1
        self.counts.setText("   ".join(f"{_tr(STATES[s][1])}: {n}" for s, n in counts.items()))
        self.mark_loaded()

    def open_card(self, stall_id: int) -> None:
        """The stall's card in a small window, as in the stalls view."""
        dialog = QDialog(self)
        dialog.setWindowTitle(self.tr("Stall"))
        card = StallCardWidget(dialog)
        recent = StallRecentWidget(self.client, dialog)
        layout = QVBoxLayout(dialog)
        layout.addWidget(card)
        layout.addWidget(recent)
        dialog.card, dialog.recent = card, recent
        dialog.resize(420, 640)
        recent.show_stall(stall_id)
        self.card_dialog = dialog
        stall_card_op(self, self.client, stall_id).success(card.show_card).run()
        dialog.open()
