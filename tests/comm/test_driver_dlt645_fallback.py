"""DL/T 645 meters without the energy block item: the read goes on with the single items,
the driver remembers it per meter, and a refused item is said as what it is."""

from __future__ import annotations

import dataclasses

from app.cli import main as cli_main
from app.comm.simulator import SimConfig
from app.comm.types import Protocol
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
    seed=12,
)


def _dlt645(channels):
    return next(c for c in channels if c.meters and c.meters[0].protocol is Protocol.DLT645_2007)


def _requests(poller, seq: int, address: str) -> tuple[int, list[str]]:
    seq, frames = poller.frames_since(seq)
    return seq, [f.meaning for f in frames if f.direction.value == "tx" and f.address == address]


def test_a_meter_without_the_energy_block_is_read_item_by_item_and_remembered():
    with running(CONFIG, pick=lambda cs: [_dlt645(cs)]) as (sim, poller, sink, channels):
        channel = _dlt645(channels)
        plain, bare = channel.meters[0], channel.meters[1]
        sim.meter(channel.id, bare.address).device.missing = {0x0001FF00}
        first = {r.address: r for r in poller.read_now([plain, bare]).result(20)}
        assert set(first) == {plain.address, bare.address}
        reading = first[bare.address]
        truth = sim.meter(channel.id, bare.address).physics.values(sim.now())
        assert abs(reading.total - round(truth["total_kwh"] * 100)) <= 2
        assert reading.tariffs is not None and len(reading.tariffs) == 4
        # what was read besides the energy is kept
        assert reading.voltage_v and reading.frequency_hz == 50.0 and reading.relay_closed is True
        seq, sent = _requests(poller, 0, bare.address)
        assert any("0001FF00" in m for m in sent) and any("00010000" in m for m in sent)
        # the next read asks for the single items straight away
        assert poller.read_now([bare]).result(20)[0].total >= reading.total
        _, sent = _requests(poller, seq, bare.address)
        assert (
            sent and not any("0001FF00" in m for m in sent) and any("00010000" in m for m in sent)
        )
        # the meter with the block still gets it in one request
        _, sent = _requests(poller, 0, plain.address)
        assert not any("00010000" in m for m in sent)


def test_a_1997_meter_without_901F_reads_9010_and_the_tariffs():
    with running(CONFIG, pick=lambda cs: [_dlt645(cs)]) as (sim, poller, sink, channels):
        channel = _dlt645(channels)
        meter = channel.meters[2]
        sim.meter(channel.id, meter.address).device.missing = {0x0001FF00}
        as_1997 = dataclasses.replace(meter, protocol=Protocol.DLT645_1997)
        poller.reconfigure([dataclasses.replace(channel, meters=(as_1997,))]).result(10)
        reading = poller.read_now([as_1997]).result(20)[0]
        assert reading.total > 0 and reading.tariffs is not None and reading.voltage_v
        _, sent = _requests(poller, 0, meter.address)
        assert any("901F" in m for m in sent) and any("9010" in m for m in sent)


def test_a_refused_total_is_explained_as_a_missing_item_not_as_interference(capsys, tmp_path):
    with running(CONFIG, pick=lambda cs: [_dlt645(cs)]) as (sim, poller, sink, channels):
        channel = _dlt645(channels)
        meter = channel.meters[3]
        sim.meter(channel.id, meter.address).device.missing = {0x0001FF00, 0x00010000}
        assert poller.read_now([meter]).result(20) == []
        status = sink.wait(lambda s: s.status_of(channel.id, meter.address), what="meter status")
        assert "电表没有该数据项" in str(status.error) and "00010000" in str(status.error)
        assert "干扰" not in str(status.error) and "无应答" not in str(status.error)
        # comm read, the engineer's tool, says the same
        manifest = tmp_path / "m.json"
        sim.write_manifest(str(manifest))
        assert (
            cli_main(
                [
                    "comm",
                    "read",
                    "--manifest",
                    str(manifest),
                    "--channel-id",
                    str(channel.id),
                    "--address",
                    meter.address,
                ]
            )
            == 1
        )
        out = capsys.readouterr().out
        assert "电表没有该数据项" in out and "干扰" not in out
        # and the block-less meter it reads with the single items
        sim.meter(channel.id, meter.address).device.missing = {0x0001FF00}
        assert (
            cli_main(
                [
                    "comm",
                    "read",
                    "--manifest",
                    str(manifest),
                    "--channel-id",
                    str(channel.id),
                    "--address",
                    meter.address,
                ]
            )
            == 0
        )
        assert "00010000" in capsys.readouterr().out
