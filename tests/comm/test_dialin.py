"""Acrel 4G meters and DTUs dial in to the poller's listener and are known by registration."""

from __future__ import annotations

import dataclasses
import socket
import time

from app.comm import messages
from app.comm.channels import dialin
from app.comm.protocols import acrel4g
from app.comm.simulator import SimConfig
from app.comm.types import Action, ChannelKind, CommandRequest, Direction, IdentityEventKind
from tests.comm.runtime_helpers import running
from tests.waiting import wait_until

DIAL = dict(water=0, gateways=0, meters_per_bus=4, three_phase_share=0, heartbeat_s=0.2, seed=5)


def channel_of(channels, kind):
    return next(c for c in channels if c.kind is kind)


def past_the_dial_in_grace(poller, channel_id) -> bool:
    """The listener's grace (DIAL_IN_GRACE_S at the poller's speed, on the loop's monotonic
    clock) is over: a read of a device that is not dialled in answers at once."""
    hub = poller._runtimes[channel_id].hub
    return time.monotonic() > hub.started_at + dialin.DIAL_IN_GRACE_S / poller.speed


def dial_in(sim, poller, channels, sink):
    port = poller.listen_port(
        channels[0].id
        if channels[0].kind in (ChannelKind.DTU, ChannelKind.ACREL_4G)
        else channel_of(channels, ChannelKind.ACREL_4G).id
    )
    sim.connect_dialers("127.0.0.1", port)
    assert sim.wait_dialled_in(10)
    return port


def test_4g_meters_are_identified_by_their_registration_not_their_address():
    config = SimConfig(electric=3, acrel_4g=3, dtus=0, **DIAL)
    with running(config) as (sim, poller, sink, channels):
        ch = channel_of(channels, ChannelKind.ACREL_4G)
        dial_in(sim, poller, channels, sink)
        sink.wait(
            lambda s: (
                {st.address for st in s.statuses if st.online} >= {m.address for m in ch.meters}
            ),
            what="all 4G meters online after registering",
        )
        readings = poller.read_now(ch.meters).result(10)
        assert len(readings) == 3
        # all three share 127.0.0.1: each reading must still be its own meter's
        for reading in readings:
            physics = sim.meter(ch.id, reading.address).physics
            want = round(physics.base_kwh * 100 + sum(int(e * 100) for e in physics.energy_kwh))
            assert abs(reading.total - want) <= 2
        _, frames = poller.frames_since(0)
        registrations = [f for f in frames if f.meaning.startswith("Acrel 4G register from")]
        assert {f.address for f in registrations} == {m.address for m in ch.meters}
        assert all(f.hex.startswith("7B 7B 84") for f in registrations)
        acks = [
            f for f in frames if f.direction is Direction.TX and f.hex == "7B 7B 84 BF 23 7D 7D"
        ]
        assert len(acks) == 3
        sink.wait(
            lambda s: any(
                f.meaning.startswith("Acrel 4G heartbeat") for f in poller.frames_since(0)[1]
            ),
            what="a heartbeat absorbed and logged",
        )


def test_a_4g_meter_that_dials_in_again_replaces_its_old_connection_and_obeys_commands():
    config = SimConfig(electric=2, acrel_4g=2, dtus=0, **DIAL)
    with running(config) as (sim, poller, sink, channels):
        ch = channel_of(channels, ChannelKind.ACREL_4G)
        dial_in(sim, poller, channels, sink)
        serial = ch.meters[0].address
        dialer = sim.meter(ch.id, serial).extra["dialer"]
        sim.call(dialer.hang_up)
        sink.wait(lambda s: dialer.connections >= 2 and dialer.registered.is_set(), what="redial")
        poller.submit([CommandRequest(21, ch.id, serial, Action.TRIP)])
        result = sink.final_result(21)
        assert result.ok and result.relay_closed is False
        assert sim.meter(ch.id, serial).physics.relay_closed is False


def test_4g_uploads_become_readings():
    config = SimConfig(electric=2, acrel_4g=2, dtus=0, upload_interval_s=0.3, **DIAL)
    with running(config) as (sim, poller, sink, channels):
        ch = channel_of(channels, ChannelKind.ACREL_4G)
        dial_in(sim, poller, channels, sink)
        uploads = sink.wait(
            lambda s: [r for r in s.readings if r.source == "upload"], what="an upload"
        )
        assert uploads[0].address in {m.address for m in ch.meters} and uploads[0].total > 0


# the poller's clock 30× faster: the 60 s dial-in grace after a start lasts 2 s
QUICK_GRACE = {"speed": 30.0, "command_poll_s": 0.05}


def test_a_4g_meter_not_dialled_in_goes_offline():
    config = SimConfig(electric=1, acrel_4g=1, dtus=0, **DIAL)
    with running(config, poller_kwargs=QUICK_GRACE) as (
        sim,
        poller,
        sink,
        channels,
    ):  # nobody dials in
        ch = channel_of(channels, ChannelKind.ACREL_4G)
        started = time.monotonic()
        assert (
            poller.read_now(ch.meters).result(10) == []
        )  # waited for it through the grace, then gave up
        assert time.monotonic() - started >= 1.5
        status = sink.wait(
            lambda s: (st := s.status_of(ch.id, ch.meters[0].address)) and st.error and st,
            what="the reason",
        )
        assert status.error == messages.DEVICE_DID_NOT_DIAL_IN(seconds=60)
        # the grace is over: a meter still not there is simply offline, at once
        started = time.monotonic()
        assert poller.read_now(ch.meters).result(10) == []
        assert time.monotonic() - started < 1.5
        status = sink.wait(
            lambda s: (
                (st := s.status_of(ch.id, ch.meters[0].address))
                and st.error == messages.DEVICE_NOT_DIALLED_IN
                and st
            ),
            what="offline",
        )
        assert not status.online


def test_dtu_registers_then_the_meters_behind_it_are_polled_through_it():
    config = SimConfig(electric=4, acrel_4g=0, dtus=1, **DIAL)
    with running(config) as (sim, poller, sink, channels):
        ch = channel_of(channels, ChannelKind.DTU)
        # a read right after the start waits for the DTU to dial in (the service restarted)
        early = poller.read_now(ch.meters[:1])
        wait_until(early.done, timeout_s=0.3)  # watches for a read that gives up at once
        assert not early.done()
        sim.connect_dialers("127.0.0.1", poller.listen_port(ch.id))
        assert [r.address for r in early.result(10)] == ["1"]
        sink.wait(
            lambda s: any(c.channel_id == ch.id and c.connected for c in s.channel_statuses),
            what="DTU registered",
        )
        readings = poller.read_now(ch.meters).result(10)
        assert sorted(r.address for r in readings) == ["1", "2", "3", "4"]
        _, frames = poller.frames_since(0)
        assert any(f.meaning == f"DTU {ch.settings['dtu_id']} registration" for f in frames)
        sink.wait(
            lambda s: any("heartbeat" in f.meaning for f in poller.frames_since(0)[1]),
            what="heartbeat absorbed",
        )
        assert poller.read_now(ch.meters).result(10)  # heartbeats never disturb the meter bytes
        assert sim.collisions() == 0


def test_an_unknown_caller_and_garbage_do_not_disturb_the_listener():
    config = SimConfig(electric=1, acrel_4g=1, dtus=0, **DIAL)
    with running(config) as (sim, poller, sink, channels):
        ch = channel_of(channels, ChannelKind.ACREL_4G)
        port = poller.listen_port(ch.id)
        with socket.create_connection(("127.0.0.1", port), timeout=5) as stranger:
            stranger.sendall(
                acrel4g.Register(
                    "NOT-CONFIGURED-0001", "8986", 20, ("0100", "0100", "0100"), 30
                ).encode()
            )
            assert stranger.recv(64) == acrel4g.register_ack()
        with socket.create_connection(("127.0.0.1", port), timeout=5) as noise:
            noise.sendall(bytes(range(256)) * 3)
        sink.wait(
            lambda s: any(
                "NOT-CONFIGURED-0001" in str(e.message) for e in poller.errors_since(0)[1]
            ),
            what="unknown meter reported",
        )
        dial_in(sim, poller, channels, sink)
        assert len(poller.read_now(ch.meters).result(10)) == 1


def test_a_4g_meter_offline_for_a_while_hangs_up_and_comes_back():
    config = SimConfig(electric=1, acrel_4g=1, dtus=0, **DIAL)
    with running(config, poller_kwargs=QUICK_GRACE) as (sim, poller, sink, channels):
        ch = channel_of(channels, ChannelKind.ACREL_4G)
        dial_in(sim, poller, channels, sink)
        wait_until(lambda: past_the_dial_in_grace(poller, ch.id), what="past the dial-in grace")
        # past the dial-in grace: a read does not wait for it any more
        serial = ch.meters[0].address
        dialer = sim.meter(ch.id, serial).extra["dialer"]
        sim.misbehave(ch.id, serial, "offline", duration_s=1.0)
        sink.wait(lambda s: not dialer.registered.is_set(), what="hung up")
        assert poller.read_now(ch.meters).result(10) == []
        status = sink.wait(
            lambda s: (st := s.status_of(ch.id, serial)) and st.error and st, what="failure"
        )
        assert status.error == messages.DEVICE_NOT_DIALLED_IN
        sink.wait(
            lambda s: dialer.registered.is_set() and dialer.connections >= 2,
            timeout_s=10,
            what="redial",
        )
        sink.wait(
            lambda s: (st := s.status_of(ch.id, serial)) and st.online and not st.error,
            what="online again",
        )
        assert len(poller.read_now(ch.meters).result(10)) == 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_connecting_the_dialers_again_leaves_one_dialer_per_device():
    # The demo names the dial-in address in SimConfig (so the simulator dials by itself at
    # start) and connects the dialers again once the poller listens. Two dialers with one
    # identity would take the connection from each other in turn, and the meters behind
    # the DTU would never finish a read.
    config = SimConfig(
        electric=6, acrel_4g=2, dtus=1, dial_host="127.0.0.1", dial_port=_free_port(), **DIAL
    )
    with running(config) as (sim, poller, sink, channels):
        dtu, g4 = channel_of(channels, ChannelKind.DTU), channel_of(channels, ChannelKind.ACREL_4G)
        sim.connect_dialers("127.0.0.1", poller.listen_port(dtu.id))
        assert sim.wait_dialled_in(10)
        assert len(sim.dialers) == 3  # the DTU and the two 4G meters, once each
        readings = poller.read_now(dtu.meters + g4.meters).result(20)
        assert sorted(r.address for r in readings) == sorted(
            m.address for m in dtu.meters + g4.meters
        )
        connections = [d.connections for d in sim.dialers]
        assert len(poller.read_now(dtu.meters).result(20)) == len(dtu.meters)
        assert [d.connections for d in sim.dialers] == connections  # nobody was pushed off the line


def test_the_first_scheduled_poll_waits_for_4g_meters_to_dial_in_to_a_new_listener():
    """A restarted service has a new listener: its 4G meters need a moment to find it, and
    polling them at once would log every one as not dialled in."""
    config = SimConfig(electric=2, acrel_4g=2, dtus=0, **DIAL)
    # 60 s of grace at 15× speed: 4 s; the meters dial in after half a second
    with running(
        config, channel_changes={"poll_interval_s": 1800}, poller_kwargs={"speed": 15.0}
    ) as (sim, poller, sink, channels):
        ch = channel_of(channels, ChannelKind.ACREL_4G)
        # the meters' own delay before they dial in, watching for a poll that did not wait
        wait_until(
            lambda: [e for e in poller.errors_since(0)[1] if e.channel_id == ch.id], timeout_s=0.5
        )
        dial_in(sim, poller, channels, sink)
        sink.wait(
            lambda s: (
                {r.address for r in s.readings if r.channel_id == ch.id}
                >= {m.address for m in ch.meters}
            ),
            timeout_s=15,
            what="the first scheduled poll of the 4G meters",
        )
        assert not [e for e in poller.errors_since(0)[1] if e.channel_id == ch.id], (
            poller.errors_since(0)[1]
        )


def answer(sock: socket.socket) -> bytes:
    """What the listener says before it hangs up (a hang-up with our bytes unread is a reset)."""
    try:
        return sock.recv(64)
    except ConnectionResetError:
        return b""


def only_from(networks: list[str]):
    def pick(channels):
        return [
            dataclasses.replace(c, settings={**c.settings, "allowed_sources": networks})
            for c in channels
        ]

    return pick


def test_a_caller_outside_the_allowed_networks_is_refused_before_it_registers():
    config = SimConfig(electric=1, acrel_4g=1, dtus=0, **DIAL)
    with running(config, pick=only_from(["10.8.0.0/16"]), poller_kwargs=QUICK_GRACE) as (
        sim,
        poller,
        sink,
        channels,
    ):
        ch = channel_of(channels, ChannelKind.ACREL_4G)
        with socket.create_connection(
            ("127.0.0.1", poller.listen_port(ch.id)), timeout=5
        ) as caller:
            caller.sendall(
                acrel4g.Register(
                    ch.meters[0].address, "8986", 20, ("0100", "0100", "0100"), 30
                ).encode()
            )
            assert answer(caller) == b""  # hung up on, no registration answer
        refused = sink.wait(
            lambda s: [
                e for e in poller.errors_since(0)[1] if "不在通道允许的来源网段中" in str(e.message)
            ],
            what="the refusal said",
        )
        assert "127.0.0.1" in str(refused[0].message)
        assert poller.read_now(ch.meters).result(10) == []


def register_as(port: int, serial: str, iccid: str) -> bytes:
    """A device on the network sends a well-formed registration; what it hears back."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as rogue:
        rogue.sendall(acrel4g.Register(serial, iccid, 20, ("0100", "0100", "0100"), 30).encode())
        return answer(rogue)


def errors_with(poller, text: str) -> list[str]:
    return [str(e.message) for e in poller.errors_since(0)[1] if text in str(e.message)]


def test_a_rogue_registering_as_an_online_meter_is_refused_and_the_meter_keeps_its_line():
    config = SimConfig(electric=2, acrel_4g=2, dtus=0, **DIAL)
    with running(config) as (sim, poller, sink, channels):
        ch = channel_of(channels, ChannelKind.ACREL_4G)
        port = dial_in(sim, poller, channels, sink)
        serial = ch.meters[0].address
        dialer = sim.meter(ch.id, serial).extra["dialer"]
        # the meter's SIM is bound on its first registration, for the service to store
        bound = sink.wait(
            lambda s: [e for e in s.identity_events if e.address == serial], what="identity bound"
        )
        assert (bound[0].kind, bound[0].identity) == (IdentityEventKind.BOUND, dialer.iccid)
        connections = dialer.connections

        # another SIM with the meter's serial: no registration answer, hung up, said
        assert register_as(port, serial, "89860000000000000666") == b""
        (mismatch,) = sink.wait(
            lambda s: errors_with(poller, "SIM 卡号 89860000000000000666 与登记的"), what="alert"
        )
        assert serial in mismatch and dialer.iccid in mismatch
        # the meter's own SIM copied: a live connection is not handed over either
        assert register_as(port, serial, dialer.iccid) == b""
        assert sink.wait(lambda s: errors_with(poller, "在线的连接不让出"), what="takeover refused")

        # the real meter kept its connection and obeys: a trip reaches it, not the rogue
        assert dialer.connections == connections and dialer.registered.is_set()
        poller.submit([CommandRequest(41, ch.id, serial, Action.TRIP)])
        result = sink.final_result(41)
        assert result.ok and result.relay_closed is False
        assert sim.meter(ch.id, serial).physics.relay_closed is False

        # a third attempt within minutes: an identity conflict for a person to decide
        assert register_as(port, serial, "89860000000000000777") == b""
        flapping = sink.wait(
            lambda s: [e for e in s.identity_events if e.kind is IdentityEventKind.FLAPPING],
            what="identity conflict reported",
        )
        assert flapping[0].address == serial and "身份冲突" in str(flapping[0].detail)
        assert errors_with(poller, "身份冲突")
        kinds = [e.kind for e in sink.identity_events if e.address == serial]
        assert (
            kinds.count(IdentityEventKind.MISMATCH) == 2
            and kinds.count(IdentityEventKind.BOUND) == 1
        )


def test_a_meter_whose_old_connection_went_quiet_may_dial_in_again(monkeypatch):
    """A modem that reconnects before the old connection is seen to drop is the meter
    itself: a connection silent for longer than the heartbeats allow is replaced."""
    monkeypatch.setattr(dialin, "HEALTHY_S", 0.3)
    config = SimConfig(electric=1, acrel_4g=1, dtus=0, **{**DIAL, "heartbeat_s": 60.0})
    with running(config) as (sim, poller, sink, channels):
        ch = channel_of(channels, ChannelKind.ACREL_4G)
        port = dial_in(sim, poller, channels, sink)
        serial = ch.meters[0].address
        iccid = sim.meter(ch.id, serial).extra["dialer"].iccid
        registry = poller._runtimes[ch.id].hub.registry
        wait_until(  # dialled in: the listener may not have taken the registration yet
            lambda: registry.get(serial) is not None, what="the meter's registration taken"
        )
        session = registry.get(serial)
        wait_until(
            lambda: not session.is_alive(),
            what="no heartbeat for longer than HEALTHY_S: the line went quiet",
        )
        with socket.create_connection(("127.0.0.1", port), timeout=5) as again:
            again.sendall(
                acrel4g.Register(serial, iccid, 20, ("0100", "0100", "0100"), 30).encode()
            )
            assert again.recv(64) == acrel4g.register_ack()
        assert not errors_with(poller, "在线的连接不让出")


def test_a_trip_right_after_a_restart_waits_for_the_4g_meter_to_dial_in():
    config = SimConfig(electric=1, acrel_4g=1, dtus=0, **DIAL)
    with running(config, poller_kwargs={"speed": 10.0, "command_poll_s": 0.05}) as (
        sim,
        poller,
        sink,
        channels,
    ):
        ch = channel_of(channels, ChannelKind.ACREL_4G)
        serial = ch.meters[0].address
        poller.submit(
            [CommandRequest(51, ch.id, serial, Action.TRIP)]
        )  # before the meter found the new listener
        wait_until(lambda: sink.results_for(51), timeout_s=0.5)  # watches for a failure at once
        assert sink.results_for(51) == []  # waiting, not failed at once
        dial_in(sim, poller, channels, sink)
        result = sink.final_result(51)
        assert result.ok and result.relay_closed is False
        assert sim.meter(ch.id, serial).physics.relay_closed is False


def test_a_command_for_a_device_that_never_dials_in_fails_with_the_reason_after_the_grace():
    config = SimConfig(electric=1, acrel_4g=0, dtus=1, **DIAL)
    with running(config, poller_kwargs=QUICK_GRACE) as (sim, poller, sink, channels):
        ch = channel_of(channels, ChannelKind.DTU)
        started = time.monotonic()
        poller.submit([CommandRequest(52, ch.id, ch.meters[0].address, Action.TRIP)])
        result = sink.final_result(52, timeout_s=15)
        assert not result.ok and messages.DEVICE_DID_NOT_DIAL_IN.say(seconds=60) in str(
            result.reason
        )
        assert 1.5 <= time.monotonic() - started < 10
