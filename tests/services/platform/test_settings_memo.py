"""The settings a portal worker keeps between pages (SettingsMemo): read once, read again as
soon as the change feed shows they changed, never kept stale."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import delete, event, insert, select

from app.comm.types import MeterKind
from app.models.change_feed import ChangeFeed
from app.models.meter import Meter
from app.models.tariff import TariffMode
from app.services.market.stalls import stall_card
from app.services.money.online_payments import (
    PaymentProvider,
    enabled_providers,
    set_payment_settings,
)
from app.services.money.tariffs import TariffSpec, update_tariff
from app.services.platform.change_feed import SettingsMemo, latest_id, remembered
from app.services.platform.context import Changes
from tests.builders import Market
from tests.payment_doubles import WechatDouble, a_key_pair


def _stall_with_usage(m: Market):
    """A stall whose electricity meter has read 10 kWh since its settlement."""
    ref = m.a_stall_with_meters()
    with m.db.transaction() as s:
        meter = s.get(Meter, ref.electric)
        meter.settled_at = datetime.now(UTC) - timedelta(hours=2)
        meter.settled_total = 0
        meter.last_read_at = datetime.now(UTC) - timedelta(hours=1)
        meter.last_total = 1000  # 0.01 kWh per register unit
    return ref


class _Queries:
    def __init__(self, db):
        self.texts: list[str] = []
        event.listen(db.engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn, _cursor, statement, *_args):
        self.texts.append(statement)

    def of(self, table: str) -> int:
        return sum(f"FROM {table}" in t for t in self.texts)


def test_the_tariffs_are_read_once_and_again_after_a_clerk_changes_one(db):
    m = Market(db)
    ref = _stall_with_usage(m)
    memo = SettingsMemo()

    def unsettled() -> Decimal:
        with db.reading() as s:
            memo.lend(s)
            return stall_card(s, ref.stall_id, office=False).unsettled_amount

    assert unsettled() == Decimal("10.00")  # 10 kWh at 1 yuan
    queries = _Queries(db)
    assert unsettled() == Decimal("10.00")
    assert queries.of("tariff_rate") == 0  # kept from the first page

    with db.transaction() as s:
        update_tariff(
            s,
            m.admin,
            m.electric_tariff.id,
            TariffSpec(
                m.electric_tariff.name, MeterKind.ELECTRIC, TariffMode.FLAT, Decimal("1.5000")
            ),
        )
    queries.texts.clear()
    assert unsettled() == Decimal("15.00")  # the next page prices at the new tariff
    assert queries.of("tariff_rate") == 1
    assert unsettled() == Decimal("15.00")
    assert queries.of("tariff_rate") == 1


def test_a_payment_platform_turned_on_shows_on_the_next_page(db):
    m = Market(db)
    memo = SettingsMemo()

    def platforms():
        with db.reading() as s:
            memo.lend(s)
            return enabled_providers(s, m.site_id)

    assert platforms() == []
    private, public = a_key_pair()
    wechat = WechatDouble(public).start()
    try:
        with db.transaction() as s:
            set_payment_settings(
                s, m.admin, "wechat", wechat.settings(private, "http://127.0.0.1:9/unused")
            )
    finally:
        wechat.stop()
    assert platforms() == [PaymentProvider.WECHAT]


def test_rows_missed_by_pruning_or_a_setting_row_clear_the_memo(db):
    Market(db)
    memo = SettingsMemo()
    reads = []

    def page() -> str:
        with db.reading() as s:
            memo.lend(s)
            return remembered(s, "key", lambda: reads.append(1) or f"read {len(reads)}")

    def feed_row(flags: Changes) -> int:
        with db.transaction() as s:
            return s.execute(
                insert(ChangeFeed).values(site_id=1, flags=int(flags), origin="test")
            ).inserted_primary_key[0]

    assert page() == "read 1"
    feed_row(Changes.BALANCES | Changes.READINGS)  # not a setting: kept
    assert page() == "read 1"
    feed_row(Changes.SETTINGS | Changes.BALANCES)
    assert page() == "read 2"
    # rows this reader never saw were pruned: one of them may have changed a setting
    missed = feed_row(Changes.BALANCES)
    feed_row(Changes.BALANCES)
    with db.transaction() as s:
        s.execute(delete(ChangeFeed).where(ChangeFeed.id == missed))
    assert page() == "read 3"
    assert page() == "read 3"
    with db.reading() as s:
        assert latest_id(s) == s.scalar(select(ChangeFeed.id).order_by(ChangeFeed.id.desc()))


def test_a_value_read_before_a_change_is_not_kept_after_it(db):
    Market(db)
    memo = SettingsMemo()
    with db.reading() as s:
        memo.lend(s)
        with db.transaction() as w:
            w.execute(insert(ChangeFeed).values(site_id=1, flags=int(Changes.SETTINGS), origin="t"))
        with db.reading() as other:  # another thread's page sees the change
            memo.lend(other)
        # the first page reads its value as things were before: its own, not kept
        assert remembered(s, "key", lambda: "old") == "old"
    with db.reading() as s:
        memo.lend(s)
        assert remembered(s, "key", lambda: "read again") == "read again"
        assert remembered(s, "key", lambda: "not read") == "read again"
