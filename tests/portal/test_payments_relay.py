"""The online credit closes the relay as a counter recharge does: the meter simulator over real
sockets, the collection service, the portal and the WeChat Pay double."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from app.models.meter import Meter
from app.portal.payments import start_recharge
from app.services.market.collection import CommService
from app.services.money import online_payments
from tests.payment_doubles import WechatDouble, a_key_pair
from tests.portal.test_payments import a_portal, balance
from tests.services.market.test_collection import _supply, market, sim_meter  # noqa: F401
from tests.waiting import wait_until


def test_a_tripped_stall_paid_online_gets_its_power_back(market):  # noqa: F811
    db, sim, admin, configs = market
    with db.transaction() as s:
        meter = s.scalar(select(Meter).where(Meter.address == configs[0].meters[0].address))
        stall_id, address = meter.stall_id, meter.address
    # The stall ran out of money and its meter was tripped.
    physics = sim_meter(sim, configs, address).physics
    sim.call(physics.set_forced_control, True, True, sim.now())
    with db.transaction() as s:
        s.get(Meter, meter.id).supply_on = False
    merchant_private, merchant_public = a_key_pair()
    wechat = WechatDouble(merchant_public).start()
    service = CommService(
        db, admin.site_id, clock=sim.clock, speed=600.0, settle_every_s=3600, command_poll_s=0.2
    )
    with a_portal(db) as portal:
        with db.transaction() as s:
            online_payments.set_payment_settings(
                s, admin, "wechat", wechat.settings(merchant_private, f"{portal}/pay/notify/wechat")
            )
        service.start()
        try:
            order = start_recharge(db, stall_id, "100.00", "wechat", "native")
            assert not sim.call(lambda: physics.relay_closed)  # an order alone closes nothing
            assert wechat.pay(order.order_no).status == 204
            assert balance(db, stall_id) == Decimal("100.00")
            assert wait_until(lambda: sim.call(lambda: physics.relay_closed)), "relay did not close"
            assert wait_until(lambda: _supply(db, meter.id) is True)
        finally:
            service.stop()
            wechat.stop()
