"""NB water meters through the CTWing platform double: pushes in, signed commands out."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

import pytest
import requests

from app.comm import messages
from app.comm.protocols import ctwing
from app.comm.simulator import SimConfig
from app.comm.simulator.ctwing_double import APP_KEY, APP_SECRET, MASTER_KEY, PRODUCT_ID
from app.comm.sources import parse_networks
from app.comm.transports.ctwing_http import CtwingCommandClient
from app.comm.types import Action, ChannelKind, CommandRequest, CommandResult
from tests.comm.runtime_helpers import running

WATER = dict(electric=0, water=5, seed=9, report_interval_s=3600)


def water_channel(channels):
    return next(c for c in channels if c.kind is ChannelKind.CTWING)


@pytest.fixture
def market():
    with running(SimConfig(**WATER)) as (sim, poller, sink, channels):
        ch = water_channel(channels)
        sim.set_push_url(poller.push_url(ch.id))
        yield sim, poller, sink, ch


def test_data_reports_pushed_by_the_platform_become_readings(market):
    sim, poller, sink, ch = market
    sim.call(sim.platform.wake_all)
    readings = sink.wait(lambda s: len(s.readings) >= 5 and s.readings, what="5 reports")
    by_device = {r.address: r for r in readings}
    assert set(by_device) == {m.address for m in ch.meters}
    reading = by_device[ch.meters[0].address]
    physics = sim.meter(ch.id, reading.address).physics
    assert reading.source == "upload" and reading.valve_open is True
    assert abs(reading.total - int(physics.volume_l)) <= 1
    assert reading.battery_v == physics.battery_v and reading.signal_dbm == physics.signal_dbm
    sink.wait(
        lambda s: all(st.online for st in s.statuses) and len(s.statuses) >= 5, what="meters online"
    )


def test_a_valve_command_is_pending_until_the_meter_wakes_then_confirmed(market):
    sim, poller, sink, ch = market
    device = ch.meters[2].address
    poller.submit([CommandRequest(31, ch.id, device, Action.VALVE_CLOSE)])
    first = sink.wait(lambda s: s.results_for(31), what="accepted")[0]
    assert first == CommandResult(31, ok=True, pending=True, reason=messages.WATER_PENDING)
    assert sim.platform.accepted == 1
    assert sim.meter(ch.id, device).physics.valve_open is True  # asleep: nothing happened yet
    sim.call(sim.platform.wake, device)
    final = sink.final_result(31)
    assert final == CommandResult(31, ok=True, pending=False, valve_open=False)
    assert sim.meter(ch.id, device).physics.valve_open is False
    closed = sink.wait(
        lambda s: [r for r in s.readings if r.address == device and r.valve_open is False],
        what="report",
    )
    assert closed[-1].valve_open is False
    assert len(sink.results_for(31)) == 2


def test_water_meters_do_not_do_relay_actions_and_unknown_devices_are_refused(market):
    sim, poller, sink, ch = market
    poller.submit(
        [
            CommandRequest(32, ch.id, ch.meters[0].address, Action.TRIP),
            CommandRequest(33, ch.id, "no-such-device", Action.VALVE_OPEN),
        ]
    )
    assert "不支持" in str(sink.final_result(32).reason)
    assert sink.final_result(33).reason == messages.METER_UNKNOWN(address="no-such-device")


def test_the_double_checks_the_signature(market):
    sim, poller, sink, ch = market
    base = ch.settings["base_url"]
    content = ctwing.command_content(ctwing.load_water_model(), Action.VALVE_OPEN)
    wrong = CtwingCommandClient(
        app_key=APP_KEY, app_secret="not-the-secret", master_key=MASTER_KEY, base_url=base
    )
    with pytest.raises(ctwing.CtwingError, match="signature"):
        wrong.create_command(
            product_id=PRODUCT_ID, device_id=ch.meters[0].address, content=content, operator="t"
        )
    right = CtwingCommandClient(
        app_key=APP_KEY, app_secret=APP_SECRET, master_key=MASTER_KEY, base_url=base
    )
    accepted = right.create_command(
        product_id=PRODUCT_ID, device_id=ch.meters[0].address, content=content, operator="t"
    )
    assert accepted.command_id and accepted.status == "指令已保存"
    # a body changed after signing is refused too
    request = ctwing.create_command_request(
        app_key=APP_KEY,
        app_secret=APP_SECRET,
        master_key=MASTER_KEY,
        product_id=PRODUCT_ID,
        device_id=ch.meters[0].address,
        content=content,
        operator="t",
        timestamp_ms=1,
        base_url=base,
    )
    tampered = request.body.replace(b'"ttl":7200', b'"ttl":7201')
    reply = requests.post(request.url, data=tampered, headers=dict(request.headers), timeout=5)
    assert json.loads(reply.content)["code"] != 0
    assert sim.platform.rejected == 2


def test_a_command_refused_by_the_platform_fails_with_the_reason(market):
    sim, poller, sink, ch = market
    # the poller is configured with a wrong secret for this one check
    runtime = poller._runtimes[ch.id]
    runtime.client.app_secret = "wrong"
    poller.submit([CommandRequest(34, ch.id, ch.meters[0].address, Action.VALVE_CLOSE)])
    result = sink.final_result(34)
    assert not result.ok and str(result.reason).startswith("电信平台拒绝命令")


def test_the_push_endpoint_answers_fast_and_survives_bad_pushes(market):
    sim, poller, sink, ch = market
    url = poller.push_url(ch.id)
    assert (
        requests.post(url, data=b"not json", timeout=5).status_code == 200
    )  # logged, not retried forever
    assert (
        requests.post(url.replace("/ctwing/push", "/other"), data=b"{}", timeout=5).status_code
        == 404
    )
    sink.wait(
        lambda s: any("推送无法解析" in str(e.message) for e in poller.errors_since(0)[1]),
        what="bad push logged",
    )
    sim.call(sim.platform.wake, ch.meters[0].address)
    sink.wait(lambda s: s.readings, what="a good push still works")


def test_a_sleeping_meter_misses_the_ttl_and_the_command_expires():
    with running(SimConfig(**WATER)) as (sim, poller, sink, channels):
        ch = water_channel(channels)
        runtime = poller._runtimes[ch.id]
        runtime.ttl_s = 1
        poller.submit([CommandRequest(35, ch.id, ch.meters[1].address, Action.VALVE_CLOSE)])
        result = sink.final_result(35, timeout_s=10)
        assert not result.ok and result.reason == messages.WATER_COMMAND_EXPIRED


# ---------------------------------------------------------------- who may push (CTWing signs
# nothing)
def a_data_report(device: str, *, at_ms: int, volume_m3: float = 1.0) -> bytes:
    """What the platform's dataReport looks like (PROTOCOLS.md §5.1), as a forger writes it."""
    return json.dumps(
        {
            "messageType": "dataReport",
            "tenantId": "2000033827",
            "productId": PRODUCT_ID,
            "deviceId": device,
            "IMEI": "860000000000001",
            "protocol": "lwm2m",
            "timestamp": at_ms,
            "serviceId": "waterMeter",
            "upPacketSN": -1,
            "payload": {"cumulativeFlow": volume_m3, "valveStatus": 1, "batteryVoltage": 3.6},
        }
    ).encode()


def refusals(poller, text: str) -> list[str]:
    return [str(e.message) for e in poller.errors_since(0)[1] if text in str(e.message)]


def test_a_forged_push_without_the_token_is_refused_and_said(market):
    sim, poller, sink, ch = market
    url = poller.push_url(ch.id)
    assert "?token=" in url and ch.settings["push_token"] in url
    # the comm monitor, which every role sees, shows the address without the secret
    shown = [str(st.detail) for st in sink.channel_statuses if st.channel_id == ch.id]
    assert any("/ctwing/push" in d for d in shown) and not any(
        ch.settings["push_token"] in d for d in shown
    )
    device = ch.meters[0].address
    now_ms = int(time.time() * 1000)
    bare = url.split("?")[0]
    forged = a_data_report(
        device, at_ms=now_ms, volume_m3=0.001
    )  # a lower reading would hold the meter
    assert requests.post(bare, data=forged, timeout=5).status_code == 403
    assert requests.post(bare + "?token=guessed", data=forged, timeout=5).status_code == 403
    assert (
        len(refusals(poller, "令牌不对或缺失")) == 2 and "127.0.0.1" in refusals(poller, "令牌")[0]
    )
    # the real platform's pushes still get in, and only they are stored
    sim.call(sim.platform.wake, device)
    readings = sink.wait(lambda s: s.readings, what="the platform's report")
    assert [r.total for r in readings] != [1] and all(r.total > 1 for r in readings)
    assert poller._hubs[("push", "127.0.0.1", 0)].refused == 2


def test_a_push_from_outside_the_allowed_networks_is_refused_even_with_the_token(market):
    sim, poller, sink, ch = market
    poller._runtimes[ch.id].allowed_sources = parse_networks("10.8.0.0/16")
    url = poller.push_url(ch.id)
    body = a_data_report(ch.meters[0].address, at_ms=int(time.time() * 1000))
    assert requests.post(url, data=body, timeout=5).status_code == 403
    assert refusals(poller, "不在通道允许的来源网段中")
    poller._runtimes[ch.id].allowed_sources = parse_networks("127.0.0.0/8")
    assert requests.post(url, data=body, timeout=5).status_code == 200
    sink.wait(lambda s: s.readings, what="a push from an allowed network")


def test_a_push_for_a_device_not_on_the_channel_is_dropped_and_said(market):
    sim, poller, sink, ch = market
    body = a_data_report("f" * 32, at_ms=int(time.time() * 1000))
    assert (
        requests.post(poller.push_url(ch.id), data=body, timeout=5).status_code == 200
    )  # or the platform retries
    sink.wait(
        lambda s: refusals(poller, f"推送中的设备 {'f' * 32} 不是本通道的水表"), what="the alert"
    )
    assert sink.readings == []


def test_a_report_timed_hours_ahead_is_stored_at_the_receive_time_and_flagged(market):
    sim, poller, sink, ch = market
    device = ch.meters[1].address
    before = datetime.now(UTC)
    body = a_data_report(device, at_ms=int((time.time() + 3 * 3600) * 1000), volume_m3=2.5)
    assert requests.post(poller.push_url(ch.id), data=body, timeout=5).status_code == 200
    (reading,) = sink.wait(lambda s: s.readings, what="the reading")
    assert reading.total == 2500 and before <= reading.read_at <= datetime.now(UTC)
    (flag,) = refusals(poller, "上报的时间比本机时钟快")
    assert device in flag and "180" in flag
