"""A running poller takes new channel configs: added lines are read, removed ones let go,
changed ones rebuilt, and the rest go on untouched (simulator over real TCP sockets)."""

from __future__ import annotations

import socket
from dataclasses import replace

import pytest

from app.comm import messages
from app.comm.poller import ChannelChanges
from app.comm.simulator import SimConfig
from app.comm.types import Action, ChannelKind, CommandRequest, Direction
from tests.comm.runtime_helpers import running
from tests.waiting import wait_until

# two serial-server buses of 3 Acrel meters each
TWO_BUSES = dict(
    electric=6,
    water=0,
    acrel_4g=0,
    dtus=0,
    gateways=0,
    meters_per_bus=3,
    three_phase_share=0,
    dlt645_share=0.0,
    seed=3,
)
# a serial-server bus of 3 meters, a DTU with 3 meters behind it and two 4G meters
DIALLING = dict(
    electric=8,
    water=0,
    acrel_4g=2,
    dtus=1,
    gateways=0,
    meters_per_bus=3,
    three_phase_share=0,
    dlt645_share=0.0,
    heartbeat_s=0.2,
    seed=5,
)


def of_kind(channels, kind):
    return [c for c in channels if c.kind is kind]


def frames_of(poller, channel_id: int, since: int = 0):
    return [f for f in poller.frames_since(since)[1] if f.channel_id == channel_id]


def test_a_channel_added_while_running_is_read_on_its_schedule():
    with running(SimConfig(**TWO_BUSES), pick=lambda channels: channels[:1]) as (
        sim,
        poller,
        sink,
        channels,
    ):
        first, second = channels
        changes = poller.reconfigure([first, replace(second, poll_interval_s=1)]).result(10)
        assert changes == ChannelChanges(added=(second.id,))
        assert set(poller.channels) == {first.id, second.id}
        sink.wait(
            lambda s: (
                {r.address for r in s.readings if r.channel_id == second.id} == {"1", "2", "3"}
            ),
            what="the new line's meters read by its schedule",
        )
        assert len(poller.read_now(first.meters).result(20)) == 3
        assert sim.collisions() == 0


def test_a_removed_dial_in_channel_lets_its_port_go_and_is_read_no_more():
    with running(SimConfig(**{**DIALLING, "electric": 5, "dtus": 0})) as (
        sim,
        poller,
        sink,
        channels,
    ):
        [bus] = of_kind(channels, ChannelKind.SERIAL_SERVER)
        [g4] = of_kind(channels, ChannelKind.ACREL_4G)
        port = poller.listen_port(g4.id)
        sim.connect_dialers("127.0.0.1", port)
        assert sim.wait_dialled_in(10)
        assert len(poller.read_now(g4.meters).result(20)) == 2

        changes = poller.reconfigure([replace(bus, poll_interval_s=1)]).result(10)
        assert changes == ChannelChanges(added=(), changed=(bus.id,), removed=(g4.id,))
        seq = poller.frames_since(0)[0]
        with pytest.raises(ConnectionRefusedError):  # no channel listens there any more
            socket.create_connection(("127.0.0.1", port), timeout=5).close()
        with pytest.raises(KeyError):
            poller.listen_port(g4.id)
        # the remaining line goes on with its schedule; the 4G meters are neither asked nor heard
        wait_until(
            lambda: (
                len([f for f in frames_of(poller, bus.id, seq) if f.direction is Direction.TX])
                >= 12
            ),
            what="two cycles of the remaining line",
        )
        assert frames_of(poller, g4.id, seq) == []
        assert {st.channel_id for st in poller.meter_statuses()} <= {bus.id}
        assert poller.read_now(g4.meters[:1]).result(10) == []
        assert any(
            e.message == messages.CHANNEL_UNKNOWN(channel_id=g4.id)
            for e in poller.errors_since(0)[1]
        )


def test_a_changed_channel_is_read_with_its_new_meters_and_timeout():
    with running(SimConfig(**TWO_BUSES)) as (sim, poller, sink, channels):
        bus = channels[0]
        narrow = replace(bus, timeout_s=0.3, retries=0, meters=bus.meters[:2])
        poller.reconfigure([narrow, channels[1]]).result(10)
        sim.meter(bus.id, "2").device.faults.slow_s = 0.8  # answers after 0.8 s: too late for 0.3 s
        sim.misbehave(bus.id, "2", "slow")
        assert poller.read_now(bus.meters[1:3]).result(10) == []
        assert any(
            e.message == messages.METER_UNKNOWN(address="3") for e in poller.errors_since(0)[1]
        )

        changes = poller.reconfigure(
            [replace(narrow, timeout_s=3.0, meters=bus.meters), channels[1]]
        ).result(10)
        assert changes == ChannelChanges(changed=(bus.id,))
        readings = poller.read_now(bus.meters[1:3]).result(20)
        assert sorted(r.address for r in readings) == ["2", "3"]


def test_commands_on_a_channel_being_rebuilt_fail_with_a_reason_and_the_new_line_obeys():
    def slow_first(
        channels,
    ):  # a silent meter's command runs 2 × 3 s: long enough to be caught running
        return [replace(channels[0], timeout_s=3.0), *channels[1:]]

    with running(SimConfig(**TWO_BUSES), pick=slow_first) as (sim, poller, sink, channels):
        bus = channels[0]
        sim.misbehave(bus.id, "1", "no_answer")
        poller.submit(
            [
                CommandRequest(41, bus.id, "1", Action.TRIP),
                CommandRequest(42, bus.id, "2", Action.TRIP),
            ]
        )
        wait_until(
            lambda: any(
                f.address == "1" and f.direction is Direction.TX for f in frames_of(poller, bus.id)
            ),
            what="the first command on the wire",
        )
        poller.reconfigure([replace(bus, timeout_s=1.5), channels[1]]).result(10)
        for command_id in (41, 42):  # the running one and the one queued behind it
            assert sink.final_result(command_id).reason == messages.CHANNEL_RECONFIGURED
            assert len(sink.results_for(command_id)) == 1
        assert sim.meter(bus.id, "2").physics.relay_closed is True
        poller.submit([CommandRequest(43, bus.id, "2", Action.TRIP)])
        assert sink.final_result(43).ok
        assert sim.meter(bus.id, "2").physics.relay_closed is False


def test_dialled_in_meters_stay_connected_when_channels_change_and_rebuilt_ones_are_read_on_them():
    with running(SimConfig(**DIALLING, upload_interval_s=0.5)) as (sim, poller, sink, channels):
        [bus] = of_kind(channels, ChannelKind.SERIAL_SERVER)
        [dtu] = of_kind(channels, ChannelKind.DTU)
        [g4] = of_kind(channels, ChannelKind.ACREL_4G)
        sim.connect_dialers("127.0.0.1", poller.listen_port(g4.id))
        assert sim.wait_dialled_in(10)
        assert len(poller.read_now(dtu.meters + g4.meters).result(20)) == 5
        connections = [d.connections for d in sim.dialers]

        # another channel changes: the 4G meters are not touched
        changes = poller.reconfigure([replace(bus, timeout_s=2.0), dtu, g4]).result(10)
        assert changes == ChannelChanges(changed=(bus.id,))
        assert len(poller.read_now(g4.meters).result(20)) == 2
        # the 4G and DTU channels themselves change: their new runtimes read on the open connections
        seen = len(sink.channel_statuses)
        changes = poller.reconfigure(
            [replace(bus, timeout_s=2.0), replace(dtu, timeout_s=2.0), replace(g4, timeout_s=2.0)]
        ).result(10)
        assert changes == ChannelChanges(changed=(dtu.id, g4.id))
        readings = poller.read_now(dtu.meters + g4.meters).result(20)
        assert sorted(r.address for r in readings) == sorted(
            m.address for m in dtu.meters + g4.meters
        )
        assert [d.connections for d in sim.dialers] == connections  # nobody had to dial again
        status = sink.wait(
            lambda s: [c for c in s.channel_statuses[seen:] if c.channel_id == g4.id],
            what="the rebuilt 4G channel's status",
        )[0]
        assert str(status.detail).startswith("2/2")  # it knows its meters are connected
        read = len(sink.readings)
        sink.wait(
            lambda s: (
                {r.address for r in s.readings[read:] if r.source == "upload"}
                == {m.address for m in g4.meters}
            ),
            what="the 4G meters' uploads after the rebuild",
        )
        assert sim.collisions() == 0


def test_a_rebuilt_nb_channel_gets_the_pushes_and_fails_the_commands_it_can_no_longer_confirm():
    with running(SimConfig(electric=0, water=3, seed=9, report_interval_s=3600)) as (
        sim,
        poller,
        sink,
        channels,
    ):
        [nb] = channels
        url = poller.push_url(nb.id)
        sim.set_push_url(url)
        device = nb.meters[0].address
        poller.submit([CommandRequest(51, nb.id, device, Action.VALVE_CLOSE)])
        assert sink.wait(lambda s: s.results_for(51), what="accepted by the platform")[0].pending

        changes = poller.reconfigure([replace(nb, settings={**nb.settings, "ttl_s": 600})]).result(
            20
        )
        assert changes == ChannelChanges(changed=(nb.id,))
        assert sink.final_result(51).reason == messages.CHANNEL_RECONFIGURED
        assert poller.push_url(nb.id) == url  # the same receiver, the same port
        sim.call(sim.platform.wake_all)
        sink.wait(
            lambda s: {r.address for r in s.readings} == {m.address for m in nb.meters},
            what="every meter's report through the new runtime",
        )


def test_a_channel_whose_port_is_taken_is_reported_and_started_when_given_again():
    with running(
        SimConfig(**{**DIALLING, "electric": 5, "dtus": 0}),
        pick=lambda channels: of_kind(channels, ChannelKind.SERIAL_SERVER),
    ) as (sim, poller, sink, channels):
        [bus] = of_kind(channels, ChannelKind.SERIAL_SERVER)
        [g4] = of_kind(channels, ChannelKind.ACREL_4G)
        with socket.create_server(("127.0.0.1", 0)) as other_program:
            port = other_program.getsockname()[1]
            g4 = replace(g4, settings={**g4.settings, "listen_port": port})
            assert poller.reconfigure([bus, g4]).result(10) == ChannelChanges(added=(g4.id,))
            assert list(poller.channels) == [bus.id]
            [error] = [e for e in poller.errors_since(0)[1] if e.channel_id == g4.id]
            assert str(error.message).startswith(messages.CHANNEL_NOT_STARTED.say(detail=""))
        assert poller.reconfigure([bus, g4]).result(10) == ChannelChanges(added=(g4.id,))
        assert poller.listen_port(g4.id) == port
        sim.connect_dialers("127.0.0.1", port)
        assert sim.wait_dialled_in(10)
        assert len(poller.read_now(g4.meters).result(20)) == 2
