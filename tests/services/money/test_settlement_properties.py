"""Property: whatever the order of readings, held readings, replacements, settlements and
recharges, no money appears or disappears and every register unit is billed exactly once."""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.models.account import Account, EntryKind, LedgerEntry
from app.models.billing import Bill, BillLine, BillStatus
from app.models.meter import AnomalyStatus, ReadingAnomaly
from app.services.market.readings import ingest, replace_meter, resolve_anomaly
from app.services.market.usage import unsettled_usage
from app.services.money.ledger import ledger_sum
from app.services.money.settlement import settle
from app.services.money.tariffs import register_quantity
from tests.builders import Market, local
from tests.conftest import db_examples

step = st.one_of(
    st.tuples(st.just("read"), st.integers(0, 2), st.integers(30, 300), st.integers(0, 2_000)),
    st.tuples(st.just("read_down"), st.integers(0, 2), st.integers(30, 300), st.integers(1, 500)),
    st.tuples(st.just("resolve"), st.booleans()),
    st.tuples(st.just("settle"), st.integers(0, 30)),
    st.tuples(st.just("recharge"), st.decimals("0.01", "500", places=2)),
    st.tuples(st.just("replace"), st.integers(0, 2), st.integers(0, 300), st.integers(0, 5_000)),
)


@settings(
    max_examples=db_examples(),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=st.lists(step, max_size=14), ct=st.sampled_from([1, 5]))
def test_money_and_usage_are_conserved(db, steps, ct):
    s = db.sessions()
    s.begin()
    try:
        _run(s, steps, ct)
    finally:
        s.rollback()
        s.close()


def _run(s, steps, ct):
    m = Market.in_session(s, electric_price="0.8765")
    stalls = [
        m.a_stall_with_meters(balance="50.00", ct=ct),
        m.a_stall_with_meters(balance="0", ct=ct),
    ]
    meters = [stalls[0].electric, stalls[1].electric]
    account_of = {
        stalls[0].electric: stalls[0].account_id,
        stalls[1].electric: stalls[1].account_id,
    }
    meter_ids = [stalls[0].electric, stalls[1].electric, None]  # index 2: a meter replacing index 0
    registers = {mid: 100_000 for mid in meters}
    expected = defaultdict(int)  # register units read and accepted, per meter
    now = local(2026, 11, 20, 8)
    for mid in meters:
        ingest(s, [m.reading(mid, now, registers[mid])])
    held: dict[int, int] = {}  # meter -> held total
    for op in steps:
        kind = op[0]
        if kind in ("read", "read_down"):
            mid = meter_ids[op[1]] or meter_ids[0]
            now += timedelta(minutes=op[2])
            if mid in held:
                continue
            if kind == "read":
                registers[mid] += op[3]
                expected[mid] += op[3]
                ingest(s, [m.reading(mid, now, registers[mid])])
            else:
                total = max(registers[mid] - op[3], 0)
                if total == registers[mid]:
                    continue
                ingest(s, [m.reading(mid, now, total)])
                held[mid] = total
        elif kind == "resolve" and held:
            mid, total = held.popitem()
            anomaly = s.scalar(
                select(ReadingAnomaly.id).where(
                    ReadingAnomaly.meter_id == mid, ReadingAnomaly.status == AnomalyStatus.HELD
                )
            )
            resolve_anomaly(s, m.admin, anomaly, op[1], "核实")
            if op[1]:
                registers[mid] = total  # the meter restarted there: nothing billed for the drop
        elif kind == "settle":
            now += timedelta(hours=op[1])
            before = _balances(s)
            first = settle(s, m.admin, now=now)
            again = settle(s, m.admin, now=now)
            assert again.bills == 0 and _balances(s) == before - first.amount
        elif kind == "recharge":
            m.recharge(stalls[1].account_id, op[1])
        elif kind == "replace":
            old = meter_ids[0]
            if old in held:
                continue
            now += timedelta(minutes=30)
            registers[old] += op[2]
            expected[old] += op[2]
            rep = replace_meter(
                s, m.admin, old, f"R{len(registers)}", registers[old], op[3], at=now
            )
            meter_ids[0] = meter_ids[2] = rep.new_meter_id
            registers[rep.new_meter_id] = op[3]
            account_of[rep.new_meter_id] = account_of[old]
        _check(s, m, stalls, expected, ct)


def _balances(s) -> Decimal:
    return s.scalar(select(func.sum(Account.balance))) or Decimal(0)


def _check(s, m, stalls, expected, ct):
    for stall in stalls:
        assert m.balance(stall) == ledger_sum(s, stall.account_id)
    billed = s.scalar(
        select(func.coalesce(func.sum(Bill.amount), 0)).where(Bill.status == BillStatus.SETTLED)
    )
    debited = s.scalar(
        select(func.coalesce(func.sum(LedgerEntry.amount), 0)).where(
            LedgerEntry.kind == EntryKind.BILL
        )
    )
    assert Decimal(billed) == -Decimal(debited)
    unsettled = {u.meter_id: u.quantity for u in unsettled_usage(s, [x.stall_id for x in stalls])}
    lines = dict(
        s.execute(
            select(BillLine.meter_id, func.sum(BillLine.quantity)).group_by(BillLine.meter_id)
        ).all()
    )
    for mid, units in expected.items():
        got = Decimal(lines.get(mid) or 0) + unsettled.get(mid, Decimal(0))
        assert got == register_quantity(m.electric_tariff.kind, units, ct), mid
