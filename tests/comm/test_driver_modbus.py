"""The Modbus driver: exchanges that recognise their own reply, and a reading equal to the
profile's own full decode (the driver decodes only what a MeterReading shows, for speed)."""

from __future__ import annotations

import dataclasses
import random
import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from app.comm.drivers.base import CommandRejected, UnsupportedAction
from app.comm.drivers.modbus import AcrelModbusDriver
from app.comm.profiles import load_profile, profile_names
from app.comm.protocols import modbus_rtu as mb
from app.comm.protocols.common import ProtocolError
from app.comm.simulator.devices import AcrelModbusDevice
from app.comm.simulator.physics import ElectricMeter
from app.comm.types import Action, MeterEndpoint, MeterKind, Protocol

AT = datetime(2026, 6, 1, 4, 0, tzinfo=UTC)
MODBUS_PROFILES = [n for n in profile_names() if n.startswith("acrel_")]


def replies_for(profile_name: str, framing: str = "rtu", **meter_state):
    profile = load_profile(profile_name)
    meter = ElectricMeter.create("1", seed=2, now=AT)
    for key, value in meter_state.items():
        setattr(meter, key, value)
    device = AcrelModbusDevice(5, meter, profile, lambda: AT)
    driver = AcrelModbusDriver(profile, framing)
    endpoint = MeterEndpoint(1, "5", MeterKind.ELECTRIC, Protocol.MODBUS_ACREL, profile_name)
    replies = {}
    for exchange in driver.read_plan(endpoint):
        if framing == "rtu":
            _, request = mb.decode_request(exchange.request)
            answer = mb.encode_rtu(device.answer(request))
        else:
            _, frame = mb.decode_tcp(exchange.request, mb.REQUEST)
            answer = mb.encode_tcp(device.answer(frame.message), frame.transaction_id)
        used, message = driver.decode(b"\x00\xff" + answer)  # noise first: skipped as garbage
        assert used == 2
        used, message = driver.decode(answer)
        assert exchange.expect(message)
        replies[exchange.key] = message
    return profile, driver, endpoint, replies


@pytest.mark.parametrize("name", MODBUS_PROFILES)
@pytest.mark.parametrize("framing", ["rtu", "mbap"])
def test_the_reading_equals_the_profiles_full_decode(name, framing):
    profile, driver, endpoint, replies = replies_for(name, framing, forced_control=True)
    reading = driver.to_reading(endpoint, replies, AT)
    unwrapped = [driver._unwrap(replies[b.name]) for b in profile.poll_blocks]
    full = profile.build_reading(
        profile.decode_poll(unwrapped), channel_id=1, address="5", read_at=AT
    )
    assert reading == full
    assert reading.forced_mode == "forced_on"


@pytest.mark.parametrize("name", MODBUS_PROFILES)
def test_the_reading_equals_the_full_decode_for_any_register_contents(name):
    # the driver picks each field's words out of the replies by position; any register
    # contents must give what the profile's own decode of the whole image gives
    profile = load_profile(name)
    driver = AcrelModbusDriver(profile, "mbap")
    endpoint = MeterEndpoint(1, "5", MeterKind.ELECTRIC, Protocol.MODBUS_ACREL, name)
    rnd = random.Random(name)
    for round_ in range(200):
        top = rnd.choice((0xFFFF, 0xFF, 3))  # small values too: bits, flags, derived cases
        responses = [
            mb.ReadResponse(5, tuple(rnd.randint(0, top) for _ in range(b.count)))
            for b in profile.poll_blocks
        ]
        replies = {
            b.name: (mb.TcpFrame(round_, r) if round_ % 2 else r)
            for b, r in zip(profile.poll_blocks, responses, strict=False)
        }
        try:
            want = profile.build_reading(
                profile.decode_poll(responses), channel_id=1, address="5", read_at=AT
            )
        except ProtocolError as exc:
            with pytest.raises(ProtocolError, match=re.escape(str(exc))):
                driver.to_reading(endpoint, replies, AT)
            continue
        assert driver.to_reading(endpoint, replies, AT) == want


def test_a_missing_or_short_reply_gives_the_profiles_own_error():
    profile, driver, endpoint, replies = replies_for("acrel_ddsy1352_mapb")
    short = dict(replies, main=mb.ReadResponse(5, replies["main"].registers[:-1]))
    with pytest.raises(ProtocolError, match="expected 48 registers, got 47"):
        driver.to_reading(endpoint, short, AT)
    with pytest.raises(ProtocolError, match="no answer"):
        driver.to_reading(endpoint, {"prepaid": replies["prepaid"]}, AT)
    # the prepaid block is optional: the reading is what the main block shows
    without = driver.to_reading(endpoint, {"main": replies["main"]}, AT)
    assert without == profile.build_reading(
        profile.decode_poll([replies["main"], None]), channel_id=1, address="5", read_at=AT
    )
    assert without.total > 0


def test_a_reply_of_another_length_or_slave_is_not_taken_for_ours():
    profile, driver, endpoint, replies = replies_for("acrel_ddsy1352_mapb")
    main, prepaid = driver.read_plan(endpoint)
    assert not prepaid.expect(
        replies["main"]
    )  # a late 48-register reply during the 28-register read
    assert not main.expect(mb.ReadResponse(6, replies["main"].registers))


def test_commands_and_refusals():
    profile, driver, endpoint, replies = replies_for("acrel_ddsy1352_mapb")
    (trip,) = driver.command_plan(endpoint, Action.TRIP, AT)
    assert trip.request == bytes.fromhex("05100057000204") + b"\x00\x01\x00\x01" + trip.request[-2:]
    assert trip.expect(mb.WriteResponse(5, 0x0057, 2))
    with pytest.raises(CommandRejected, match="0x02"):
        driver.check_reply(endpoint, mb.ExceptionResponse(5, 0x10, 2))
    with pytest.raises(UnsupportedAction):
        driver.command_plan(endpoint, Action.VALVE_OPEN, AT)


@pytest.mark.parametrize("scale", ["0.001", "0.5", "0.25", "2"])
def test_any_register_scale_gives_the_full_decodes_values_and_errors(scale):
    # the driver's plan turns scales into exact fractions instead of Decimal arithmetic
    base = load_profile("acrel_ddsy1352_mapb")
    fields = {
        n: (dataclasses.replace(f, scale=Decimal(scale)) if f.scale is not None else f)
        for n, f in base.fields.items()
    }
    profile = dataclasses.replace(base, fields=fields)
    driver = AcrelModbusDriver(profile, "rtu")
    endpoint = MeterEndpoint(1, "5", MeterKind.ELECTRIC, Protocol.MODBUS_ACREL, base.name)
    rnd = random.Random(scale)
    outcomes = set()
    for _ in range(100):
        responses = [
            mb.ReadResponse(5, tuple(rnd.randint(0, 0xFFFF) for _ in range(b.count)))
            for b in profile.poll_blocks
        ]
        replies = dict(zip((b.name for b in profile.poll_blocks), responses, strict=False))
        try:
            want = profile.build_reading(
                profile.decode_poll(responses), channel_id=1, address="5", read_at=AT
            )
        except ProtocolError as exc:
            outcomes.add("error")
            with pytest.raises(ProtocolError, match=re.escape(str(exc))):
                driver.to_reading(endpoint, replies, AT)
            continue
        outcomes.add("reading")
        assert driver.to_reading(endpoint, replies, AT) == want
    assert outcomes == ({"error"} if scale == "0.001" else {"reading"})


@pytest.mark.parametrize(
    "code, says",
    [
        (0x02, "电表没有该数据项（{block} 0x{start:04X}）"),
        (0x04, "电表拒绝读取 {block} 0x{start:04X}：Modbus 0x04 slave device failure"),
    ],
)
def test_a_required_block_answered_with_an_exception_is_the_meters_refusal_not_line_trouble(
    code, says
):
    """A meter of another firmware answers 'illegal data address' for a register it lacks:
    the engineer is told that, not to look for interference on the line."""
    from app.comm.drivers.base import MeterRefused

    profile, driver, endpoint, replies = replies_for("acrel_ddsy1352_mapb")
    block = next(b for b in profile.poll_blocks if b.required)
    replies[block.name] = mb.ExceptionResponse(5, 0x03, code)
    with pytest.raises(MeterRefused) as refused:
        driver.to_reading(endpoint, replies, AT)
    assert says.format(block=block.name, start=block.start) in str(refused.value.reason)
    assert "干扰" not in str(refused.value.reason)
