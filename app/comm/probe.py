"""Read one meter now through one channel, outside collection: the "test" of a meter line
(the setup's and the channels page's Test button, `comm read` on the command line).

The same poller, channel and driver code as collection reads the meter, so a line that
passes its test is read the same way every half hour. Blocking: run it on a worker."""

from __future__ import annotations

import time
from dataclasses import dataclass

from app.comm.poller import Poller
from app.comm.types import ChannelConfig, ChannelKind, CommError, FrameEvent, MeterReading

DIAL_IN = (ChannelKind.ACREL_4G, ChannelKind.DTU)


class QuietSink:
    """A poller sink that keeps nothing: a test read stores no reading."""

    def on_readings(self, readings): ...
    def on_command_results(self, results): ...
    def on_meter_status(self, statuses): ...
    def on_channel_status(self, status): ...
    def on_identity_events(self, events): ...
    def fetch_commands(self):
        return []


@dataclass(frozen=True, slots=True)
class ProbeResult:
    reading: MeterReading | None  # None: the meter did not answer (see errors)
    errors: tuple[CommError, ...]  # what went wrong, as the comm monitor says it
    frames: tuple[FrameEvent, ...]  # every frame sent and received, with its meaning


def read_once(config: ChannelConfig, *, wait_s: float = 30.0) -> ProbeResult:
    """Open the channel of `config` (with its one meter), read the meter, close the channel.
    A dial-in channel (4G meter, DTU) listens up to `wait_s` for the device to call."""
    (endpoint,) = config.meters
    poller = Poller([config], QuietSink(), command_poll_s=0)
    poller.start()
    reading = None
    try:
        deadline = time.monotonic() + (wait_s if config.kind in DIAL_IN else 0)
        while True:
            readings = poller.read_now([endpoint]).result(60 + config.timeout_s * 10)
            if readings:
                reading = readings[0]
                break
            if time.monotonic() >= deadline:
                break
            time.sleep(1.0)  # a dial-in device has not called yet (worker thread)
        _, errors = poller.errors_since(0)
        _, frames = poller.frames_since(0)
    finally:
        poller.stop()
    return ProbeResult(reading, tuple(errors), tuple(frames))
