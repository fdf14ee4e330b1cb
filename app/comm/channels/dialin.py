"""Dial-in devices: Acrel 4G meters and transparent DTUs connect to our listener.

One `DialInHub` per listen address (several channels may share it). For each accepted
connection it reads the first packet(s) and decides who is calling:

- an Acrel 4G `7B 7B 84 …` registration (PROTOCOLS.md §1.6) → `Acrel4GSession`, known by
  the meter serial in the registration;
- a DTU registration packet in the format of one of the hub's DTU channels
  (`settings["register"]`, see protocols/dtu.py) → `DtuSession`, known by the DTU id.

The identity, never the IP address, binds the connection. Anyone on the network can send a
well-formed registration, so (PROTOCOLS.md has no authentication for either framing):
- a 4G meter's SIM (ICCID in its registration) is bound to its serial on the first
  registration (reported as an IdentityEvent; the service stores it and hands it back in
  ChannelConfig.identities); a registration with another ICCID is refused and said;
- a second registration for an identity whose connection is alive (it sent something within
  HEALTHY_S) is refused: the live connection stays. One whose link has gone quiet is replaced
  (a meter whose modem reconnected before the old connection timed out);
- several takeovers or refused attempts for one identity within FLAP_WINDOW_S are an identity
  conflict: said in the error log and reported for the meter, until a person decides. Each session
  offers a Transport that carries the plain RTU /
DL/T 645 bytes, so the bus worker reads a 4G meter or a meter behind a DTU exactly like a
meter behind a serial server. Heartbeats, time-sync requests and data uploads are handled
here (answered or absorbed) and logged with their meaning.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections import deque
from datetime import datetime, timedelta
from functools import partial

from app.comm import messages
from app.comm.bus import Bus
from app.comm.channels.base import ChannelContext, ChannelRuntime, LineChannel
from app.comm.drivers.registry import driver_for
from app.comm.protocols import acrel4g
from app.comm.protocols import dtu as dtu_codec
from app.comm.protocols.common import Garbage, ProtocolError
from app.comm.sources import is_allowed, parse_networks
from app.comm.transports.base import ByteBuffer, LinkClosed, LinkError, SocketTransport
from app.comm.transports.listener import DialInRegistry, Listener
from app.comm.types import (
    ChannelConfig,
    ChannelKind,
    ChannelStatus,
    Direction,
    IdentityEvent,
    IdentityEventKind,
    Meaning,
    MeterEndpoint,
    meaning_in,
)
from app.words import QT_TRANSLATE_NOOP, Word

log = logging.getLogger(__name__)

# what the dial-in links' own frames mean, beside the codecs' meanings
REGISTRATION_ANSWER = Word(
    "comm.frame.registration_answer",
    QT_TRANSLATE_NOOP("CommFrames", "registration answer: {meaning}"),
)
GARBLED_BYTES = Word(
    "comm.frame.garbled_bytes",
    QT_TRANSLATE_NOOP("CommFrames", "{count} garbled bytes skipped: {why}"),
)
IGNORED = Word("comm.frame.ignored", QT_TRANSLATE_NOOP("CommFrames", "{meaning} (ignored)"))
COUNTED_AS_WRITE_ACK = Word(
    "comm.frame.counted_as_write_ack",
    QT_TRANSLATE_NOOP("CommFrames", "{meaning}: counted as the write's acknowledgement"),
)
DTU_HEARTBEAT = Word(
    "comm.frame.dtu_heartbeat",
    QT_TRANSLATE_NOOP("CommFrames", "DTU heartbeat ×{count} (absorbed)"),
)
DTU_REGISTERS_AGAIN = Word(
    "comm.frame.dtu_registers_again",
    QT_TRANSLATE_NOOP("CommFrames", "DTU {dtu} registers again"),
)
DTU_REGISTRATION = Word(
    "comm.frame.dtu_registration", QT_TRANSLATE_NOOP("CommFrames", "DTU {dtu} registration")
)

DEFAULT_DTU_REGISTER = "ascii:DTU:{id}\\r\\n"
DEFAULT_DTU_HEARTBEAT = "ascii:HB\\r\\n"
IDENTIFY_TIMEOUT_S = 30.0
# A 4G meter or DTU whose link dropped (the service restarted) notices by its next
# heartbeat and dials in again: about a minute at the usual heartbeat periods.
DIAL_IN_GRACE_S = 60.0
# A connection that sent something this recently is alive: Acrel 4G meters and DTUs send a
# heartbeat about every minute (the simulator's default; set on the meter), so two missed
# heartbeats and some slack.
HEALTHY_S = 150.0
# Takeovers and refused registrations for one identity: this many within the window is a
# conflict (two devices with one serial), not a meter reconnecting now and then.
FLAP_COUNT = 3
FLAP_WINDOW_S = 600.0


class SessionTransport:
    """The meter bytes of one dialled-in session, as a Transport for the bus worker."""

    def __init__(self, session: "Session") -> None:
        self.session = session
        self.name = session.name
        self.buffer = ByteBuffer()

    @property
    def is_open(self) -> bool:
        return self.session.link.is_open

    async def open(self) -> None:
        if not self.is_open:
            raise LinkClosed(f"{self.name}: connection is closed")

    async def close(self) -> None:
        await self.session.link.close()

    async def write(self, data: bytes) -> None:
        await self.session.send_meter_bytes(data)

    async def read(self, timeout_s: float) -> bytes:
        return await self.buffer.read(timeout_s)

    def discard_input(self) -> bytes:
        return self.buffer.discard()


class Session:
    credential = ""  # what else the registration says about the device (a 4G meter's ICCID)

    def __init__(self, hub: "DialInHub", link: SocketTransport, identity: str) -> None:
        self.hub, self.link, self.identity = hub, link, identity
        self.name = f"{identity}@{link.peer}"
        self.transport = SessionTransport(self)
        self.last_rx = time.monotonic()

    def is_alive(self) -> bool:
        return (
            self.link.is_open and time.monotonic() - self.last_rx < HEALTHY_S / self.hub.ctx.speed
        )

    async def accept(self) -> None:
        """Tell the device it is registered (when its protocol has an answer)."""

    def channel(self) -> "LineChannel | None":
        """The channel the device belongs to now: looked up each time, since a channel
        changed while the device stays connected is a new runtime."""
        raise NotImplementedError

    @property
    def channel_id(self) -> int:
        channel = self.channel()
        return channel.config.id if channel else 0

    def log(self, direction: Direction, data: bytes, meaning: Meaning) -> None:
        self.hub.ctx.log_frame(self.channel_id, direction, self.identity, data, meaning)

    async def send_meter_bytes(self, data: bytes) -> None:
        raise NotImplementedError

    async def run(self, pending: bytes) -> None:
        raise NotImplementedError


class Acrel4GSession(Session):
    """Frames are handled in the connection's receive callback: a meter's reply reaches
    the bus worker with one task wake-up, not two."""

    _buf = b""

    def channel(self) -> "Acrel4GChannel | None":
        return self.hub.acrel_channels.get(self.identity)

    async def send_meter_bytes(self, data: bytes) -> None:
        self._last_request = data  # a serial-only acknowledgement answers this one
        self.link.send(acrel4g.downlink(data))

    async def run(self, pending: bytes) -> None:
        self._receive(pending + self.link.hand_over(self._receive))
        await self.link.wait_closed()

    async def accept(self) -> None:
        ack = acrel4g.register_ack()
        await self.link.write(ack)
        self.log(
            Direction.TX,
            ack,
            meaning_in(REGISTRATION_ANSWER, acrel4g.Ack(acrel4g.REGISTER).describe),
        )

    def _receive(self, data: bytes) -> None:
        self.last_rx = time.monotonic()
        buf = self._buf + data
        while buf:
            used, message = acrel4g.decode(buf)
            if used <= 0:
                break
            frame, buf = buf[:used], buf[used:]
            try:
                self._handle(frame, message)
            except LinkError:
                buf = b""  # the meter hung up while we answered; the link is closing
                break
        self._buf = buf

    def _handle(self, frame: bytes, message: object) -> None:
        if isinstance(message, Garbage) or message is None:
            self.log(
                Direction.RX,
                frame,
                GARBLED_BYTES(count=len(frame), why=getattr(message, "reason", "")).say,
            )
        elif isinstance(message, acrel4g.Downlink) and not message.rtu:
            self._serial_only_ack(frame, message)
        elif isinstance(message, acrel4g.Downlink):
            self.transport.buffer.feed(message.rtu)  # the bus worker logs the RTU reply itself
        elif isinstance(message, acrel4g.Heartbeat):
            self.log(Direction.RX, frame, message.describe)  # absorbed: the meter expects no answer
            self.hub.ctx.meter_answered(self.channel_id, self.identity)
        elif isinstance(message, acrel4g.TimeSyncRequest):
            self.log(Direction.RX, frame, message.describe)
            answer = acrel4g.time_sync(_local_time(self.hub.ctx.now()))
            self.link.send(answer)
            self.log(
                Direction.TX, answer, acrel4g.TimeSync(_local_time(self.hub.ctx.now())).describe
            )
        elif isinstance(message, acrel4g.DataUpload):
            profile = self._profile()
            self.log(
                Direction.RX,
                frame,
                partial(
                    message.describe, clocks=acrel4g.clock_layouts(profile) if profile else None
                ),
            )
            if (
                profile
                and not profile.acrel4g["upload_crc_optional"]
                and not all(s.crc for s in message.sections)
            ):
                self.hub.ctx.error(self.channel_id, self.identity, messages.UPLOAD_WITHOUT_CRC)
                return  # this meter's profile wants the CRC: not acknowledged, as a garbled frame
            ack = acrel4g.upload_ack()
            self.link.send(ack)
            self.log(Direction.TX, ack, acrel4g.Ack(acrel4g.DATA_UPLOAD).describe)
            self.hub.on_upload(self, message)
        elif isinstance(message, acrel4g.Register):
            self.log(Direction.RX, frame, message.describe)
            ack = acrel4g.register_ack()
            self.link.send(ack)
            self.log(Direction.TX, ack, acrel4g.Ack(acrel4g.REGISTER).describe)
        else:
            self.log(Direction.RX, frame, message.describe)  # type: ignore[union-attr]

    _last_request = b""

    def _profile(self):
        channel = self.channel()
        return channel.profile_for(self.identity) if channel is not None else None

    def _serial_only_ack(self, frame: bytes, message: acrel4g.Downlink) -> None:
        """Some firmwares answer a write with their serial only (ems4j accepts it): the
        write's response, when the meter's profile allows it and a write is waiting."""
        profile = self._profile()
        response = acrel4g.serial_only_write_ack(self._last_request)
        if profile is None or not profile.acrel4g["serial_only_write_ack"] or response is None:
            self.log(Direction.RX, frame, meaning_in(IGNORED, message.describe))
            return
        self.log(
            Direction.RX,
            frame,
            meaning_in(COUNTED_AS_WRITE_ACK, message.describe),
        )
        self.transport.buffer.feed(response)


class DtuSession(Session):
    def __init__(self, hub, link, identity, fmt: dtu_codec.DtuFormat) -> None:
        super().__init__(hub, link, identity)
        self.format = fmt

    def channel(self) -> "DtuChannel | None":
        return self.hub.dtu_channels.get(self.identity)

    async def send_meter_bytes(self, data: bytes) -> None:
        await self.link.write(data)  # transparent

    async def run(self, pending: bytes) -> None:
        if pending:
            self.transport.buffer.feed(pending)
        while True:
            try:
                packet = await self.link.read(3600.0)
            except LinkError:
                return
            if not packet:
                continue
            self.last_rx = time.monotonic()
            kind = self.format.classify(packet)
            if isinstance(kind, dtu_codec.Heartbeat):
                self.log(
                    Direction.RX,
                    packet,
                    DTU_HEARTBEAT(count=kind.count).say,
                )
            elif isinstance(kind, dtu_codec.Registration):
                self.log(
                    Direction.RX,
                    packet[: len(packet) - len(kind.rest)],
                    DTU_REGISTERS_AGAIN(dtu=kind.dtu_id).say,
                )
                if kind.rest:
                    self.transport.buffer.feed(kind.rest)
            else:
                self.transport.buffer.feed(kind.data)


def _local_time(at: datetime) -> datetime:
    # meters keep China Standard Time (UTC+8) as their wall clock
    return (at + timedelta(hours=8)).replace(tzinfo=None)


class DialInHub:
    """A listener shared by the dial-in channels that name the same listen address."""

    def __init__(self, host: str, port: int, ctx: ChannelContext) -> None:
        self.ctx = ctx
        self.listener = Listener(host, port, self._on_connection, name=f"listen:{host}:{port}")
        self.registry = DialInRegistry()
        self.acrel_channels: dict[str, "Acrel4GChannel"] = {}  # serial -> channel
        self.dtu_channels: dict[str, "DtuChannel"] = {}  # dtu id -> channel
        self.dtu_formats: list[dtu_codec.DtuFormat] = []
        self._attempts: dict[str, deque[float]] = {}  # identity -> monotonic times of takeovers
        self.started_at: float | None = None  # loop time the listener started

    async def start(self) -> None:
        await self.listener.start()
        self.started_at = asyncio.get_running_loop().time()

    async def device(self, identity: str) -> tuple[Session | None, str]:
        """The device's live session, or None and why. In the dial-in grace after the
        listener started (the service restarted: its devices notice by their next heartbeat
        and dial in again) this waits for it; once the grace has passed, it answers at once."""
        loop = asyncio.get_running_loop()
        deadline = (self.started_at or loop.time()) + DIAL_IN_GRACE_S / self.ctx.speed
        waited = False
        while True:
            session = self.registry.get(identity)
            if session is not None and session.transport.is_open:
                return session, ""
            left = deadline - loop.time()
            if left <= 0:
                if waited:
                    return None, messages.DEVICE_DID_NOT_DIAL_IN(seconds=round(DIAL_IN_GRACE_S))
                return None, messages.DEVICE_NOT_DIALLED_IN
            waited = True
            if session is None:
                await self.registry.wait_for(identity, left)
            else:  # its old connection is closing: the new one binds in a moment
                await asyncio.sleep(min(left, 0.1))

    async def stop(self) -> None:
        await self.listener.stop()

    def forget(self, channel: LineChannel) -> None:
        """Drop what `channel` registered; a runtime built since for the same device has
        registered itself in its place and stays."""
        for channels in (self.acrel_channels, self.dtu_channels):
            for key in [key for key, registered in channels.items() if registered is channel]:
                del channels[key]

    def add_dtu_format(self, fmt: dtu_codec.DtuFormat) -> None:
        if fmt not in self.dtu_formats:
            self.dtu_formats.append(fmt)

    def _channels(self) -> set[LineChannel]:
        return {*self.acrel_channels.values(), *self.dtu_channels.values()}

    def _admits(self, link: SocketTransport, channel: "LineChannel | None" = None) -> bool:
        """A source in the allowed networks of `channel` (before identification: of any
        channel on this listener); said in the error log when refused."""
        host = link.peer.rsplit(":", 1)[0]
        channels = [channel] if channel is not None else self._channels()
        if not channels or any(is_allowed(host, c.allowed_sources) for c in channels):
            return True
        self.ctx.error(
            channel.config.id if channel else 0, None, messages.SOURCE_REFUSED(source=link.peer)
        )
        return False

    async def _on_connection(self, link: SocketTransport) -> None:
        if not self._admits(link):
            await link.close()
            return
        try:
            session, pending = await asyncio.wait_for(self._identify(link), IDENTIFY_TIMEOUT_S)
        except (TimeoutError, LinkError, ProtocolError) as exc:
            self.ctx.error(
                0, None, messages.LINK_NOT_REGISTERED(link=link.name, detail=str(exc or "—"))
            )
            return
        if session is None:
            return
        channel = session.channel()
        if channel is not None and not self._admits(link, channel):
            await link.close()
            return
        refusal = self._refusal(session, channel)
        if refusal:
            self.ctx.error(channel.config.id if channel else 0, session.identity, refusal)
            await link.close()
            return
        await session.accept()
        old = self.registry.bind(session.identity, session)
        if old is not None:
            # the device dialled in again before its old connection was seen to drop
            self._attempt(session, channel)
            await old.link.close()
        self._link_changed(session, True)
        try:
            await session.run(pending)
        finally:
            if self.registry.unbind(session.identity, session):
                self._link_changed(session, False)

    def _refusal(self, session: Session, channel: "LineChannel | None") -> str:
        """Why this registration is refused ("" to take it): another device's SIM for a
        bound 4G meter, or an identity whose connection is alive."""
        if isinstance(channel, Acrel4GChannel):
            bound = channel.identities.get(session.identity, "")
            if not bound and session.credential:
                channel.bind_identity(session.identity, session.credential)
            elif bound and session.credential != bound:
                why = messages.IDENTITY_MISMATCH(
                    link=session.link.peer,
                    serial=session.identity,
                    offered=session.credential or "—",
                    bound=bound,
                )
                self.ctx.identity_event(
                    IdentityEvent(
                        channel.config.id,
                        session.identity,
                        IdentityEventKind.MISMATCH,
                        session.credential,
                        why,
                    )
                )
                self._attempt(session, channel)
                return why
        old = self.registry.get(session.identity)
        if old is not None and old.is_alive():
            self._attempt(session, channel)
            return messages.TAKEOVER_REFUSED(
                serial=session.identity, current=old.link.peer, link=session.link.peer
            )
        return ""

    def _attempt(self, session: Session, channel: "LineChannel | None") -> None:
        """One more takeover (or attempt) for the identity; too many in the window is a conflict."""
        now, window = time.monotonic(), FLAP_WINDOW_S / self.ctx.speed
        times = self._attempts.setdefault(session.identity, deque())
        while times and now - times[0] > window:
            times.popleft()
        times.append(now)
        if len(times) < FLAP_COUNT:
            return
        times.clear()  # said once per burst; the next burst is said again
        cid = channel.config.id if channel else 0
        why = messages.IDENTITY_FLAPPING(
            serial=session.identity, count=FLAP_COUNT, minutes=round(FLAP_WINDOW_S / 60)
        )
        self.ctx.error(cid, session.identity, why)
        if channel is not None:
            self.ctx.identity_event(
                IdentityEvent(
                    cid, session.identity, IdentityEventKind.FLAPPING, session.credential, why
                )
            )

    async def _identify(self, link: SocketTransport) -> tuple[Session | None, bytes]:
        buf = b""
        while True:
            data = await link.read(IDENTIFY_TIMEOUT_S)
            if not data:
                continue
            buf += data
            if buf.startswith(acrel4g.HEAD[:1]) or acrel4g.HEAD in buf:
                used, message = acrel4g.decode(buf)
                if used == 0 and len(buf) < acrel4g.MAX_FRAME:
                    continue
                if isinstance(message, acrel4g.Register):
                    return await self._start_acrel(link, message, buf[:used]), buf[used:]
            for fmt in self.dtu_formats:
                kind = fmt.classify(buf)
                if isinstance(kind, dtu_codec.Registration):
                    return self._start_dtu(link, kind, fmt, buf), kind.rest
            if len(buf) > 512:
                self.ctx.error(
                    0, None, messages.UNKNOWN_REGISTRATION(link=link.name, packet=buf[:32].hex(" "))
                )
                return None, b""

    async def _start_acrel(
        self, link: SocketTransport, message: acrel4g.Register, frame: bytes
    ) -> Session:
        session = Acrel4GSession(self, link, message.serial)
        session.credential = message.iccid.strip()
        session.log(Direction.RX, frame, message.describe)
        if session.channel() is None:
            self.ctx.error(0, message.serial, messages.UNKNOWN_4G_METER(serial=message.serial))
        return session

    def _start_dtu(
        self, link: SocketTransport, kind: dtu_codec.Registration, fmt, buf: bytes
    ) -> Session:
        channel = self.dtu_channels.get(kind.dtu_id)
        session = DtuSession(self, link, kind.dtu_id, channel.format if channel else fmt)
        session.log(
            Direction.RX,
            buf[: len(buf) - len(kind.rest)],
            DTU_REGISTRATION(dtu=kind.dtu_id).say,
        )
        if channel is None:
            self.ctx.error(0, kind.dtu_id, messages.UNKNOWN_DTU(dtu=kind.dtu_id))
        return session

    def _link_changed(self, session: Session, up: bool) -> None:
        channel = session.channel()
        if channel is not None:
            channel.on_dialled_in(session.identity, up)

    def on_upload(self, session: Session, upload: acrel4g.DataUpload) -> None:
        channel = session.channel()
        if channel is not None:
            channel.on_upload(session.identity, upload)


def _hub_for(config: ChannelConfig, ctx: ChannelContext, hubs: dict) -> DialInHub:
    host = str(config.setting("listen_host", "0.0.0.0"))
    port = int(config.setting("listen_port", 0))
    key = ("dialin", host, port)  # port 0: all such channels share one ephemeral listener
    hub = hubs.get(key)
    if hub is None:
        hub = hubs[key] = DialInHub(host, port, ctx)
    return hub


class DtuChannel(LineChannel):
    """The meters on the RS485 bus behind one transparent DTU."""

    dial_in_grace_s = DIAL_IN_GRACE_S

    def __init__(self, config: ChannelConfig, ctx: ChannelContext, hub: DialInHub) -> None:
        super().__init__(config, ctx)
        self.hub = hub
        self.dtu_id = str(config.setting("dtu_id", required=True))
        self.allowed_sources = parse_networks(config.settings.get("allowed_sources"))
        self.format = dtu_codec.DtuFormat.from_settings(
            {
                "register": config.settings.get("register", DEFAULT_DTU_REGISTER),
                "heartbeat": config.settings.get("heartbeat", DEFAULT_DTU_HEARTBEAT),
            }
        )
        hub.dtu_channels[self.dtu_id] = self
        hub.add_dtu_format(self.format)
        self.bus = self.new_bus(f"{config.id}:dtu:{self.dtu_id}", self._get_transport)

    async def _get_transport(self):
        session, why = await self.hub.device(self.dtu_id)
        if session is None:
            raise LinkError(messages.LINK_DOWN(link=f"DTU {self.dtu_id}", why=why))
        return session.transport

    def buses(self) -> list[Bus]:
        return [self.bus]

    def bus_for(self, address: str) -> Bus:
        return self.bus

    def listen_port(self) -> int:
        return self.hub.listener.bound_port

    async def stop(self, reason: messages.Reason = messages.POLLER_STOPPED) -> None:
        await super().stop(reason)
        self.hub.forget(self)

    def on_dialled_in(self, identity: str, up: bool) -> None:
        self.on_link_state(up, (messages.DTU_ONLINE if up else messages.DTU_OFFLINE)(dtu=identity))


class Acrel4GChannel(LineChannel):
    """Acrel 4G meters: each meter dials in itself and is its own line."""

    dial_in_grace_s = DIAL_IN_GRACE_S

    def __init__(self, config: ChannelConfig, ctx: ChannelContext, hub: DialInHub) -> None:
        super().__init__(config, ctx)
        self.hub = hub
        self.unit = int(config.setting("slave_id", 1))
        self.allowed_sources = parse_networks(config.settings.get("allowed_sources"))
        self.identities: dict[str, str] = {
            a: i for a, i in config.identities.items() if i
        }  # serial -> ICCID
        self._buses: dict[str, Bus] = {}
        for address in self.endpoints:
            hub.acrel_channels[address] = self
            self._buses[address] = self.new_bus(
                f"{config.id}:4g:{address}", self._transport_getter(address)
            )
        self._dialled_in: set[str] = set()
        self._status_handle: asyncio.TimerHandle | None = None
        self.gate = asyncio.Semaphore(int(config.setting("max_parallel", 64)))

    def make_driver(self, endpoint: MeterEndpoint):
        return driver_for(endpoint, "rtu", unit=self.unit)

    def profile_for(self, address: str):
        """The profile of the meter with this serial (its firmware's 4G variants), or None."""
        endpoint = self.endpoints.get(address)
        return self.driver(endpoint).profile if endpoint is not None else None

    def set_identities(self, identities: dict[str, str]) -> None:
        """What the office has stored (a person may have accepted a new SIM or cleared one)."""
        self.identities = {a: i for a, i in identities.items() if i}

    def bind_identity(self, serial: str, iccid: str) -> None:
        """First registration: this SIM is the meter's from now on; the service stores it."""
        self.identities[serial] = iccid
        self.ctx.identity_event(
            IdentityEvent(self.config.id, serial, IdentityEventKind.BOUND, iccid)
        )

    def _transport_getter(self, address: str):
        async def get():
            session, why = await self.hub.device(address)
            if session is None:
                raise LinkError(messages.LINK_DOWN(link=f"4G {address}", why=why))
            return session.transport

        return get

    def on_link_state(self, connected: bool, detail: str) -> None:
        pass  # per-meter links: reported through on_dialled_in, a summary per channel

    def buses(self) -> list[Bus]:
        return list(self._buses.values())

    def bus_for(self, address: str) -> Bus:
        return self._buses[address]

    def listen_port(self) -> int:
        return self.hub.listener.bound_port

    async def start(self) -> None:
        await super().start()
        # meters connected before this runtime was built (the channel changed) stay online
        self._dialled_in = {
            address for address in self.endpoints if self._session(address) is not None
        }
        self._report()

    async def stop(self, reason: messages.Reason = messages.POLLER_STOPPED) -> None:
        await super().stop(reason)
        self.hub.forget(self)
        if self._status_handle is not None:
            self._status_handle.cancel()
            self._status_handle = None

    def _session(self, address: str) -> Session | None:
        """The meter's live session; one whose link has just hung up counts as gone
        (its session ends a moment later, when the connection is closed)."""
        session = self.hub.registry.get(address)
        return session if session is not None and session.transport.is_open else None

    async def read_with_replies(self, bus, endpoint):
        session, why = await self.hub.device(endpoint.address)
        if session is None:
            # a 4G meter's own link is down: that is the meter being offline
            cfg = self.config
            self.ctx.meter_failed(cfg.id, endpoint.address, why, cfg.offline_after_failures)
            return None
        return await super().read_with_replies(bus, endpoint)

    def on_dialled_in(self, identity: str, up: bool) -> None:
        if up:
            self._dialled_in.add(identity)
            self.ctx.meter_answered(self.config.id, identity)
        else:
            self._dialled_in.discard(identity)
        if self._status_handle is None:  # one status per second at most, not one per meter
            self._status_handle = asyncio.get_running_loop().call_later(1.0, self._report)

    def _report(self) -> None:
        self._status_handle = None
        self.ctx.channel_status(
            ChannelStatus(
                self.config.id,
                True,
                messages.METERS_ONLINE(online=len(self._dialled_in), total=len(self.endpoints)),
            )
        )

    def on_upload(self, serial: str, upload: acrel4g.DataUpload) -> None:
        endpoint = self.endpoints.get(serial)
        if endpoint is None:
            return
        driver = self.driver(endpoint)
        for section in upload.sections:
            try:
                reading = acrel4g.upload_reading(
                    section, driver.profile, channel_id=self.config.id, read_at=self.ctx.now()
                )
            except ProtocolError as exc:
                self.ctx.error(
                    self.config.id,
                    serial,
                    messages.BAD_REPLY_DETAIL(detail=messages.detail_of(exc)),
                )
                continue
            self.ctx.meter_answered(self.config.id, serial)
            self.ctx.reading(dataclasses.replace(reading, address=serial))


def build_dialin_channel(config: ChannelConfig, ctx: ChannelContext, hubs: dict) -> ChannelRuntime:
    hub = _hub_for(config, ctx, hubs)
    if config.kind is ChannelKind.DTU:
        return DtuChannel(config, ctx, hub)
    return Acrel4GChannel(config, ctx, hub)
