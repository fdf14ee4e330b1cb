"""Acrel 4G firmware variants, each a profile setting with the tolerant reading as the
default, and the simulator speaking each: a write acknowledged with the serial only, an
upload without the Modbus CRC, and the 8-tariff upload's clock."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime

import pytest

from app.cli import main as cli_main
from app.comm.profiles import PROFILE_DIR, load_profile
from app.comm.protocols import acrel4g as g
from app.comm.protocols import modbus_rtu as rtu
from app.comm.protocols.common import ProtocolError
from app.comm.simulator import SimConfig
from app.comm.types import Action, ChannelKind, CommandRequest, Direction
from tests.comm.runtime_helpers import running

DIAL = dict(
    water=0, gateways=0, meters_per_bus=4, three_phase_share=0, heartbeat_s=0.2, seed=9, dtus=0
)
SERIAL = "AC2025000001"


def _dialled_in(sim, poller, channels):
    ch = next(c for c in channels if c.kind is ChannelKind.ACREL_4G)
    sim.connect_dialers("127.0.0.1", poller.listen_port(ch.id))
    assert sim.wait_dialled_in(10)
    return ch


def _variant(tmp_path, **settings):
    """A profile `variant` that extends the default one with its own [acrel4g] settings."""
    for path in PROFILE_DIR.glob("*.toml"):
        shutil.copy(path, tmp_path)
    lines = "".join(
        f"{k} = {str(v).lower() if isinstance(v, bool) else chr(34) + v + chr(34)}\n"
        for k, v in settings.items()
    )
    (tmp_path / "variant.toml").write_text(
        f'[profile]\nextends = "acrel_ddsy1352_mapb"\n\n[acrel4g]\n{lines}', encoding="utf-8"
    )
    return load_profile("variant", tmp_path)


def test_the_defaults_are_the_tolerant_reading_and_a_profile_can_be_strict(tmp_path):
    assert load_profile().acrel4g == {
        "serial_only_write_ack": True,
        "upload_crc_optional": True,
        "clock_4_tariff": "YY MM DD WW hh mm ss",
        "clock_8_tariff": "YY MM DD hh mm ss",
    }
    strict = _variant(tmp_path, serial_only_write_ack=False, upload_crc_optional=False)
    assert (
        strict.acrel4g["serial_only_write_ack"] is False
        and strict.acrel4g["upload_crc_optional"] is False
    )
    assert strict.acrel4g["clock_8_tariff"] == "YY MM DD hh mm ss"


def test_a_bad_variant_setting_names_itself(tmp_path):
    with pytest.raises(ProtocolError, match="clock_8_tariff"):
        _variant(tmp_path, clock_8_tariff="hh mm ss YY")
    with pytest.raises(ProtocolError, match="upload_crc"):
        _variant(tmp_path, upload_crc="no")


def test_a_write_acknowledged_with_the_serial_only_counts_as_acknowledged():
    ack = g.Downlink(b"", SERIAL).encode()
    used, message = g.decode(ack)
    assert used == len(ack) and message == g.Downlink(b"", SERIAL)
    assert "serial only" in message.describe()
    write = rtu.write_request(1, 0x57, [1, 1])
    assert g.serial_only_write_ack(write) == rtu.write_response(1, 0x57, 2)
    assert g.serial_only_write_ack(rtu.read_request(1, 0x200, 48)) is None  # a read needs its data
    config = SimConfig(electric=2, acrel_4g=2, **DIAL)
    with running(config) as (sim, poller, sink, channels):
        ch = _dialled_in(sim, poller, channels)
        serial = ch.meters[0].address
        sim.meter(ch.id, serial).extra["dialer"].serial_only_write_ack = True
        poller.submit([CommandRequest(31, ch.id, serial, Action.TRIP)])
        result = sink.final_result(31)
        assert result.ok and result.relay_closed is False, result.reason
        _, frames = poller.frames_since(0)
        writes = [
            f
            for f in frames
            if f.direction is Direction.TX and f.address == serial and "10 00 57" in f.hex
        ]
        assert len(writes) == 1  # acknowledged the first time: not sent again
        assert any("counted as the write's acknowledgement" in f.meaning for f in frames)


def test_an_upload_without_the_modbus_crc_is_read_and_acknowledged():
    response = rtu.read_response(1, [7] + [0] * 47)
    frame = g.data_upload([("1", response[:-2])], SERIAL)
    used, upload = g.decode(frame)
    assert used == len(frame) and isinstance(upload, g.DataUpload), upload
    assert upload.sections[0].crc is False and upload.sections[0].response().registers[0] == 7
    assert "no CRC" in upload.describe()
    config = SimConfig(electric=2, acrel_4g=2, upload_interval_s=0.3, **DIAL)
    with running(config) as (sim, poller, sink, channels):
        ch = _dialled_in(sim, poller, channels)
        for meter in ch.meters:
            sim.meter(ch.id, meter.address).extra["dialer"].upload_crc = False
        seq = poller.frames_since(0)[0]
        sink.wait(
            lambda s: any("no CRC" in f.meaning for f in poller.frames_since(seq)[1]),
            what="an upload without CRC",
        )
        readings = sink.wait(
            lambda s: [r for r in s.readings if r.source == "upload"], what="its reading"
        )
        meter = sim.meter(ch.id, readings[-1].address).physics
        assert readings[-1].total > 0 and meter is not None
        _, frames = poller.frames_since(seq)
        assert any(
            f.direction is Direction.TX and f.hex == g.upload_ack().hex(" ").upper() for f in frames
        )


def test_the_eight_tariff_upload_clock_has_no_weekday():
    words = [0] * 72
    data = bytearray(144)
    data[80:86] = bytes([25, 3, 1, 9, 30, 15])  # 2025-03-01 09:30:15, no weekday
    words = [int.from_bytes(data[i : i + 2], "big") for i in range(0, 144, 2)]
    section = g.UploadSection("1", rtu.read_response(1, words))
    assert g.upload_clock(section) == datetime(2025, 3, 1, 9, 30, 15)
    with pytest.raises(
        ProtocolError, match="meter clock"
    ):  # read the 4-tariff way: weekday 9, hour 30
        g.upload_clock(section, {0x90: "YY MM DD WW hh mm ss"})
    config = SimConfig(electric=2, acrel_4g=2, upload_interval_s=0.3, **DIAL)
    with running(config) as (sim, poller, sink, channels):
        ch = _dialled_in(sim, poller, channels)
        for meter in ch.meters:
            sim.meter(ch.id, meter.address).extra["dialer"].tariffs = 8
        seq = poller.frames_since(0)[0]
        upload = sink.wait(
            lambda s: next(
                (f for f in poller.frames_since(seq)[1] if "72 registers" in f.meaning), None
            ),
            what="an 8-tariff upload",
        )
        clock = datetime.strptime(upload.meaning.split("meter clock ")[1][:19], "%Y-%m-%d %H:%M:%S")
        local_now = sim.now().astimezone(UTC).replace(tzinfo=None)
        assert abs((clock - local_now).total_seconds() - 8 * 3600) < 120  # the meter keeps CST
        reading = sink.wait(
            lambda s: [r for r in s.readings if r.source == "upload"], what="its reading"
        )[-1]
        physics = sim.meter(ch.id, reading.address).physics
        assert (
            abs(
                reading.total
                - round(physics.base_kwh * 100 + sum(int(e * 100) for e in physics.energy_kwh))
            )
            <= 5
        )


def test_comm_decode_reads_the_eight_tariff_clock(capsys):
    data = bytearray(144)
    data[0:2] = (5).to_bytes(2, "big")
    data[80:86] = bytes([25, 3, 1, 9, 30, 15])
    words = [int.from_bytes(data[i : i + 2], "big") for i in range(0, 144, 2)]
    frame = g.data_upload([("1", rtu.read_response(1, words))], SERIAL)
    assert cli_main(["comm", "decode", "--as", "acrel4g", frame.hex()]) == 0
    out = capsys.readouterr().out
    assert "meter clock (144 data bytes: YY MM DD hh mm ss) = 2025-03-01 09:30:15" in out
    assert "clock_weekday" not in out and "clock_hour" not in out


def test_a_strict_profile_keeps_the_books_reading(tmp_path, monkeypatch):
    import dataclasses

    from app.comm import messages, profiles

    _variant(tmp_path, serial_only_write_ack=False, upload_crc_optional=False)
    monkeypatch.setattr(profiles, "PROFILE_DIR", tmp_path)

    def strict(channels):
        return [
            dataclasses.replace(
                c, meters=tuple(dataclasses.replace(m, profile="variant") for m in c.meters)
            )
            if c.kind is ChannelKind.ACREL_4G
            else c
            for c in channels
        ]

    config = SimConfig(electric=2, acrel_4g=2, upload_interval_s=0.3, **DIAL)
    with running(config, pick=strict, channel_changes={"retries": 0}) as (
        sim,
        poller,
        sink,
        channels,
    ):
        ch = _dialled_in(sim, poller, channels)
        serial = ch.meters[0].address
        dialer = sim.meter(ch.id, serial).extra["dialer"]
        dialer.serial_only_write_ack, dialer.upload_crc = True, False
        poller.submit([CommandRequest(41, ch.id, serial, Action.TRIP)])
        result = sink.final_result(41, timeout_s=20)
        assert not result.ok and result.reason == messages.NO_ANSWER
        assert (
            sim.meter(ch.id, serial).physics.relay_closed is False
        )  # it did trip: the profile says not to trust that
        seq = poller.frames_since(0)[0]
        sink.wait(
            lambda s: any(
                "no CRC" in f.meaning and f.address == serial for f in poller.frames_since(seq)[1]
            ),
            what="an upload without CRC",
        )
        assert any(
            "CRC" in str(e.message) and e.address == serial for e in poller.errors_since(0)[1]
        )
        _, frames = poller.frames_since(seq)
        assert not any(
            f.direction is Direction.TX
            and f.address == serial
            and f.hex == g.upload_ack().hex(" ").upper()
            for f in frames
        )
