"""The meter simulator: physics, protocol behaviour, line timing, manifest, CLI."""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from pymodbus.client import ModbusTcpClient
from pymodbus.framer import FramerType

from app.cli import main as cli_main
from app.comm.profiles import load_profile
from app.comm.protocols import dlt645 as d
from app.comm.protocols import modbus_rtu as mb
from app.comm.simulator import MarketSimulator, SimConfig, load_manifest
from app.comm.simulator.devices import _PLANS, MEMO_SIZE, AcrelModbusDevice, RtuLineCodec
from app.comm.simulator.dlt645_device import Dlt645Device
from app.comm.simulator.lines import BusSim, wire_time_s
from app.comm.simulator.misbehave import parse_spec
from app.comm.simulator.physics import (
    ElectricMeter,
    MasterMeter,
    WaterMeter,
    line_loss,
    parse_tamper,
    tamper,
    tariff_at,
)
from app.comm.types import ChannelKind, MeterKind, Protocol
from tests.comm.runtime_helpers import running

NOON_CST = datetime(2026, 6, 1, 4, 0, tzinfo=UTC)  # 12:00 China Standard Time, 平 period


def test_energy_flows_into_the_tariff_of_the_hour_and_stops_when_the_relay_opens():
    meter = ElectricMeter.create("1", seed=3, now=NOON_CST)
    before = list(meter.energy_kwh)
    meter.advance(NOON_CST + timedelta(hours=1))
    assert tariff_at(NOON_CST) == 2
    assert meter.energy_kwh[2] > before[2] and meter.energy_kwh[:2] == before[:2]
    meter.set_forced_control(True, True, NOON_CST + timedelta(hours=1))  # forced trip
    frozen = list(meter.energy_kwh)
    meter.advance(NOON_CST + timedelta(hours=5))
    assert meter.energy_kwh == frozen and meter.power_kw(NOON_CST + timedelta(hours=5)) == 0
    assert meter.values(NOON_CST + timedelta(hours=5))["forced_mode"] == "forced_off"


def test_a_master_meter_counts_what_its_stalls_meters_count_plus_the_days_line_loss():
    a = ElectricMeter.create("1", seed=3, now=NOON_CST)
    b = ElectricMeter.create("2", seed=3, now=NOON_CST)
    master = MasterMeter(
        address="1", profile=a.profile, updated_at=NOON_CST, ct=60, seed=3, loss_key="building:0"
    )
    master.feed([(a, 1), (b, 5)], NOON_CST)  # b is read through a 5:1 ct
    loss = line_loss(3, "building:0", date(2026, 6, 1))
    assert 0.02 <= loss <= 0.045

    def used(meters_from, meters_to):
        return [sum(t) - sum(f) for f, t in zip(meters_from, meters_to, strict=True)]

    start = [list(m.energy_kwh) for m in (a, b, master)]
    later = NOON_CST + timedelta(hours=3)
    master.values(later)  # a read of the master alone brings its stalls' meters along
    ua, ub, um = used(start, [a.energy_kwh, b.energy_kwh, master.energy_kwh])
    assert ua > 0 and ub > 0
    assert um * 60 == pytest.approx((ua + 5 * ub) * (1 + loss))
    assert master.power_kw(later) == pytest.approx(
        (a.power_kw(later) + 5 * b.power_kw(later)) * (1 + loss) / 60
    )
    b.set_forced_control(True, True, later)  # b trips; the master is never cut
    start = [list(m.energy_kwh) for m in (a, b, master)]
    master.advance(later + timedelta(hours=2))
    ua, ub, um = used(start, [a.energy_kwh, b.energy_kwh, master.energy_kwh])
    assert ub == 0 and master.relay_closed
    assert um * 60 == pytest.approx(ua * (1 + loss))


def test_line_losses_vary_by_day_and_a_lossy_building_goes_above_five_percent_some_days():
    days = [date(2026, 6, 1) + timedelta(days=n) for n in range(60)]
    usual = [line_loss(3, "building:0", d) for d in days]
    lossy = [line_loss(3, "building:2", d, lossy=True) for d in days]
    assert all(0.02 <= x <= 0.045 for x in usual) and len(set(usual)) == len(days)
    high = [x for x in lossy if x > 0.05]
    assert 5 <= len(high) <= 30 and max(lossy) <= 0.075


def test_the_same_seed_gives_the_same_market():
    a = ElectricMeter.create("7", seed=11, now=NOON_CST)
    b = ElectricMeter.create("7", seed=11, now=NOON_CST)
    c = ElectricMeter.create("7", seed=12, now=NOON_CST)
    later = NOON_CST + timedelta(hours=30)
    assert (
        a.values(later)["total_kwh"] == b.values(later)["total_kwh"] != c.values(later)["total_kwh"]
    )


def test_water_stops_when_the_valve_is_closed():
    meter = WaterMeter.create("dev", "imei", seed=1, now=NOON_CST)
    meter.set_valve(False, NOON_CST)
    volume = meter.values(NOON_CST)["volume_l"]
    assert meter.values(NOON_CST + timedelta(hours=3))["volume_l"] == volume


def test_acrel_forced_control_semantics_on_the_register_image():
    profile = load_profile("acrel_ddsy1352_mapb")
    meter = ElectricMeter.create("1", seed=1, now=NOON_CST)
    device = AcrelModbusDevice(1, meter, profile, lambda: NOON_CST)

    def write(values):
        _, request = mb.decode_request(mb.write_request(1, 0x0057, values))
        assert isinstance(device.answer(request), mb.WriteResponse)
        return profile.values(device.registers())

    assert write([1, 1])["relay_l1_closed"] is False  # 分闸: forced trip
    values = write([1, 0])  # 保电: forced close
    assert values["relay_l1_closed"] is True and values["forced_mode"] == "forced_on"
    meter.remaining_money_fen = 0
    device.invalidate()
    assert write([0, 0])["relay_l1_closed"] is False  # restore: the meter's own prepaid logic trips
    _, bad = mb.decode_request(mb.read_request(1, 0x0300, 4))
    assert isinstance(device.answer(bad), mb.ExceptionResponse)  # outside the map: illegal address


def test_a_later_read_shows_what_changed_and_the_image_read_before_stays():
    profile = load_profile("acrel_ddsy1352_mapb")
    meter = ElectricMeter.create("1", seed=1, now=NOON_CST)
    now = [NOON_CST]
    device = AcrelModbusDevice(1, meter, profile, lambda: now[0])
    first = device.registers()
    kept = dict(first)
    now[0] += timedelta(hours=2)
    meter.voltage_v = 231.0
    second = device.registers()
    assert first == kept  # handed out before: unchanged
    fresh = AcrelModbusDevice(1, meter, profile, lambda: now[0]).registers()
    assert second == fresh  # the image kept up to date equals one built from nothing
    values = profile.values(second)
    assert values["energy_total"] > profile.values(first)["energy_total"]
    assert values["clock_hour"] == 14 and values["ua"] == Decimal("231.0")


def test_a_simulated_meter_read_for_months_keeps_its_value_memos_bounded():
    # every read brings new energy and voltage values: the memos of the register encoding
    # fill up to their size once and then stay, instead of emptying and filling for ever
    profile = load_profile("acrel_ddsy1352_mapb")
    meter = ElectricMeter.create("1", seed=1, now=NOON_CST)
    now = [NOON_CST]
    device = AcrelModbusDevice(1, meter, profile, lambda: now[0])
    for i in range(3 * MEMO_SIZE):
        now[0] += timedelta(minutes=15)
        meter.voltage_v = 200.0 + i / 10
        image = device.registers()
    memos = [
        how[2]
        for _name, _field, how in _PLANS[(profile, device.three_phase)]
        if isinstance(how, tuple)
    ]
    assert memos and all(len(memo) <= MEMO_SIZE for memo in memos)
    assert max(len(memo) for memo in memos) == MEMO_SIZE  # the memo is used until it is full
    assert image == AcrelModbusDevice(1, meter, profile, lambda: now[0]).registers()
    assert profile.values(image)["ua"] == Decimal(f"{200.0 + (3 * MEMO_SIZE - 1) / 10:.1f}")


def test_dlt645_protected_meter_rejects_a_trip_with_err_04():
    meter = ElectricMeter.create("1", seed=1, now=NOON_CST)
    device = Dlt645Device("123456789012", meter, lambda: NOON_CST)
    deadline = datetime(2026, 6, 1, 13, 0)

    def send(action):
        _, request = d.decode(d.relay_control("123456789012", action, deadline))
        return device.answer(request)

    assert isinstance(send("forced_on"), d.Ack)  # 3A 保电
    refused = send("trip")  # 1A while 保电
    assert isinstance(refused, d.ErrorReply) and refused.error == 0x04
    assert refused.encode()[-5:] == bytes.fromhex("DC 01 37 9A 16".replace(" ", ""))[-5:]
    assert isinstance(send("restore_prepaid"), d.Ack)  # 3B
    assert isinstance(send("trip"), d.Ack) and meter.relay_closed is False
    _, status = d.decode(d.read_request("123456789012", 0x04000503))
    word = d.StatusWord3(device.answer(status).values()[0])
    assert word.relay_open and not word.protected


def test_bus_timing_is_the_wire_time_at_the_baud_rate_plus_turnaround():
    meter = ElectricMeter.create("1", seed=1, now=NOON_CST)
    bus = BusSim("bus", RtuLineCodec(), baud=9600, turnaround_s=0.005)
    bus.add(AcrelModbusDevice(1, meter, load_profile("acrel_ddsy1352_mapb"), lambda: NOON_CST))
    _, request = mb.decode_request(mb.read_request(1, 0x0200, 48))
    answer = bus.exchange(request, 8, now=100.0)
    assert len(answer.data) == 101
    assert answer.delay_s == pytest.approx(wire_time_s(8 + 101, 9600) + 0.005)
    bus.exchange(request, 8, now=100.01)  # the line is still busy: a collision
    assert bus.collisions == 1


def test_misbehaviour_specs():
    assert parse_spec("no_answer:0.02") == ("no_answer", 0.02, None)
    assert parse_spec("offline:0.1:30")[2] == 30
    with pytest.raises(ValueError, match="unknown misbehaviour"):
        parse_spec("explode")


def test_pymodbus_reads_the_simulated_gateway_as_an_independent_reference():
    config = SimConfig(
        electric=8,
        water=0,
        acrel_4g=0,
        dtus=0,
        gateways=1,
        meters_per_bus=4,
        dlt645_share=0,
        three_phase_share=0,
        seed=4,
    )
    with running(config) as (sim, poller, sink, channels):
        gateway = next(c for c in channels if c.kind is ChannelKind.MODBUS_TCP)
        serial_server = next(c for c in channels if c.kind is ChannelKind.SERIAL_SERVER)
        ours = {r.address: r for r in poller.read_now(gateway.meters).result(10)}
        profile = load_profile("acrel_ddsy1352_mapb")
        client = ModbusTcpClient("127.0.0.1", port=gateway.settings["port"], timeout=3, retries=0)
        assert client.connect()
        try:
            reply = client.read_holding_registers(0x0200, count=48, device_id=2)
            assert not reply.isError()
            image = dict(zip(range(0x0200, 0x0230), reply.registers, strict=True))
            values = profile.values(image)
            assert abs(int(values["energy_total"] * 100) - ours["2"].total) <= 2
            assert values["relay_l1_closed"] is True
            # pymodbus sends the forced trip; our poller sees it
            assert not client.write_registers(0x0057, [1, 1], device_id=2).isError()
        finally:
            client.close()
        again = poller.read_now([m for m in gateway.meters if m.address == "2"]).result(10)[0]
        assert again.relay_closed is False and again.forced_mode == "forced_off"
        rtu = ModbusTcpClient(
            "127.0.0.1",
            port=serial_server.settings["port"],
            framer=FramerType.RTU,
            timeout=3,
            retries=0,
        )
        assert rtu.connect()
        try:
            reply = rtu.read_holding_registers(0x0200, count=48, device_id=3)
            assert not reply.isError() and reply.registers[0] == 7  # meter type DDSY1352
        finally:
            rtu.close()


@pytest.mark.skipif(sys.platform == "win32", reason="pty is POSIX")
def test_a_serial_bus_through_a_pty_with_the_serial_transport():
    config = SimConfig(
        electric=3,
        water=0,
        acrel_4g=0,
        dtus=0,
        gateways=0,
        pty_buses=1,
        meters_per_bus=3,
        three_phase_share=0,
        seed=8,
        baud=19200,
    )
    with running(config) as (sim, poller, sink, channels):
        ch = next(c for c in channels if c.kind is ChannelKind.SERIAL)
        assert ch.settings["port"].startswith("/dev/")
        readings = poller.read_now(ch.meters).result(15)
        assert sorted(r.address for r in readings) == ["1", "2", "3"]
        assert (
            all(v["overlaps"] == 0 for v in poller.bus_stats().values()) and sim.collisions() == 0
        )


def test_manifest_describes_every_channel_and_loads_back_into_channel_configs(tmp_path):
    config = SimConfig(
        electric=70,
        water=3,
        acrel_4g=5,
        dtus=1,
        gateways=1,
        meters_per_bus=10,
        dlt645_share=0.5,
        dial_port=0,
        seed=2,
    )
    with MarketSimulator(config) as sim:
        path = tmp_path / "m.json"
        sim.write_manifest(str(path))
        raw = json.loads(path.read_text(encoding="utf-8"))
        channels = load_manifest(path)
    kinds = {c.kind for c in channels}
    assert kinds == {
        ChannelKind.SERIAL_SERVER,
        ChannelKind.MODBUS_TCP,
        ChannelKind.DTU,
        ChannelKind.ACREL_4G,
        ChannelKind.CTWING,
    }
    assert sum(len(c.meters) for c in channels) == 73
    assert {m.protocol for c in channels for m in c.meters} >= {
        Protocol.MODBUS_ACREL,
        Protocol.DLT645_2007,
        Protocol.CTWING_WATER,
    }
    first = raw["channels"][0]
    assert {"kind", "host", "port", "protocol", "settings", "meters"} <= set(first)
    assert {"address", "model", "profile", "kind"} <= set(first["meters"][0])
    server = next(c for c in channels if c.kind is ChannelKind.SERIAL_SERVER)
    assert server.settings["port"] > 0 and server.meters[0].channel_id == server.id


def test_cli_sim_runs_for_a_while_and_writes_the_manifest(tmp_path, capsys):
    path = tmp_path / "sim.json"
    code = cli_main(
        [
            "sim",
            "--electric",
            "12",
            "--water",
            "2",
            "--manifest",
            str(path),
            "--duration",
            "0.3",
            "--speed",
            "60",
            "--seed",
            "5",
            "--misbehave",
            "no_answer:0.1",
        ]
    )
    assert code == 0
    assert "simulator ready" in capsys.readouterr().out
    assert len(load_manifest(path)) >= 2
    assert cli_main(["sim", "--misbehave", "explode"]) == 2


@pytest.mark.parametrize(
    "name", ["acrel_ddsy1352_mapa", "acrel_ddsy1352_mapb", "acrel_dtsy1352_mapb"]
)
def test_the_meter_image_holds_its_physics_values_rounded_to_each_register_step(name):
    # the device builds its image with a per-profile plan; it must equal the profile's own
    # encoding of the physics values rounded to each field's scale
    from decimal import Decimal

    from app.comm.simulator.devices import _physics_to_fields

    profile = load_profile(name)
    for k in range(25):
        at = datetime(2026, 3, 1, tzinfo=UTC) + timedelta(hours=5 * k, seconds=k)
        meter = ElectricMeter.create(str(k), seed=k, now=at)
        device = AcrelModbusDevice(k + 1, meter, profile, lambda at=at: at)
        image = dict(device.registers())
        raw = _physics_to_fields(meter.values(at), device.three_phase)
        values = {}
        for field_name, field in profile.fields.items():
            if field_name in raw:
                value = raw[field_name]
                if field.type == "bit":
                    values[field_name] = value
                elif field.scale is None:
                    values[field_name] = int(value)
                else:
                    values[field_name] = Decimal(str(value)).quantize(field.scale)
        assert image == profile.encode_registers(values)
        assert profile.values(image)["energy_total"] == values["energy_total"]


def test_a_read_request_seen_before_is_remembered_but_nothing_else_is():
    from app.comm.simulator.devices import KnownReads

    calls = []

    def decode(frame):
        calls.append(frame)
        return mb.decode_request(frame)

    known = KnownReads(decode, size=2)
    read = mb.encode_rtu(mb.ReadRequest(3, 0x0200, 48))
    assert known(read) == (len(read), mb.ReadRequest(3, 0x0200, 48))
    assert known(read) == known(read) and len(calls) == 1  # the same bytes: decoded once
    bad = read[:-1] + bytes([read[-1] ^ 0xFF])
    assert not isinstance(known(bad)[1], mb.ReadRequest) and not isinstance(
        known(bad)[1], mb.ReadRequest
    )
    write = mb.encode_rtu(mb.WriteRequest(3, 0x0057, (1, 1)))
    known(write), known(write)
    known(read + read[:3])  # a read with the next frame's start: not one whole frame
    known(read + read[:3])
    assert len(calls) == 1 + 2 + 2 + 2  # the damaged, the write and the longer buffer each time
    known(mb.encode_rtu(mb.ReadRequest(4, 0, 2)))
    known(mb.encode_rtu(mb.ReadRequest(5, 0, 2)))  # full (size 2): starts again
    known(read)
    assert calls[-1] == read


def test_each_tamper_case_shows_in_what_the_meter_reports():
    """`sim --tamper`: a bypassed meter counts with its relay open (status word 3 bit4),
    a stuck one stops counting under load, reverse energy (00020000) and the cover-open count
    (03300D00) go up."""
    from datetime import UTC, datetime, timedelta

    from app.comm.protocols import dlt645 as d
    from app.comm.simulator.dlt645_device import Dlt645Device
    from app.comm.simulator.physics import ElectricMeter, parse_tamper, tamper

    t0 = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)
    now = [t0]

    def read(device, di):
        reply = device.answer(d.ReadRequest(device.address, di, d.Version.V2007))
        return d.reading_fields([reply])

    cases = {}
    for case in ("bypass", "stuck", "reverse", "cover_open", "overload"):
        meter = ElectricMeter.create("000000000001", 1, t0)
        tamper(meter, case, t0)
        cases[case] = Dlt645Device("000000000001", meter, lambda: now[0])
    before = {case: read(dev, 0x00010000)["total"] for case, dev in cases.items()}
    now[0] = t0 + timedelta(hours=2)
    bypass = cases["bypass"]
    assert read(bypass, 0x04000503)["relay_closed"] is False
    assert read(bypass, 0x00010000)["total"] >= before["bypass"] + 400  # ≥ 4 kWh at 2 kW
    assert read(cases["stuck"], 0x00010000)["total"] == before["stuck"]
    assert read(cases["stuck"], 0x02030000)["power_kw"] > 0
    assert read(cases["reverse"], 0x00020000)["reverse_total"] == 300  # 1.5 kW × 2 h
    assert read(cases["cover_open"], 0x03300D00)["cover_opens"] == 1
    assert read(cases["overload"], 0x02030000)["power_kw"] > 15
    assert parse_tamper("overload:0.05") == ("overload", 0.05)
    with pytest.raises(ValueError):
        parse_tamper("fire")


def test_a_leaking_water_meter_reads_closed_and_still_counts():
    """`sim --tamper leak`: the valve reads closed while water flows past it (a bypass pipe,
    a valve that no longer seals); a closed valve that seals counts nothing."""
    t0 = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)
    leaking, sealed = (WaterMeter.create(f"dev{n}", f"86{n}", 1, t0) for n in (1, 2))
    tamper(leaking, "leak", t0)
    sealed.set_valve(False, t0)
    before = {id(m): m.values(t0)["volume_l"] for m in (leaking, sealed)}
    later = t0 + timedelta(hours=2)
    assert leaking.values(later)["valve_open"] is False
    assert leaking.values(later)["volume_l"] - before[id(leaking)] in (399, 400, 401)
    assert sealed.values(later)["volume_l"] == before[id(sealed)]
    assert parse_tamper("leak:0.2") == ("leak", 0.2)
    with pytest.raises(ValueError, match="for water meters"):
        tamper(ElectricMeter.create("000000000001", 1, t0), "leak", t0)
    with pytest.raises(ValueError, match="for electricity meters"):
        tamper(sealed, "bypass", t0)


def test_tamper_specs_set_up_that_share_of_the_electricity_meters():
    from app.comm.simulator.market import MarketSimulator, SimConfig

    config = SimConfig(
        electric=4,
        water=0,
        acrel_4g=0,
        dtus=0,
        gateways=0,
        meters_per_bus=2,
        seed=2,
        tamper=["cover_open:0.5", "reverse:1.0"],
    )
    with MarketSimulator(config) as sim:
        meters = [m.physics for m in sim.meters.values()]
        assert sorted(m.cover_opens for m in meters) == [0, 0, 1, 1]
        assert all(m.reverse_kw == 1.5 for m in meters)


def test_the_leak_case_is_set_up_on_that_share_of_the_water_meters():
    config = SimConfig(
        electric=2,
        water=4,
        acrel_4g=0,
        dtus=0,
        gateways=0,
        meters_per_bus=2,
        seed=2,
        tamper=["leak:0.5"],
    )
    with MarketSimulator(config) as sim:
        water = [m for m in sim.meters.values() if m.kind is MeterKind.WATER]
        leaking = [m for m in water if m.extra.get("tamper") == ["leak"]]
        assert len(leaking) == 2
        assert all(not m.physics.valve_open and m.physics.leak_lph > 0 for m in leaking)
        assert all(m.physics.valve_open for m in water if m not in leaking)
        electric = [m for m in sim.meters.values() if m.kind is MeterKind.ELECTRIC]
        assert len(electric) == 2 and not any(m.extra.get("tamper") for m in electric)
