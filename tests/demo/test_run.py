"""The live demo: the simulator and the collection service against the demo database,
with a fast clock, so balances fall, a stall that ran out trips and a recharge closes it."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from app.demo.run import DemoMarket
from app.models.account import PayMethod
from app.models.meter import Meter
from app.services.money.accounts import RechargeRequest, recharge
from app.services.platform.users import first_admin
from tests.waiting import wait_until


def test_a_stall_that_runs_out_trips_and_a_recharge_closes_its_relay_again(tmp_path):
    market = DemoMarket(
        f"sqlite:///{tmp_path / 'demo.db'}",
        speed=600,
        electric=40,
        water=10,
        months=1,
        poll_every_s=2,
    )
    changed: list[int] = []
    try:
        market.start(on_meters=changed.extend)
        assert market.low_stalls, "the first start leaves a few stalls with little money"
        db, sim = market.db, market.sim
        lines = {stored: simulated for simulated, stored in market.channel_ids.items()}
        # each building's master meter counts on with its stalls' 40 electricity meters
        masters = stored_masters(db)
        assert len(sim.masters()) == len(masters) == 6
        assert sum(len(m.physics.feeders) for m in sim.masters()) == 40

        def tripped():
            with db.transaction() as s:
                return s.execute(
                    select(Meter.id, Meter.stall_id, Meter.channel_id, Meter.address).where(
                        Meter.stall_id.in_(market.low_stalls), Meter.supply_on.is_(False)
                    )
                ).first()

        meter_id, stall_id, channel_id, address = wait_until(
            tripped, 120, "a low stall's meter tripped"
        )
        assert not sim.meter(
            lines[channel_id], address
        ).physics.relay_closed  # the simulated relay is open
        assert meter_id in changed  # the window was told which row changed

        with db.transaction() as s:
            admin = first_admin(s, market.site_id())
            recharge(
                s,
                admin,
                RechargeRequest(amount=Decimal("500.00"), method=PayMethod.CASH, stall_id=stall_id),
            )

        wait_until(
            lambda: sim.meter(lines[channel_id], address).physics.relay_closed,
            120,
            "the relay closed again",
        )
        wait_until(lambda: db_closed(db, meter_id), 120, "the database says it is closed")
        wait_until(
            lambda: all(total > masters[mid] for mid, total in stored_masters(db).items()),
            120,
            "every master meter was read counting on",
        )
    finally:
        market.stop()
        market.db.dispose()


def db_closed(db, meter_id: int) -> bool:
    with db.transaction() as s:
        return s.get(Meter, meter_id).supply_on is True


def stored_masters(db) -> dict[int, int]:
    with db.transaction() as s:
        return dict(
            s.execute(
                select(Meter.id, Meter.last_total).where(Meter.master_of_building_id.is_not(None))
            ).all()
        )
