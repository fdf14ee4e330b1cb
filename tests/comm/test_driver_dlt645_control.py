"""DL/T 645 relay control with the channel's own password, level and operator code; the
password never in the frame log; each refusal of the meter said as what it is."""

from __future__ import annotations

import dataclasses

import pytest

from app.comm import messages
from app.comm.drivers.base import CommandRejected
from app.comm.drivers.dlt645 import Dlt645Driver, relay_options
from app.comm.protocols import dlt645 as d
from app.comm.simulator import SimConfig
from app.comm.types import Action, CommandRequest, Protocol
from tests.comm.runtime_helpers import running

CONFIG = SimConfig(
    electric=8,
    water=0,
    acrel_4g=0,
    dtus=0,
    gateways=0,
    meters_per_bus=4,
    dlt645_share=0.5,
    three_phase_share=0,
    seed=15,
)
SECRET = {"dlt645_password": "123456", "dlt645_level": "04", "dlt645_operator": "87654321"}


def _dlt645(channels):
    return next(c for c in channels if c.meters and c.meters[0].protocol is Protocol.DLT645_2007)


def _with_settings(settings):
    return lambda cs: [
        dataclasses.replace(_dlt645(cs), settings={**_dlt645(cs).settings, **settings})
    ]


def test_commands_carry_the_channel_password_level_and_operator_and_the_log_hides_the_password():
    with running(CONFIG, pick=_with_settings(SECRET)) as (sim, poller, sink, channels):
        channel = _dlt645(channels)
        address = channel.meters[0].address
        device = sim.meter(channel.id, address).device
        device.passwords = {0x04: "123456"}
        poller.submit([CommandRequest(1, channel.id, address, Action.TRIP)])
        result = sink.final_result(1)
        assert result.ok and result.relay_closed is False, result.reason
        _, frames = poller.frames_since(0)
        control = [f for f in frames if f.direction.value == "tx" and " 68 1C 10 " in f" {f.hex} "]
        assert control, [f.hex for f in frames]
        for frame in control:
            data = frame.hex.split(" 68 1C 10 ")[1].split()
            # PA=04 (+33 = 37), password bytes hidden as FF, operator 87654321 low byte first (+33)
            assert data[:8] == ["37", "FF", "FF", "FF", "54", "76", "98", "BA"]
            assert "89 67 45" not in frame.hex  # 56 34 12 + 33: the password
            assert "password not logged" in frame.meaning


def test_the_factory_password_is_refused_as_a_wrong_password_not_as_protection():
    with running(CONFIG, pick=lambda cs: [_dlt645(cs)]) as (sim, poller, sink, channels):
        channel = _dlt645(channels)
        address = channel.meters[1].address
        sim.meter(channel.id, address).device.passwords = {0x04: "123456"}
        poller.submit([CommandRequest(2, channel.id, address, Action.TRIP)])
        result = sink.final_result(2)
        assert not result.ok
        assert result.reason == messages.METER_REJECTED_PASSWORD(code="04")
        assert "保电" not in str(result.reason)
        assert "wrong password" in result.reason.say("en")
        assert sim.meter(channel.id, address).physics.relay_closed is True


def test_a_trip_refused_while_the_meter_is_protected_says_so():
    with running(CONFIG, pick=_with_settings(SECRET)) as (sim, poller, sink, channels):
        channel = _dlt645(channels)
        address = channel.meters[2].address
        sim.meter(channel.id, address).device.passwords = {0x04: "123456"}
        poller.submit([CommandRequest(3, channel.id, address, Action.FORCED_ON)])
        assert sink.final_result(3).ok
        poller.submit([CommandRequest(4, channel.id, address, Action.TRIP)])
        result = sink.final_result(4)
        assert not result.ok and str(result.reason).startswith(
            messages.METER_REJECTED_PROTECTED.say()
        )
        assert "密码" not in str(result.reason)


@pytest.mark.parametrize(
    ("error", "words", "english"),
    [
        (0x01, "其他错误", "other error"),
        (0x08, "通信速率不能更改", "baud rate cannot be changed"),
        (0x40, "费率数超", "tariff count exceeded"),
    ],
)
def test_every_error_bit_is_said_as_itself(error, words, english):
    driver = Dlt645Driver(d.Version.V2007)
    with pytest.raises(CommandRejected) as caught:
        driver.check_reply(None, d.ErrorReply("123456789012", d.F07_RELAY, error))
    assert (
        words in str(caught.value.reason)
        and "保电" not in str(caught.value.reason)
        and "密码" not in str(caught.value.reason)
    )
    assert english in caught.value.reason.say("en")


def test_relay_settings_are_checked():
    assert relay_options({}) == {}
    assert relay_options(SECRET) == {"password": "123456", "level": 4, "operator": "87654321"}
    for bad in ({"dlt645_password": "12345"}, {"dlt645_level": "4x"}, {"dlt645_operator": "123"}):
        with pytest.raises(ValueError, match=next(iter(bad))):
            relay_options(bad)
