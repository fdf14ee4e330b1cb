"""The field engineer's tools say what they see: values in their units, a bad address
refused before any line is opened, a bad checksum or a reply from another address named as
such, and why a frame is not a valid Acrel 4G frame."""

from __future__ import annotations

import re
import socket
import threading
from decimal import Decimal

import pytest

from app.cli import main as cli_main
from app.comm.protocols import acrel4g as g
from app.comm.protocols import modbus_rtu as rtu
from app.comm.simulator import MarketSimulator, SimConfig

CONFIG = SimConfig(
    electric=4,
    water=0,
    acrel_4g=0,
    dtus=0,
    gateways=0,
    meters_per_bus=4,
    dlt645_share=0,
    three_phase_share=0,
    seed=21,
)


def test_comm_read_prints_every_value_scaled_with_its_unit(capsys):
    with MarketSimulator(CONFIG) as sim:
        channel = sim.channels()[0]
        assert (
            cli_main(
                [
                    "comm",
                    "read",
                    "--channel",
                    f"tcp:127.0.0.1:{channel.settings['port']}",
                    "--address",
                    "3",
                ]
            )
            == 0
        )
        out = capsys.readouterr().out
        physics = sim.meter(channel.id, "3").physics
    total = Decimal(re.search(r"^  total\s+(\d+\.\d\d) kWh$", out, re.M).group(1))
    assert (
        abs(
            total
            - Decimal(str(physics.base_kwh))
            - sum(Decimal(int(e * 100)) / 100 for e in physics.energy_kwh)
        )
        < 1
    )
    assert re.search(
        r"^  tariffs\s+尖 \d+\.\d\d kWh, 峰 \d+\.\d\d kWh, 平 \d+\.\d\d kWh, 谷 \d+\.\d\d kWh$",
        out,
        re.M,
    )
    assert re.search(r"^  remaining_money\s+\d+\.\d\d yuan", out, re.M)
    assert re.search(r"^  voltage_v\s+\d+\.\d+ V$", out, re.M) and re.search(
        r"^  power_kw\s+-?\d+\.\d+ kW$", out, re.M
    )
    # nothing in internal units: no bare integers of hundredths
    assert not re.search(r"^  (total|remaining_money)\s+\d+$", out, re.M)


@pytest.mark.parametrize(
    ("protocol", "address"),
    [
        ("modbus_acrel", "0"),
        ("modbus_acrel", "300"),
        ("modbus_acrel", "abc"),
        ("dlt645_2007", "12"),
        ("dlt645_1997", "12345678901A"),
    ],
)
def test_a_bad_address_is_refused_before_connecting(capsys, protocol, address):
    with socket.create_server(("127.0.0.1", 0)) as server:
        server.settimeout(0.3)
        port = server.getsockname()[1]
        assert (
            cli_main(
                [
                    "comm",
                    "read",
                    "--channel",
                    f"tcp:127.0.0.1:{port}",
                    "--protocol",
                    protocol,
                    "--address",
                    address,
                    "--timeout",
                    "0.2",
                ]
            )
            == 2
        )
        with pytest.raises(TimeoutError):
            server.accept()  # nobody connected
    err = capsys.readouterr().err
    assert "--address" in err and address in err


def test_a_bad_crc_ends_with_that_reason_not_no_answer(capsys):
    with MarketSimulator(CONFIG) as sim:
        channel = sim.channels()[0]
        sim.misbehave(channel.id, "2", "bad_crc")
        assert (
            cli_main(
                [
                    "comm",
                    "read",
                    "--channel",
                    f"tcp:127.0.0.1:{channel.settings['port']}",
                    "--address",
                    "2",
                    "--timeout",
                    "0.5",
                ]
            )
            == 1
        )
    out = capsys.readouterr().out
    assert "校验错误" in out and "bad CRC" in out and "电表无应答" not in out


def _serial_server_answering_as(slave: int):
    """A serial server whose one meter answers every read as slave `slave`."""
    server = socket.create_server(("127.0.0.1", 0))

    def serve():
        try:
            conn, _ = server.accept()
        except OSError:
            return
        with conn:
            while data := conn.recv(256):
                if len(data) >= 8 and data[1] == 0x03:
                    conn.sendall(rtu.read_response(slave, [0] * int.from_bytes(data[4:6], "big")))

    threading.Thread(target=serve, daemon=True).start()
    return server


def test_a_reply_from_another_slave_id_ends_with_that_reason(capsys):
    server = _serial_server_answering_as(5)
    with server:
        port = server.getsockname()[1]
        assert (
            cli_main(
                [
                    "comm",
                    "read",
                    "--channel",
                    f"tcp:127.0.0.1:{port}",
                    "--address",
                    "2",
                    "--timeout",
                    "0.5",
                    "--retries",
                    "0",
                ]
            )
            == 1
        )
    out = capsys.readouterr().out
    assert "地址 2 无应答，只收到地址 5 的应答" in out and "电表无应答" not in out


@pytest.mark.parametrize(
    ("frame", "why"),
    [
        (g.encode_frame(0x84, b"\x00" * 10), "register payload of 10 bytes, expected 58"),
        (g.encode_frame(0x93, bytes([25, 13, 1, 0, 0, 0, 0])), "month must be in 1..12"),
        (g.encode_frame(0x90, b"\x01\x03\x02"), "not a Modbus RTU response: truncated"),
        (bytes.fromhex("7B 7B 84 BF 24 7D 7D"), "bad CRC: expected BF 23 got BF 24"),
    ],
    ids=["register-size", "clock-month", "downlink-rtu", "frame-crc"],
)
def test_comm_decode_says_why_a_4g_frame_is_invalid(capsys, frame, why):
    assert cli_main(["comm", "decode", "--as", "acrel4g", frame.hex()]) == 2
    out = capsys.readouterr().out
    assert out.startswith("invalid frame") and why in out
