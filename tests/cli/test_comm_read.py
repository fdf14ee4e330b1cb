"""`python -m app comm read`: one live read against the simulator, every field printed."""

from __future__ import annotations

from app.cli import main as cli_main
from app.comm.simulator import MarketSimulator, SimConfig
from app.comm.types import ChannelKind


def test_comm_read_prints_frames_and_every_field(capsys, tmp_path):
    config = SimConfig(
        electric=8,
        water=0,
        acrel_4g=0,
        dtus=0,
        gateways=0,
        meters_per_bus=4,
        dlt645_share=0.5,
        seed=6,
    )
    with MarketSimulator(config) as sim:
        channels = sim.channels()
        modbus = next(c for c in channels if c.meters[0].protocol.value == "modbus_acrel")
        dlt = next(c for c in channels if c.meters[0].protocol.value == "dlt645_2007")
        port = modbus.settings["port"]
        assert (
            cli_main(
                ["comm", "read", "--channel", f"serial_server:127.0.0.1:{port}", "--address", "2"]
            )
            == 0
        )
        out = capsys.readouterr().out
        assert "→ 02 03 02 00 00 30" in out and "read 48 register(s)" in out
        assert "relay_closed     True" in out and "total" in out
        manifest = tmp_path / "m.json"
        sim.write_manifest(str(manifest))
        address = dlt.meters[1].address
        assert (
            cli_main(
                [
                    "comm",
                    "read",
                    "--manifest",
                    str(manifest),
                    "--channel-id",
                    str(dlt.id),
                    "--address",
                    address,
                ]
            )
            == 0
        )
        out = capsys.readouterr().out
        assert "frequency_hz     50.0" in out and "DL/T 645-2007" in out
        # a meter that is not there: retried, then exit 1 with the clerk's words
        assert (
            cli_main(
                [
                    "comm",
                    "read",
                    "--channel",
                    f"tcp:127.0.0.1:{port}",
                    "--address",
                    "9",
                    "--timeout",
                    "0.2",
                ]
            )
            == 1
        )
        assert "电表无应答" in capsys.readouterr().out
        assert modbus.kind is ChannelKind.SERIAL_SERVER


def test_comm_read_needs_a_channel():
    assert cli_main(["comm", "read", "--address", "1"]) == 2
    assert cli_main(["comm", "read", "--channel", "modbus_tcp:nohostport", "--address", "1"]) == 2
