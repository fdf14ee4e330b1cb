"""What a table view shows, as an .xlsx: the visible columns in the order on screen, the
rows the filter lets through in the current sort. Cells keep their type (numbers, money,
times) through THE exporter, app.services.office.excel_io.export_table."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from PySide6.QtWidgets import QHeaderView

from app.services.office import excel_io
from app.ui import site_time
from app.ui.tables.columns import Column, local_time, tr_col, yuan
from app.ui.tables.row_model import FilterProxy


def _kind(col: Column, value: Any) -> str:
    if col.fmt is yuan:
        return "money"
    if isinstance(value, datetime):
        return "datetime"
    if isinstance(value, date):
        return "date"
    if isinstance(value, int) and not isinstance(value, bool):
        return "int"
    if isinstance(value, (Decimal, float)):
        return "decimal"
    return "text"


def _cell(col: Column, value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "text":
        return col.fmt(value)  # what the clerk reads on screen: labels, not stored codes
    if kind == "money" and not isinstance(value, Decimal):
        return col.fmt(value)
    if kind == "datetime":
        # Excel has no time zones: the sheet shows the site's local time, as the screen does.
        return (
            site_time.local(value).replace(tzinfo=None) if col.fmt is local_time else col.fmt(value)
        )
    return value


def shown_table(
    header: QHeaderView, columns: list[Column], proxy: FilterProxy
) -> tuple[list[excel_io.Column], list[list[Any]]]:
    """(export columns, rows of cell values) of what is on screen."""
    order = [header.logicalIndex(v) for v in range(header.count())]
    visible = [i for i in order if not header.isSectionHidden(i)]
    rows = [proxy.row_at(r) for r in range(proxy.rowCount())]
    out_cols, kinds = [], []
    for i in visible:
        col = columns[i]
        sample = next((v for v in (col.value(r) for r in rows) if v is not None), None)
        kind = _kind(col, sample)
        kinds.append(kind)
        out_cols.append(excel_io.Column(col.key, tr_col(col.header), kind))
    body = [
        [_cell(columns[i], columns[i].value(r), k) for i, k in zip(visible, kinds, strict=False)]
        for r in rows
    ]
    return out_cols, body


def table_xlsx(columns: list[excel_io.Column], rows: list[list[Any]], title: str) -> bytes:
    return excel_io.export_table(columns, rows, title)
