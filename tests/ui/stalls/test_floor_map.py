"""The floor map: a tile per stall, by building and floor, coloured by the stall's state."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from app.models.meter import CommStatus, ControlMode, Meter
from app.models.site import Stall
from app.services.office.overview import TileState
from app.ui.stalls.floor_map_view import STATES, FloorMapView


def test_each_stalls_tile_has_the_colour_of_its_state_and_opens_its_card(
    qtbot, market, make_client, sqlite_db
):
    made = {
        "A001": market.a_stall_with_meters("A001", balance="100.00", alarm1="50"),
        "A002": market.a_stall_with_meters("A002", balance="100.00", alarm1="50"),
        "A003": market.a_stall_with_meters("A003", balance="10.00", alarm1="50"),
        "A004": market.a_stall_with_meters("A004", balance="10.00", alarm1="50"),
        "A005": market.a_stall_with_meters("A005", balance="100.00", alarm1="50"),
        "A006": market.a_stall_with_meters("A006", electric=False),
    }
    with sqlite_db.transaction() as s:
        for code, ref in made.items():
            s.get(Stall, ref.stall_id).floor = "1F" if code <= "A003" else "2F"
            if ref.electric is None:
                continue
            meter = s.get(Meter, ref.electric)
            meter.comm_status = CommStatus.OFFLINE if code == "A002" else CommStatus.ONLINE
            meter.supply_on = code != "A004"  # tripped: low balance too, the trip shows
            meter.control_mode = ControlMode.FORCED_ON if code == "A005" else ControlMode.PREPAID
    view = FloorMapView(make_client())
    qtbot.addWidget(view)
    view.resize(1024, 600)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=20_000):
        view.refresh()
    expected = {
        "A001": TileState.ONLINE,
        "A002": TileState.OFFLINE,
        "A003": TileState.LOW_BALANCE,
        "A004": TileState.TRIPPED,
        "A005": TileState.FORCED,
        "A006": TileState.NO_METER,
    }
    tiles = {t.code: t for t in view.map.tiles}
    assert {code: t.state for code, t in tiles.items()} == expected
    assert [(t.floor, t.code) for t in view.map.tiles] == sorted(
        (t.floor, t.code) for t in view.map.tiles
    )
    picture = view.map.grab().toImage()
    for code, state in expected.items():
        rect = view.map.rect_of(tiles[code].id)
        corner = picture.pixelColor(rect.left() + 3, rect.top() + 3)  # beside the code's text
        assert corner == QColor(STATES[state][0]), code
    # the two floors are two rows: 2F's tiles below 1F's
    assert view.map.rect_of(tiles["A004"].id).top() > view.map.rect_of(tiles["A001"].id).bottom()

    qtbot.mouseClick(
        view.map, Qt.MouseButton.LeftButton, pos=view.map.rect_of(tiles["A003"].id).center()
    )
    qtbot.waitUntil(
        lambda: view.card_dialog is not None and view.card_dialog.card.card is not None,
        timeout=20_000,
    )
    assert view.card_dialog.card.card.code == "A003"
    assert view.card_dialog.card.building.text().endswith("1F")
    view.card_dialog.close()


def _names(map_widget) -> list[str]:
    return [text for _rect, text, is_building in map_widget.texts if not is_building]


def test_floor_names_have_room_and_a_market_without_floors_has_no_floor_column(qtbot):
    from app.services.office.overview import StallTile
    from app.ui.stalls.floor_map_view import GAP, StallMap

    view = StallMap()
    qtbot.addWidget(view)
    view.resize(800, 400)
    no_floors = [StallTile(i, f"A-{i:03}", "A区", "", TileState.ONLINE) for i in range(1, 4)]
    view.set_tiles(no_floors)
    assert _names(view) == []
    assert min(rect.left() for rect, _tile in view.rects) == GAP

    long_name = "一楼东侧冷库旁边"
    view.set_tiles(
        [StallTile(1, "A-001", "A区", long_name, TileState.ONLINE)]
        + [StallTile(i, f"A-{i:03}", "A区", "", TileState.ONLINE) for i in range(2, 4)]
    )
    assert len(_names(view)) == 2  # the named floor and the stalls without one
    metrics = view.fontMetrics()
    for rect, text, is_building in view.texts:
        if not is_building:
            assert metrics.horizontalAdvance(text) <= rect.width(), text
            assert rect.right() < min(r.left() for r, _tile in view.rects)
