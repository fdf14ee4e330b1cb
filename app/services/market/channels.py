"""Comm channels in the database, and binding meters to them."""

from __future__ import annotations

import ipaddress
import secrets
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.comm.protocols.common import ProtocolError
from app.comm.protocols.dtu import DtuFormat
from app.comm.sources import parse_networks
from app.comm.transports.serial_line import port_name
from app.comm.types import ChannelConfig, ChannelKind, MeterEndpoint, MeterKind, Protocol
from app.models.meter import Channel, CommStatus, Meter
from app.services.market.stall_codes import listed
from app.services.platform.audit import audit
from app.services.platform.context import Actor, Conflict, May, NotFound, ServiceError, require
from app.words import QT_TRANSLATE_NOOP, Word

CHANNEL_STILL_METERS_CANNOT_DELETED = Word(
    "channels.channel_still_meters_cannot_deleted",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Channel “{channel_name}” still has {bound} meters, so it cannot be deleted. Move those "
        "meters to another channel first, or disable this channel",
    ),
)
COMM_CHANNEL_ID_NOT_FOUND = Word(
    "channels.comm_channel_id_not_found",
    QT_TRANSLATE_NOOP(
        "Errors", "Comm channel (id {channel_id}) not found. Refresh the list and try again"
    ),
)
CHANNEL_NAME_REQUIRED_AT_MOST = Word(
    "channels.channel_name_required_at_most",
    QT_TRANSLATE_NOOP("Errors", "The channel name is required, at most 60 characters. Fill it in"),
)
CHANNEL_NAMED_ALREADY_EXISTS_CHOOSE = Word(
    "channels.channel_named_already_exists_choose",
    QT_TRANSLATE_NOOP("Errors", "A channel named “{name}” already exists. Choose another name"),
)
POLL_INTERVAL_SECONDS_NOT_ALLOWED = Word(
    "channels.poll_interval_seconds_not_allowed",
    QT_TRANSLATE_NOOP(
        "Errors",
        "A poll interval of {seconds} seconds is not allowed. Type 10 to 86400 seconds (one day)",
    ),
)
NOT_VALID_TYPE_PORT_NUMBER = Word(
    "channels.not_valid_type_port_number",
    QT_TRANSLATE_NOOP("Errors", "{what} {port} is not valid. Type a port number from 1 to 65535"),
)
FILL_IN = Word("channels.fill_in", QT_TRANSLATE_NOOP("Errors", "Please fill in {what}"))
POLL_INTERVAL_NOT_WHOLE_NUMBER = Word(
    "channels.poll_interval_not_whole_number",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Poll interval “{value}” is not a whole number of seconds. Type e.g. 1800 (30 minutes)",
    ),
)
NOT_NUMBER_TYPE_PORT_NUMBER = Word(
    "channels.not_number_type_port_number",
    QT_TRANSLATE_NOOP(
        "Errors", "{what} “{value}” is not a number. Type a port number from 1 to 65535"
    ),
)
BAUD_RATE_NOT_VALID_CHOOSE = Word(
    "channels.baud_rate_not_valid_choose",
    QT_TRANSLATE_NOOP("Errors", "Baud rate “{value}” is not valid. Choose one of: {choices}"),
)
PARITY_MUST_N_NONE_E = Word(
    "channels.parity_must_n_none_e",
    QT_TRANSLATE_NOOP(
        "Errors", "Parity must be N (none), E (even) or O (odd). Choose one of these"
    ),
)
STOP_BITS_MUST_OR_CHOOSE = Word(
    "channels.stop_bits_must_or_choose",
    QT_TRANSLATE_NOOP("Errors", "Stop bits must be 1 or 2. Choose one of these"),
)
MUST_DIGITS_F_TYPE_AS = Word(
    "channels.must_digits_f_type_as",
    QT_TRANSLATE_NOOP(
        "Errors",
        "The {what} must be {digits} digits (0-9, A-F). Type it as the meter maker gives it",
    ),
)
LISTEN_ADDRESS_NOT_IP_ADDRESS = Word(
    "channels.listen_address_not_ip_address",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Listen address “{text}” is not an IP address of this PC. Leave it empty for every "
        "address (0.0.0.0)",
    ),
)
SOURCE_NETWORK_NOT_VALID_WRITE = Word(
    "channels.source_network_not_valid_write",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Source network “{exc}” is not valid. Write it like 10.8.0.0/16 or 203.0.113.7, several "
        "separated by commas; leave it empty to allow every source",
    ),
)
PLATFORM_ADDRESS_MUST_START_WITH = Word(
    "channels.platform_address_must_start_with",
    QT_TRANSLATE_NOOP(
        "Errors", "Platform address “{base_url}” must start with http:// or https://. Correct it"
    ),
)
FILL_IN_APP_SECRET = Word(
    "channels.fill_in_app_secret", QT_TRANSLATE_NOOP("Errors", "Please fill in the App Secret")
)
DTU_PACKET_FORMAT_NOT_VALID = Word(
    "channels.dtu_packet_format_not_valid",
    QT_TRANSLATE_NOOP(
        "Errors",
        "DTU {what} “{value}” is not valid. Write it like ascii:REG:{{id}} or hex:FE, where "
        "{{id}} stands for the DTU number",
    ),
)

# what the admin fills in (context "Channels")
GATEWAY_PORT = Word("channels.gateway_port", QT_TRANSLATE_NOOP("Channels", "Gateway port"))
LISTEN_PORT = Word("channels.listen_port", QT_TRANSLATE_NOOP("Channels", "Listen port"))
PUSH_PORT = Word("channels.push_port", QT_TRANSLATE_NOOP("Channels", "Push receive port"))
SERIAL_PORT = Word(
    "channels.serial_port", QT_TRANSLATE_NOOP("Channels", "the serial port (e.g. COM3)")
)
GATEWAY_ADDRESS = Word(
    "channels.gateway_address",
    QT_TRANSLATE_NOOP("Channels", "the gateway address (IP or host name)"),
)
PLATFORM_ADDRESS = Word(
    "channels.platform_address",
    QT_TRANSLATE_NOOP("Channels", "the platform address (e.g. https://ag-api.ctwing.cn)"),
)
APP_KEY = Word("channels.app_key", QT_TRANSLATE_NOOP("Channels", "the App Key"))
REGISTER_FORMAT = Word(
    "channels.register_format", QT_TRANSLATE_NOOP("Channels", "register packet format")
)
HEARTBEAT_FORMAT = Word(
    "channels.heartbeat_format", QT_TRANSLATE_NOOP("Channels", "heartbeat packet format")
)


def sync_channels(
    session: Session, actor: Actor, configs: Sequence[ChannelConfig]
) -> dict[int, int]:
    """Create or update channels by name from `configs` (e.g. a simulator's manifest or a
    gateway list) and bind the meters they list: a meter is its address on its line, so an
    endpoint is the meter with that address on that channel, or else the one meter of that
    kind and address that has no line yet.

    Returns {config id: channel id}. Permission: admin. Transaction: the caller's.
    Audit: channel.sync with the counts."""
    require(actor, May.SET_UP_COMM_CHANNELS)
    existing = {
        c.name: c for c in session.scalars(select(Channel).where(Channel.site_id == actor.site_id))
    }
    active = session.scalars(
        select(Meter).where(Meter.site_id == actor.site_id, Meter.is_active)
    ).all()
    on_line = {(m.channel_id, m.address): m for m in active if m.channel_id is not None}
    unbound: dict[tuple, list[Meter]] = {}
    for m in active:
        if m.channel_id is None:
            unbound.setdefault((m.kind, m.address), []).append(m)
    ids, bound = {}, 0
    for config in configs:
        channel = existing.get(config.name)
        if channel is None:
            channel = Channel(site_id=actor.site_id, name=config.name, kind=config.kind)
            session.add(channel)
        channel.kind = config.kind
        # what the office typed and the list does not carry (secrets, the CTWing push token that
        # the platform's subscription holds) stays: a re-import must not break the line
        channel.settings = {**(channel.settings or {}), **config.settings}
        channel.poll_interval_s = config.poll_interval_s
        channel.timeout_s = config.timeout_s
        channel.retries = config.retries
        channel.offline_after_failures = config.offline_after_failures
        session.flush()
        ids[config.id] = channel.id
        for endpoint in config.meters:
            meter = on_line.get((channel.id, endpoint.address))
            if meter is None and len(unbound.get((endpoint.kind, endpoint.address), ())) == 1:
                meter = unbound.pop((endpoint.kind, endpoint.address))[0]
            if meter is not None:
                meter.channel_id = channel.id
                meter.protocol = endpoint.protocol
                meter.profile = endpoint.profile
                bound += 1
    session.flush()
    audit(session, actor, "channel.sync", "channel", None, channels=len(ids), meters_bound=bound)
    return ids


@dataclass(frozen=True, slots=True)
class ManifestImport:
    """What `import_channels` did: channels made or updated, meters of the list on their
    line, meters added, and the list's meters that are not in the database (not added)."""

    channels: int
    on_line: int
    created: int
    missing: tuple[str, ...]


def import_channels(
    session: Session, actor: Actor, configs: Sequence[ChannelConfig], *, create_meters: bool = False
) -> ManifestImport:
    """A channel list such as a simulator's manifest (`python -m app sim --manifest F`) as
    the site's channels: created or updated by name and their meters bound (sync_channels);
    with `create_meters`, a listed meter the database does not have is added as a meter of
    no stall on its line, so a rehearsal market can be read before its stalls are set up.
    Permission: admin. Transaction: the caller's. Audit: channel.sync, meter.create each,
    channel.import with the counts."""
    from app.services.market.meters import create_meter

    require(actor, May.IMPORT_COMM_CHANNELS)
    ids = sync_channels(session, actor, configs)
    placed = set(
        session.execute(
            select(Meter.channel_id, Meter.address).where(
                Meter.site_id == actor.site_id, Meter.is_active, Meter.channel_id.in_(ids.values())
            )
        ).tuples()
    )
    on_line = created = 0
    missing = []
    for config in configs:
        for endpoint in config.meters:
            if (ids[config.id], endpoint.address) in placed:
                on_line += 1
            elif create_meters:
                create_meter(
                    session,
                    actor,
                    None,
                    endpoint.kind,
                    endpoint.address,
                    channel_id=ids[config.id],
                    protocol=endpoint.protocol,
                    profile=endpoint.profile,
                )
                created += 1
                on_line += 1
            else:
                missing.append(f"{config.name} {endpoint.address}")
    audit(
        session,
        actor,
        "channel.import",
        "channel",
        None,
        channels=len(ids),
        on_line=on_line,
        created=created,
        missing=len(missing),
    )
    return ManifestImport(len(ids), on_line, created, tuple(missing))


# -- editing channels in the Settings view -------------------------------------------------------
# Which settings each kind of channel takes (app/comm/RUNTIME.md "Channel settings"); a key
# not listed here is kept as it is, so a value set on the command line is not lost.
_CTWING_SECRETS = ("app_secret", "master_key")
# DL/T 645 relay control on a line's meters (app/comm/drivers/dlt645.py): the password is a
# secret like the platform's keys; empty = the meters' factory values (000000 / 02 / 00000000)
DLT645_KEYS = {
    "dlt645_password": (
        6,
        Word(
            "channels.dlt645_password", QT_TRANSLATE_NOOP("Channels", "DL/T 645 control password")
        ),
    ),
    "dlt645_level": (
        2,
        Word("channels.dlt645_level", QT_TRANSLATE_NOOP("Channels", "DL/T 645 password level")),
    ),
    "dlt645_operator": (
        8,
        Word("channels.dlt645_operator", QT_TRANSLATE_NOOP("Channels", "DL/T 645 operator code")),
    ),
}
SECRET_KEYS = (*_CTWING_SECRETS, "dlt645_password")
ALL_ADDRESSES = "0.0.0.0"
MASK = "••••••"
PARITIES = ("N", "E", "O")
BAUDS = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)


@dataclass(frozen=True, slots=True)
class ChannelSpec:
    """What the admin types in the channel dialog. A secret left empty keeps the stored one."""

    name: str
    kind: ChannelKind
    settings: dict = field(default_factory=dict)
    poll_interval_s: int = 1800
    is_enabled: bool = True


def list_channels(session: Session, site_id: int) -> list[ChannelRow]:
    """The site's channels with meter counts; secrets are masked. Permission:
    any user; reads only."""
    return [replace(r, settings=masked(r.settings)) for r in channel_rows(session, site_id)]


def masked(settings: dict, keys: Sequence[str] = SECRET_KEYS) -> dict:
    return {k: (MASK if k in keys and v else v) for k, v in settings.items()}


# the push token is shown to the admin (to paste into the CTWing console), never logged
LOGGED_MASKED = (*SECRET_KEYS, "push_token")


def create_channel(session: Session, actor: Actor, spec: ChannelSpec) -> int:
    """Add a channel. Permission: admin. Transaction: the caller's. Audit: channel.create
    (secrets never written to the log). The running collection picks it up within half a
    minute (CommService.reload_if_changed), as it does every channel and meter edit."""
    require(actor, May.ADD_COMM_CHANNELS)
    name = _channel_name(session, actor, spec.name, None)
    channel = Channel(site_id=actor.site_id, name=name, kind=spec.kind)
    channel.settings = _checked_settings(spec.kind, spec.settings, {})
    channel.poll_interval_s = _poll_interval(spec.poll_interval_s)
    channel.is_enabled = spec.is_enabled
    session.add(channel)
    session.flush()
    audit(
        session,
        actor,
        "channel.create",
        "channel",
        channel.id,
        name=name,
        kind=str(spec.kind),
        settings=masked(channel.settings, LOGGED_MASKED),
        poll_interval_s=channel.poll_interval_s,
        is_enabled=channel.is_enabled,
    )
    return channel.id


def update_channel(session: Session, actor: Actor, channel_id: int, spec: ChannelSpec) -> int:
    """Change a channel (kind, address, line settings, poll interval, enabled). Permission:
    admin. Transaction: the caller's. Audit: channel.update with before and after (masked)."""
    require(actor, May.EDIT_COMM_CHANNELS)
    channel = _own_channel(session, actor, channel_id)
    before = {
        "name": channel.name,
        "kind": str(channel.kind),
        "settings": masked(dict(channel.settings or {}), LOGGED_MASKED),
        "poll_interval_s": channel.poll_interval_s,
        "is_enabled": channel.is_enabled,
    }
    channel.name = _channel_name(session, actor, spec.name, channel.id)
    channel.settings = _checked_settings(spec.kind, spec.settings, dict(channel.settings or {}))
    channel.kind = spec.kind
    channel.poll_interval_s = _poll_interval(spec.poll_interval_s)
    channel.is_enabled = spec.is_enabled
    session.flush()
    after = {
        "name": channel.name,
        "kind": str(channel.kind),
        "settings": masked(channel.settings, LOGGED_MASKED),
        "poll_interval_s": channel.poll_interval_s,
        "is_enabled": channel.is_enabled,
    }
    audit(session, actor, "channel.update", "channel", channel.id, before=before, after=after)
    return channel.id


def set_channel_enabled(session: Session, actor: Actor, channel_id: int, enabled: bool) -> None:
    """Disable / enable a channel: a disabled channel is not polled, its meters stay bound.
    Permission: admin. Audit: channel.enable / channel.disable."""
    require(actor, May.DISABLE_OR_ENABLE_COMM_CHANNELS)
    channel = _own_channel(session, actor, channel_id)
    channel.is_enabled = enabled
    session.flush()
    audit(
        session,
        actor,
        "channel.enable" if enabled else "channel.disable",
        "channel",
        channel.id,
        name=channel.name,
    )


def delete_channel(session: Session, actor: Actor, channel_id: int) -> None:
    """Delete a channel that no meter uses. Permission: admin. Audit: channel.delete."""
    require(actor, May.DELETE_COMM_CHANNELS)
    channel = _own_channel(session, actor, channel_id)
    bound = (
        session.scalar(
            select(func.count()).select_from(Meter).where(Meter.channel_id == channel.id)
        )
        or 0
    )
    if bound:
        raise Conflict(CHANNEL_STILL_METERS_CANNOT_DELETED, channel_name=channel.name, bound=bound)
    audit(
        session,
        actor,
        "channel.delete",
        "channel",
        channel.id,
        name=channel.name,
        kind=str(channel.kind),
    )
    session.delete(channel)
    session.flush()


def _own_channel(session: Session, actor: Actor, channel_id: int) -> Channel:
    channel = session.get(Channel, channel_id)
    if channel is None or channel.site_id != actor.site_id:
        raise NotFound(COMM_CHANNEL_ID_NOT_FOUND, channel_id=channel_id)
    return channel


def _channel_name(session: Session, actor: Actor, name: str, own_id: int | None) -> str:
    name = (name or "").strip()
    if not name or len(name) > 60:
        raise ServiceError(CHANNEL_NAME_REQUIRED_AT_MOST, code="invalid")
    other = session.scalar(
        select(Channel.id).where(Channel.site_id == actor.site_id, Channel.name == name)
    )
    if other is not None and other != own_id:
        raise Conflict(CHANNEL_NAMED_ALREADY_EXISTS_CHOOSE, name=name)
    return name


def _poll_interval(value) -> int:
    try:
        seconds = int(value)
    except (TypeError, ValueError):
        raise ServiceError(POLL_INTERVAL_NOT_WHOLE_NUMBER, code="invalid", value=value) from None
    if not 10 <= seconds <= 86400:
        raise ServiceError(POLL_INTERVAL_SECONDS_NOT_ALLOWED, code="invalid", seconds=seconds)
    return seconds


def _port(value, what: Word) -> int:
    try:
        port = int(str(value).strip())
    except ValueError:
        raise ServiceError(
            NOT_NUMBER_TYPE_PORT_NUMBER, code="invalid", what=what, value=value
        ) from None
    if not 1 <= port <= 65535:
        raise ServiceError(NOT_VALID_TYPE_PORT_NUMBER, code="invalid", what=what, port=port)
    return port


def _text(settings: dict, key: str, what: Word) -> str:
    value = str(settings.get(key) or "").strip()
    if not value:
        raise ServiceError(FILL_IN, code="required", what=what)
    return value


def _checked_settings(kind: ChannelKind, typed: dict, stored: dict) -> dict:
    """The settings of `kind` from what was typed, checked; keys of other kinds are dropped,
    unknown keys kept from `stored`; an empty secret keeps the stored one."""
    typed = {k: v for k, v in typed.items() if v is not None}
    known = {k for keys in _KIND_KEYS.values() for k in keys}
    out = {k: v for k, v in stored.items() if k not in known}
    if kind is ChannelKind.SERIAL:
        # "com3", "COM 10", "\\.\COM10" are kept as Windows spells them: COM3, COM10
        out["port"] = port_name(_text(typed, "port", SERIAL_PORT))
        try:
            baud = int(str(typed.get("baud", 9600)).strip())
        except ValueError:
            baud = 0
        if baud not in BAUDS:
            raise ServiceError(
                BAUD_RATE_NOT_VALID_CHOOSE,
                code="invalid",
                value=typed.get("baud"),
                choices=listed(BAUDS),
            )
        parity = str(typed.get("parity", "N")).strip().upper()
        if parity not in PARITIES:
            raise ServiceError(PARITY_MUST_N_NONE_E, code="invalid")
        stopbits = str(typed.get("stopbits", 1)).strip()
        if stopbits not in ("1", "2"):
            raise ServiceError(STOP_BITS_MUST_OR_CHOOSE, code="invalid")
        out.update(baud=baud, parity=parity, stopbits=int(stopbits))
    elif kind in (ChannelKind.SERIAL_SERVER, ChannelKind.MODBUS_TCP):
        out["host"] = _text(typed, "host", GATEWAY_ADDRESS)
        out["port"] = _port(typed.get("port", ""), GATEWAY_PORT)
    if kind in (ChannelKind.ACREL_4G, ChannelKind.DTU, ChannelKind.CTWING):
        out["allowed_sources"] = _networks(typed.get("allowed_sources"))
    if kind in (ChannelKind.ACREL_4G, ChannelKind.DTU):
        out["listen_host"] = _listen_host(typed.get("listen_host"))
        out["listen_port"] = _port(typed.get("listen_port", ""), LISTEN_PORT)
        if kind is ChannelKind.DTU:
            for key in ("register", "heartbeat"):
                if str(typed.get(key) or "").strip():
                    out[key] = str(typed[key]).strip()
            for key, what in (("register", REGISTER_FORMAT), ("heartbeat", HEARTBEAT_FORMAT)):
                try:
                    DtuFormat.from_settings({key: out.get(key)})
                except ProtocolError:
                    raise ServiceError(
                        DTU_PACKET_FORMAT_NOT_VALID, code="invalid", what=what, value=out[key]
                    ) from None
    elif kind is ChannelKind.CTWING:
        out["base_url"] = _text(typed, "base_url", PLATFORM_ADDRESS)
        if not out["base_url"].startswith(("http://", "https://")):
            raise ServiceError(
                PLATFORM_ADDRESS_MUST_START_WITH, code="invalid", base_url=out["base_url"]
            )
        out["app_key"] = _text(typed, "app_key", APP_KEY)
        for key in ("product_id", "push_port"):
            if str(typed.get(key) or "").strip():
                out[key] = typed[key] if key != "push_port" else _port(typed[key], PUSH_PORT)
        for key in _CTWING_SECRETS:
            new = str(typed.get(key) or "").strip()
            if new and new != MASK:
                out[key] = new
            elif stored.get(key):
                out[key] = stored[key]
        if not out.get("app_secret"):
            raise ServiceError(FILL_IN_APP_SECRET, code="required")
        # CTWing does not sign its pushes: a secret in the subscription address tells them
        # from anyone else's; made once, kept (the console holds the address with it)
        out["push_token"] = stored.get("push_token") or secrets.token_urlsafe(18)
    if kind in _DLT645_LINES:
        out.update(_dlt645_settings(typed, stored))
    return out


_DLT645_LINES = (ChannelKind.SERIAL, ChannelKind.SERIAL_SERVER, ChannelKind.DTU)


def _dlt645_settings(typed: dict, stored: dict) -> dict:
    """The DL/T 645 control settings typed (hex digits, checked); an empty or masked
    password keeps the stored one."""
    out = {}
    for key, (digits, what) in DLT645_KEYS.items():
        value = str(typed.get(key) or "").strip().upper()
        if key == "dlt645_password" and value in ("", MASK):
            if stored.get(key):
                out[key] = stored[key]
            continue
        if not value:
            continue
        if len(value) != digits or any(c not in "0123456789ABCDEF" for c in value):
            raise ServiceError(MUST_DIGITS_F_TYPE_AS, code="invalid", what=what, digits=digits)
        out[key] = value
    return out


def _listen_host(value) -> str:
    """The address the listener binds to: empty is every address of this PC (0.0.0.0)."""
    text = str(value or "").strip() or ALL_ADDRESSES
    try:
        ipaddress.ip_address(text)
    except ValueError:
        raise ServiceError(LISTEN_ADDRESS_NOT_IP_ADDRESS, code="invalid", text=text) from None
    return text


def _networks(value) -> list[str]:
    """Allowed source networks, e.g. "10.8.0.0/16, 203.0.113.7"; empty allows every source."""
    try:
        return [str(n) for n in parse_networks(value or "")]
    except ValueError as exc:
        raise ServiceError(SOURCE_NETWORK_NOT_VALID_WRITE, code="invalid", exc=exc) from None


_KIND_KEYS = {
    ChannelKind.SERIAL: ("port", "baud", "parity", "stopbits", *DLT645_KEYS),
    ChannelKind.SERIAL_SERVER: ("host", "port", *DLT645_KEYS),
    ChannelKind.MODBUS_TCP: ("host", "port"),
    ChannelKind.ACREL_4G: ("listen_host", "listen_port", "allowed_sources"),
    ChannelKind.DTU: (
        "listen_host",
        "listen_port",
        "register",
        "heartbeat",
        "allowed_sources",
        *DLT645_KEYS,
    ),
    ChannelKind.CTWING: (
        "base_url",
        "app_key",
        "product_id",
        "push_port",
        "allowed_sources",
        "push_token",
        *_CTWING_SECRETS,
    ),
}


@dataclass(frozen=True, slots=True)
class ChannelRow:
    id: int
    name: str
    kind: str
    settings: dict
    poll_interval_s: int
    is_enabled: bool
    is_connected: bool
    status_detail: str
    meters: int
    meters_online: int


def channel_rows(session: Session, site_id: int) -> list[ChannelRow]:
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for channel_id, status, n in session.execute(
        select(Meter.channel_id, Meter.comm_status, func.count())
        .where(Meter.site_id == site_id, Meter.is_active.is_(True))
        .group_by(Meter.channel_id, Meter.comm_status)
    ):
        counts[channel_id][0] += n
        if status == CommStatus.ONLINE:
            counts[channel_id][1] += n
    return [
        ChannelRow(
            c.id,
            c.name,
            str(c.kind),
            dict(c.settings or {}),
            c.poll_interval_s,
            c.is_enabled,
            c.is_connected,
            c.status_detail,
            counts[c.id][0],
            counts[c.id][1],
        )
        for c in session.scalars(
            select(Channel).where(Channel.site_id == site_id).order_by(Channel.name)
        )
    ]


METER_ADDRESS = Word("channels.meter_address", QT_TRANSLATE_NOOP("Channels", "the meter address"))


def line_test_config(
    session: Session,
    actor: Actor,
    channel_id: int,
    address: str,
    protocol: Protocol | str = Protocol.MODBUS_ACREL,
    kind: MeterKind | str = MeterKind.ELECTRIC,
) -> ChannelConfig:
    """What the poller needs to read one meter address on a channel now (the line's Test
    button): the channel as stored, with this one meter; a meter already bound there at that
    address is read as it is known (kind, protocol, profile). Permission: who may read
    meters now. Reads only."""
    require(actor, May.READ_METERS_NOW)
    channel = _own_channel(session, actor, channel_id)
    address = _text({"address": address}, "address", METER_ADDRESS)
    meter = session.scalar(
        select(Meter).where(Meter.channel_id == channel.id, Meter.address == address).limit(1)
    )
    endpoint = (
        MeterEndpoint(channel.id, address, meter.kind, meter.protocol, meter.profile)
        if meter is not None
        else MeterEndpoint(channel.id, address, MeterKind(kind), Protocol(protocol))
    )
    return ChannelConfig(
        id=channel.id,
        name=channel.name,
        kind=channel.kind,
        settings=dict(channel.settings or {}),
        poll_interval_s=0,
        timeout_s=channel.timeout_s,
        retries=channel.retries,
        offline_after_failures=1,
        meters=(endpoint,),
    )
