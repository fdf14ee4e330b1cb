"""The poller against the simulator over real TCP sockets on 127.0.0.1."""

from __future__ import annotations

import pytest

from app.comm import messages
from app.comm.poller import Poller
from app.comm.simulator import SimConfig
from app.comm.types import Action, ChannelKind, CommandRequest, CommandResult, Direction
from tests.comm.runtime_helpers import RecordingSink, fast, running

# one serial-server bus of 6 Acrel meters, nothing else
ONE_BUS = dict(
    electric=6,
    water=0,
    acrel_4g=0,
    dtus=0,
    gateways=0,
    meters_per_bus=6,
    three_phase_share=0,
    seed=3,
)


def bus_channel(channels):
    return next(c for c in channels if c.kind is ChannelKind.SERIAL_SERVER)


def tx_frames(poller, address=None):
    _, frames = poller.frames_since(0)
    return [
        f
        for f in frames
        if f.direction is Direction.TX and (address is None or f.address == address)
    ]


def test_a_collection_reads_every_meter_with_one_transaction_at_a_time():
    with running(SimConfig(**ONE_BUS)) as (sim, poller, sink, channels):
        ch = bus_channel(channels)
        readings = poller.read_now(ch.meters).result(20)
        assert sorted(r.address for r in readings) == [str(n) for n in range(1, 7)]
        physics = sim.meter(ch.id, "3").physics
        reading = next(r for r in readings if r.address == "3")
        assert reading.total == pytest.approx(
            round(physics.base_kwh * 100 + sum(int(e * 100) for e in physics.energy_kwh)), abs=2
        )
        assert reading.relay_closed is True and reading.forced_mode is None
        assert len(reading.tariffs) == 4 and reading.voltage_v > 200
        sink.wait(lambda s: len(s.readings) == 6, what="readings delivered to the sink")
        sink.wait(
            lambda s: len(s.statuses) == 6 and all(st.online for st in s.statuses),
            what="meters online",
        )
        assert all(v["overlaps"] == 0 for v in poller.bus_stats().values())
        assert sim.collisions() == 0
        # every frame is logged with its meaning
        tx = tx_frames(poller)
        assert (
            len(tx) == 12
            and "0x0200" in tx[0].meaning
            and tx[0].hex.startswith("01 03 02 00 00 30")
        )
        # replies are described when looked at, in the same words as ever, with their time
        _, frames = poller.frames_since(0)
        rx = [f for f in frames if f.direction is Direction.RX and f.address == "3"]
        assert [f.meaning for f in rx] == [
            "slave 3 answers FC03 with 48 register(s)",
            "slave 3 answers FC03 with 28 register(s)",
        ]
        assert rx[0].hex.startswith("03 03 60") and rx[0].at.tzinfo is not None
        assert abs((rx[0].at - reading.read_at).total_seconds()) < 5


def test_commands_go_before_scheduled_polls_and_never_overlap():
    with running(SimConfig(**ONE_BUS), channel_changes={"poll_interval_s": 3600}) as (
        sim,
        poller,
        sink,
        channels,
    ):
        ch = bus_channel(channels)
        poller.submit([CommandRequest(1, ch.id, "6", Action.TRIP)])  # the cycle already queued 1..6
        result = sink.final_result(1)
        assert result.ok and result.relay_closed is False, result
        sink.wait(lambda s: len(s.readings) >= 7, what="the whole cycle")
        tx = tx_frames(poller)
        write_at = next(i for i, f in enumerate(tx) if f.hex.startswith("06 10 00 57"))
        later_polls = {f.address for f in tx[write_at:] if "FC03" in f.meaning}
        assert {"3", "4", "5"} <= later_polls  # the command jumped the queue
        assert sim.meter(ch.id, "6").physics.relay_closed is False
        assert all(v["overlaps"] == 0 for v in poller.bus_stats().values())
        assert sim.collisions() == 0


@pytest.mark.parametrize(
    ("action", "relay_closed", "forced_mode"),
    [
        (Action.TRIP, False, "forced_off"),
        (Action.FORCED_ON, True, "forced_on"),
        (Action.RESTORE_PREPAID, True, None),
        (Action.CLOSE, True, None),
    ],
)
def test_relay_commands_are_verified_by_reading_back(action, relay_closed, forced_mode):
    with running(SimConfig(**ONE_BUS)) as (sim, poller, sink, channels):
        ch = bus_channel(channels)
        if action is Action.CLOSE:
            sim.call(sim.meter(ch.id, "2").physics.set_forced_control, True, True, sim.now())
        poller.submit([CommandRequest(7, ch.id, "2", action)])
        result = sink.final_result(7)
        assert result == CommandResult(7, ok=True, relay_closed=relay_closed)
        reading = sink.wait(
            lambda s: [r for r in s.readings if r.address == "2"], what="read-back"
        )[-1]
        assert reading.forced_mode == forced_mode
        assert sim.meter(ch.id, "2").physics.relay_closed is relay_closed


def test_close_fails_with_a_reason_when_the_meter_itself_is_in_arrears():
    with running(SimConfig(**ONE_BUS)) as (sim, poller, sink, channels):
        ch = bus_channel(channels)
        physics = sim.meter(ch.id, "4").physics
        sim.call(setattr, physics, "remaining_money_fen", 0)
        poller.submit([CommandRequest(8, ch.id, "4", Action.CLOSE)])
        result = sink.final_result(8)
        assert not result.ok and result.relay_closed is False
        assert str(result.reason).startswith("命令已发送，但回读继电器状态不符") and "欠费" in str(
            result.reason
        )


def test_a_command_is_executed_once_even_when_submitted_twice():
    with running(SimConfig(**ONE_BUS)) as (sim, poller, sink, channels):
        ch = bus_channel(channels)
        command = CommandRequest(9, ch.id, "1", Action.TRIP)
        poller.submit([command])
        sink.queue_commands([command])  # the durable source hands it out again
        sink.final_result(9)
        sink.wait(lambda s: s.fetches >= 3, what="the command source polled again")
        assert len(sink.results_for(9)) == 1
        assert len([f for f in tx_frames(poller, "1") if "FC10" in f.meaning]) == 1


def test_a_command_control_sends_again_runs_again_under_its_id():
    """Control retries a failed trip under the same command id (its attempt counted): the
    running poller runs the new attempt, once, instead of taking it for the one it has run."""
    with running(SimConfig(**ONE_BUS)) as (sim, poller, sink, channels):
        ch = bus_channel(channels)
        first = CommandRequest(13, ch.id, "1", Action.TRIP, attempt=1)
        poller.submit([first])
        sink.final_result(13)
        again = CommandRequest(13, ch.id, "1", Action.TRIP, attempt=2)
        sink.queue_commands([again, again])  # handed out twice by the durable source: still once
        sink.wait(lambda s: len(s.results_for(13)) >= 2, what="the second attempt")
        sink.wait(lambda s: s.fetches >= 3, what="the command source polled again")
        assert len(sink.results_for(13)) == 2
        assert len([f for f in tx_frames(poller, "1") if "FC10" in f.meaning]) == 2


def test_commands_from_the_sink_and_for_unknown_meters():
    with running(SimConfig(**ONE_BUS)) as (sim, poller, sink, channels):
        ch = bus_channel(channels)
        sink.queue_commands(
            [
                CommandRequest(10, ch.id, "99", Action.TRIP),
                CommandRequest(11, 999, "1", Action.TRIP),
                CommandRequest(12, ch.id, "5", Action.READ_NOW),
            ]
        )
        assert sink.final_result(10).reason == messages.METER_UNKNOWN(address="99")
        assert sink.final_result(11).reason == messages.CHANNEL_UNKNOWN(channel_id=999)
        assert sink.final_result(12).ok
        from dataclasses import replace

        stranger = replace(ch.meters[0], address="77")
        assert poller.read_now([stranger]).result(5) == []  # not configured: an error, not a crash
        assert any(e.address == "77" for e in poller.errors_since(0)[1])


# For tests that wait out meters that never answer: a short timeout only costs a retry
# where a meter does answer, and these tests count only the silent meters' frames.
SHORT_TIMEOUT = {"timeout_s": 0.3}


def test_no_answer_is_retried_then_offline_then_back_online_at_the_next_answer():
    with running(SimConfig(**ONE_BUS), channel_changes=SHORT_TIMEOUT) as (
        sim,
        poller,
        sink,
        channels,
    ):
        ch = bus_channel(channels)
        meter = [m for m in ch.meters if m.address == "2"]
        sim.misbehave(ch.id, "2", "no_answer")
        assert poller.read_now(meter).result(10) == []
        assert len(tx_frames(poller, "2")) == 2  # first try + 1 retry
        first = sink.wait(lambda s: s.status_of(ch.id, "2"), what="status after the first failure")
        assert first.failures == 1 and first.error == messages.NO_ANSWER
        assert poller.read_now(meter).result(10) == []
        sink.wait(
            lambda s: (st := s.status_of(ch.id, "2")) and not st.online and st.failures == 2,
            what="offline",
        )
        assert poller.read_now(meter).result(10) == []
        assert len(tx_frames(poller, "2")) == 5  # an offline meter gets one try, no retries
        _, errors = poller.errors_since(0)
        assert [e.message for e in errors if e.address == "2"].count(messages.NO_ANSWER) == 3
        sim.misbehave(ch.id, "2", None)
        assert len(poller.read_now(meter).result(10)) == 1
        sink.wait(
            lambda s: (st := s.status_of(ch.id, "2")) and st.online and st.failures == 0,
            what="back online",
        )


@pytest.mark.parametrize("mode", ["bad_crc", "garbled"])
def test_damaged_answers_are_skipped_and_logged_and_the_bus_goes_on(mode):
    with running(SimConfig(**ONE_BUS)) as (sim, poller, sink, channels):
        ch = bus_channel(channels)
        sim.misbehave(ch.id, "3", mode)
        readings = poller.read_now(ch.meters).result(20)
        assert sorted(r.address for r in readings) == ["1", "2", "4", "5", "6"]
        _, frames = poller.frames_since(0)
        skipped = [
            f for f in frames if f.direction is Direction.RX and "bytes skipped" in f.meaning
        ]
        assert skipped and all(f.address == "3" for f in skipped)
        sim.misbehave(ch.id, "3", None)
        assert len(poller.read_now([m for m in ch.meters if m.address == "3"]).result(10)) == 1


def test_a_slow_meter_times_out_and_its_late_answer_does_not_confuse_the_next_meter():
    # Meter 1 answers 0.43 s after its 1.5 s timeout, in the middle of the wait for meter 2,
    # which itself answers 0.44 s later and 0.63 s before its own timeout: every margin is
    # several times what a loaded machine delays a frame. (A request and a 48-register
    # answer take 0.12 s on the simulated 9600 baud line.)
    timeout_s = 1.5
    with running(SimConfig(**ONE_BUS), channel_changes={"retries": 0, "timeout_s": timeout_s}) as (
        sim,
        poller,
        sink,
        channels,
    ):
        ch = bus_channel(channels)
        for address, late_s in (("1", timeout_s + 0.3), ("2", timeout_s / 2)):
            sim.meter(ch.id, address).device.faults.slow_s = late_s
            sim.misbehave(ch.id, address, "slow")
        readings = poller.read_now(ch.meters[:3]).result(30)
        assert [r.address for r in readings] == ["2", "3"]
        _, frames = poller.frames_since(0)
        late = [i for i, f in enumerate(frames) if "not the reply to this request" in f.meaning]
        assert len(late) == 1
        # it came after meter 2 was asked and before meter 2 answered
        assert frames[late[0] - 1].direction is Direction.TX and frames[late[0] - 1].address == "2"
        assert frames[late[0] + 1].direction is Direction.RX and frames[late[0] + 1].address == "2"


def test_a_counter_reset_is_reported_as_read_not_hidden():
    with running(SimConfig(**ONE_BUS)) as (sim, poller, sink, channels):
        ch = bus_channel(channels)
        meter = [m for m in ch.meters if m.address == "4"]
        before = poller.read_now(meter).result(10)[0]
        sim.misbehave(ch.id, "4", "counter_reset")
        after = poller.read_now(meter).result(10)[0]
        assert before.total > 10_000
        assert after.total < 100 and after.total < before.total


def test_a_dead_serial_server_is_a_channel_problem_not_a_meter_problem():
    with running(SimConfig(**ONE_BUS)) as (sim, poller, sink, channels):
        ch = bus_channel(channels)
        assert len(poller.read_now(ch.meters[:1]).result(10)) == 1
        sim.call(sim.sim_channels[0].server.stop)
        assert poller.read_now(ch.meters).result(10) == []
        down = sink.wait(
            lambda s: [c for c in s.channel_statuses if not c.connected], what="channel down"
        )
        assert down[0].channel_id == ch.id
        assert all(st.online for st in sink.statuses)  # meters are not blamed for the line
        _, errors = poller.errors_since(0)
        assert any(messages.CHANNEL_DOWN.say() in str(e.message) for e in errors)


def test_the_schedule_polls_every_channel_again():
    two_buses = dict(ONE_BUS, electric=12)  # two lines of six meters
    with running(SimConfig(**two_buses), channel_changes={"poll_interval_s": 1}) as (
        sim,
        poller,
        sink,
        channels,
    ):
        meters = {(c.id, m.address) for c in channels for m in c.meters}
        assert len(channels) == 2 and len(meters) == 12

        def reads(s):
            counts = {key: 0 for key in meters}
            for r in s.readings:
                counts[(r.channel_id, r.address)] += 1
            return counts

        # every meter of every line read at least twice: a line left out, or polled only once,
        # would leave a count below 2 however many readings the other line gave
        sink.wait(
            lambda s: min(reads(s).values()) >= 2, timeout_s=30, what="two cycles of each line"
        )


def test_frame_and_error_logs_are_bounded():
    with running(
        SimConfig(**ONE_BUS),
        channel_changes=SHORT_TIMEOUT,
        poller_kwargs={"frame_log_size": 10, "error_log_size": 3},
    ) as (sim, poller, sink, channels):
        ch = bus_channel(channels)
        for address in ("1", "2", "3", "4"):
            sim.misbehave(ch.id, address, "no_answer")
        poller.read_now(ch.meters).result(30)
        seq, frames = poller.frames_since(0)
        assert len(frames) == 10 and seq > 10
        assert poller.frames_since(seq) == (seq, [])
        assert poller.frames_since(seq - 2)[1] == frames[-2:]
        last, errors = poller.errors_since(0)
        assert len(errors) == 3 and last >= 4


def test_the_sink_is_called_from_one_thread_that_is_not_the_callers():
    import threading

    class ThreadSink(RecordingSink):
        def on_readings(self, readings):
            self.thread = threading.current_thread().name
            super().on_readings(readings)

    from app.comm.simulator import MarketSimulator

    sim = MarketSimulator(SimConfig(**ONE_BUS)).start()
    try:
        sink = ThreadSink()
        poller = Poller([fast(c) for c in sim.channels()], sink)
        poller.start()
        try:
            poller.read_now(bus_channel(sim.channels()).meters[:1]).result(10)
            sink.wait(lambda s: s.readings, what="reading")
            assert sink.thread.startswith("comm-sink")
        finally:
            poller.stop()
    finally:
        sim.stop()


def test_the_injected_clock_stamps_readings_and_frames_and_speed_shortens_the_schedule():
    from datetime import UTC, datetime

    demo_time = datetime(2030, 1, 1, 8, 0, tzinfo=UTC)
    config = SimConfig(**ONE_BUS)
    with running(
        config,
        channel_changes={"poll_interval_s": 60},
        poller_kwargs={"clock": lambda: demo_time, "speed": 60.0, "command_poll_s": 0},
    ) as (sim, poller, sink, channels):
        sink.wait(
            lambda s: len(s.readings) >= 12,
            timeout_s=15,
            what="two cycles of a 60 s schedule at ×60",
        )
        assert {r.read_at for r in sink.readings} == {demo_time}
        assert {f.at for f in poller.frames_since(0)[1]} == {demo_time}
