"""One meter at a time: add it to a stall, change it, replace it or take it out.

The Excel import (app/services/imports.py) brings meters in by the hundred; these are the
admin's corrections of one. The rules are the import's: a meter is its address on its line
(channel + address) among the active meters, its protocol follows its register-map profile or,
without one, its channel, and its tariff (electricity / water) is of its kind. The comm service
picks
up a new channel or address by itself (it reloads the channel configs every half minute).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from sqlalchemy import delete, exists, or_, select, update
from sqlalchemy.orm import Session

from app.comm.labels import METER_NAME
from app.comm.profiles import load_profile_data, profile_names
from app.comm.types import ChannelKind, MeterKind, Protocol
from app.models.account import Account
from app.models.base import utcnow
from app.models.billing import BillLine
from app.models.meter import (
    OPEN_COMMAND,
    Channel,
    CommandStatus,
    Meter,
    MeterCommand,
    MeterDay,
    MeterRealtime,
    MeterReplacement,
    ReadingAnomaly,
)
from app.models.shared_cost import SharedPool
from app.models.site import Building, Stall
from app.models.tariff import Tariff
from app.services.market import readings
from app.services.market.readings import daily_usage
from app.services.market.stalls import REGISTER_SCALE
from app.services.platform.audit import audit
from app.services.platform.context import Actor, Conflict, May, NotFound, ServiceError, require
from app.words import QT_TRANSLATE_NOOP, Said, Word, stored_text

THERE_ALREADY_METER_WITH_ADDRESS = Word(
    "meters.there_already_meter_with_address",
    QT_TRANSLATE_NOOP(
        "Errors",
        "There is already a meter with address {address} {where}{owner}. Addresses cannot repeat "
        "on one channel: check the address or the channel",
    ),
)
ON_CHANNEL = Word("meters.on_channel", QT_TRANSLATE_NOOP("Errors", "on channel “{channel}”"))
WITHOUT_CHANNEL = Word(
    "meters.without_channel", QT_TRANSLATE_NOOP("Errors", "among the meters without a channel")
)
OF_STALL = Word("meters.of_stall", QT_TRANSLATE_NOOP("Errors", " (stall {code})"))
STALL_NOT_IN_LIST = Word(
    "meters.stall_not_in_list",
    QT_TRANSLATE_NOOP("Errors", "Stall “{p_code}” does not exist. Choose the stall from the list"),
)
METER_ID_NOT_FOUND_REFRESH = Word(
    "meters.meter_id_not_found_refresh",
    QT_TRANSLATE_NOOP("Errors", "Meter (id {meter_id}) not found. Refresh the list and try again"),
)
METER_S_KIND_ELECTRICITY_WATER = Word(
    "meters.meter_s_kind_electricity_water",
    QT_TRANSLATE_NOOP(
        "Errors",
        "A meter's kind (electricity / water) cannot be changed. If it was entered wrongly, "
        "remove the meter and add it again",
    ),
)
METER_MASTER_METER_SHARED_COST = Word(
    "meters.meter_master_meter_shared_cost",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Meter {m_address} is the master meter of the shared-cost pool “{pool}”, so it cannot be "
        "removed. Give that pool another master meter under Shared costs first",
    ),
)
NB_WATER_METER_CAN_ONLY = Word(
    "meters.nb_water_meter_can_only",
    QT_TRANSLATE_NOOP(
        "Errors",
        "An NB water meter can only be on an NB platform channel, and “{channel_name}” is not "
        "one. Choose the NB platform channel, or another model",
    ),
)
METER_ADDRESS_REQUIRED_FILL_IN = Word(
    "meters.meter_address_required_fill_in",
    QT_TRANSLATE_NOOP("Errors", "The meter address is required. Fill it in"),
)
METER_ADDRESS_NOT_VALID_AT = Word(
    "meters.meter_address_not_valid_at",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Meter address “{address}” is not valid: at most 40 characters, no spaces. Check it",
    ),
)
MODEL_MAY_HAVE_AT_MOST = Word(
    "meters.model_may_have_at_most",
    QT_TRANSLATE_NOOP("Errors", "The model may have at most 40 characters. Shorten it"),
)
CT_RATIO_NOT_VALID_TYPE = Word(
    "meters.ct_ratio_not_valid_type",
    QT_TRANSLATE_NOOP(
        "Errors",
        "CT ratio “{value}” is not valid. Type a whole number of 1 or more, such as 1, 5 or 20",
    ),
)
NOT_VALID_TYPE_READING_ZERO = Word(
    "meters.not_valid_type_reading_zero",
    QT_TRANSLATE_NOOP(
        "Errors",
        "{what} “{reading}” is not valid. Type the {unit} reading: zero or more, at most {places} "
        "decimals",
    ),
)
ID_NOT_FOUND_REFRESH_TRY = Word(
    "meters.id_not_found_refresh_try",
    QT_TRANSLATE_NOOP("Errors", "{what} (id {obj_id}) not found. Refresh and try again"),
)
METER_ALREADY_OUT_USE_OR = Word(
    "meters.meter_already_out_use_or",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Meter {m_address} is already out of use or replaced and cannot be changed. Refresh the "
        "list",
    ),
)
METER_NO_NEW_IDENTITY_ACCEPT = Word(
    "meters.meter_no_new_identity_accept",
    QT_TRANSLATE_NOOP(
        "Errors", "Meter {m_address} has no new identity to accept. To bind it again, choose Clear"
    ),
)
THERE_NO_METER_PROFILE_NAMED = Word(
    "meters.there_no_meter_profile_named",
    QT_TRANSLATE_NOOP(
        "Errors", "There is no meter profile named “{profile}”. Choose the model from the list"
    ),
)
PROFILE_FOR_METERS_BUT_METER = Word(
    "meters.profile_for_meters_but_meter",
    QT_TRANSLATE_NOOP(
        "Errors",
        "The profile “{profile}” is for {profile_kind} meters, but this is a {kind} meter. Choose "
        "a model for {kind} meters",
    ),
)
CHANNEL_NB_PLATFORM_TAKES_ONLY = Word(
    "meters.channel_nb_platform_takes_only",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Channel “{channel_name}” is the NB platform and takes only NB water meters. Choose an NB "
        "water meter model, or another channel",
    ),
)
METER_KIND_NOT_VALID_CHOOSE = Word(
    "meters.meter_kind_not_valid_choose",
    QT_TRANSLATE_NOOP("Errors", "Meter kind “{kind}” is not valid. Choose electricity or water"),
)
CHOOSE_TARIFF_STALL_S_METER = Word(
    "meters.choose_tariff_stall_s_meter",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Choose {a} {kind} tariff: a stall's meter without one is billed nothing for its usage",
    ),
)
TARIFF_OF_OTHER_KIND = Word(
    "meters.tariff_of_other_kind",
    QT_TRANSLATE_NOOP(
        "Errors",
        "“{name}” is {a_tariff} {tariff_kind} tariff; {a} {kind} meter needs {a} {kind} tariff",
    ),
)
CHOOSE_ONE = Word("meters.choose_one", QT_TRANSLATE_NOOP("Errors", "{wrong}. Choose one"))
ADD_METERS = Word("meters.add_meters", QT_TRANSLATE_NOOP("Errors", "add meters"))
EDIT_METERS = Word("meters.edit_meters", QT_TRANSLATE_NOOP("Errors", "edit meters"))
REMOVE_METERS = Word("meters.remove_meters", QT_TRANSLATE_NOOP("Errors", "remove meters"))
REPLACE_METERS = Word("meters.replace_meters", QT_TRANSLATE_NOOP("Errors", "replace meters"))
OLD_FINAL_READING = Word(
    "meters.old_final_reading", QT_TRANSLATE_NOOP("Errors", "The old meter's final reading")
)
NEW_FIRST_READING = Word(
    "meters.new_first_reading", QT_TRANSLATE_NOOP("Errors", "The new meter's first reading")
)
METER = Word("meters.meter", QT_TRANSLATE_NOOP("Records", "Meter"))
STALL = Word("meters.stall", QT_TRANSLATE_NOOP("Records", "Stall"))
CHANNEL = Word("meters.channel", QT_TRANSLATE_NOOP("Records", "Channel"))
# why an open command was cancelled: stored with the command (MeterCommand.result, stored_text)
METER_OUT_OF_USE = Word(
    "meters.meter_out_of_use", QT_TRANSLATE_NOOP("Commands", "Meter taken out of use")
)


def chosen_stall_id(stall_by_code: Mapping[str, int], code: str) -> int | None:
    """The stall a meter is put on, typed or picked by its code among the market's stalls
    (`stall_by_code`, as the meter dialog lists them); None when the field is empty."""
    code = code.strip()
    if not code:
        return None
    if code not in stall_by_code:
        raise ServiceError(STALL_NOT_IN_LIST, code="not_found", p_code=code)
    return stall_by_code[code]


KIND_TEXT_EN = {  # the kind as an English adjective ("an electricity meter")
    MeterKind.ELECTRIC: Word(
        "meters.kind_electricity", QT_TRANSLATE_NOOP("Records", "electricity")
    ),
    MeterKind.WATER: Word("meters.kind_water", QT_TRANSLATE_NOOP("Records", "water")),
}
TARIFF_TEXT = {
    MeterKind.ELECTRIC: Word(
        "meters.tariff_electric", QT_TRANSLATE_NOOP("Records", "electricity tariff")
    ),
    MeterKind.WATER: Word("meters.tariff_water", QT_TRANSLATE_NOOP("Records", "water tariff")),
}
_A = {MeterKind.ELECTRIC: "an", MeterKind.WATER: "a"}  # the English article before KIND_TEXT_EN
EDITABLE = frozenset(
    {"channel_id", "address", "model", "profile", "protocol", "tariff_id", "ct_ratio"}
)


# ---------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class MeterDetail:
    """One meter as its edit dialog shows it. `last_reading` in kWh / m³ (before the CT
    ratio); `has_history`: it has readings or bills, so removing it takes it out of use
    instead of deleting it."""

    id: int
    stall_id: int | None
    stall_code: str
    kind: MeterKind
    model: str
    protocol: Protocol
    profile: str
    channel_id: int | None
    channel: str
    address: str
    tariff_id: int | None
    ct_ratio: int
    is_active: bool
    last_reading: Decimal | None
    has_history: bool


@dataclass(frozen=True, slots=True)
class MeterRemoval:
    meter_id: int
    stall_code: str
    address: str
    deleted: bool  # True: deleted (no readings, no bills); False: taken out of use


@dataclass(frozen=True, slots=True)
class ProfileChoice:
    """A way to talk to a meter: a shipped register-map profile, or a protocol without one."""

    protocol: Protocol
    profile: str  # '' for a protocol without profiles (DL/T 645)
    kind: MeterKind | None  # the kind of meter the profile reads; None: either
    model: str  # the model the profile is for, to fill in when picked ('' unknown)
    description: str


@dataclass(frozen=True, slots=True)
class Choice:
    id: int
    name: str
    kind: str  # channel: ChannelKind; tariff: MeterKind


@dataclass(frozen=True, slots=True)
class StallChoice:
    id: int
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class MeterFormChoices:
    """What the meter dialog offers: the site's stalls, channels and tariffs, the profiles."""

    stalls: tuple[StallChoice, ...]
    channels: tuple[Choice, ...]
    tariffs: tuple[Choice, ...]
    profiles: tuple[ProfileChoice, ...]


# ---------------------------------------------------------------- read side


def profile_choices() -> tuple[ProfileChoice, ...]:
    """The shipped profiles (resources/profiles/) by protocol, then the DL/T 645 protocols,
    which read standard data identifiers and need no profile."""
    out = []
    for protocol in Protocol:
        names = profile_names(protocol=protocol)
        for name in names:
            data = load_profile_data(name)["profile"]
            kind = data.get("kind")
            out.append(
                ProfileChoice(
                    protocol,
                    name,
                    MeterKind(kind) if kind else None,
                    data.get("model") or _model_of(name),
                    data.get("description", name),
                )
            )
        if not names and protocol in (Protocol.DLT645_2007, Protocol.DLT645_1997):
            out.append(ProfileChoice(protocol, "", MeterKind.ELECTRIC, "", ""))
    return tuple(out)


def meter_form_choices(session: Session, site_id: int) -> MeterFormChoices:
    """Permission: any user; reads only."""
    stalls = session.execute(
        select(Stall.id, Stall.code, Stall.name)
        .where(Stall.site_id == site_id)
        .order_by(Stall.code)
    ).all()
    channels = session.execute(
        select(Channel.id, Channel.name, Channel.kind)
        .where(Channel.site_id == site_id)
        .order_by(Channel.name)
    ).all()
    tariffs = session.execute(
        select(Tariff.id, Tariff.name, Tariff.kind)
        .where(Tariff.site_id == site_id)
        .order_by(Tariff.kind, Tariff.name)
    ).all()
    return MeterFormChoices(
        tuple(StallChoice(i, code, name) for i, code, name in stalls),
        tuple(Choice(i, name, str(kind)) for i, name, kind in channels),
        tuple(Choice(i, name, str(kind)) for i, name, kind in tariffs),
        profile_choices(),
    )


def meter_detail(session: Session, site_id: int, meter_id: int) -> MeterDetail:
    """Permission: any user; reads only."""
    m = session.get(Meter, meter_id)
    if m is None or m.site_id != site_id:
        raise NotFound(METER_ID_NOT_FOUND_REFRESH, meter_id=meter_id)
    return _detail(session, m)


# ---------------------------------------------------------------- write side


def create_meter(
    session: Session,
    actor: Actor,
    stall_id: int | None,
    kind: MeterKind | str,
    address: str,
    *,
    channel_id: int | None,
    model: str = "",
    profile: str = "",
    protocol: Protocol | str | None = None,
    tariff_id: int | None = None,
    ct_ratio: int | str = 1,
) -> MeterDetail:
    """Add one meter to a stall (stall_id None: a meter of no stall, such as a master meter).
    The protocol follows the profile, else `protocol`, else the channel (CTWing on the NB
    platform, Modbus otherwise), as the import decides. Permission: admin.
    Transaction: the caller's. Audit: 'meter.create'."""
    require(actor, May.ADD_METERS)
    kind = _kind(kind)
    if stall_id is not None:
        _own(session, actor, Stall, stall_id, STALL)
    channel = _channel(session, actor, channel_id)
    address = _address(address)
    protocol, profile = _protocol(kind, channel, protocol, profile)
    _tariff(session, actor, tariff_id, kind, stall_id)
    _no_clash(session, actor, channel, address, None)
    m = Meter(
        site_id=actor.site_id,
        stall_id=stall_id,
        kind=kind,
        model=_model(model),
        protocol=protocol,
        profile=profile,
        channel_id=channel.id if channel else None,
        address=address,
        ct_ratio=_ct_ratio(ct_ratio),
        tariff_id=tariff_id,
    )
    session.add(m)
    session.flush()
    audit(
        session,
        actor,
        "meter.create",
        "meter",
        m.id,
        stall_id=stall_id,
        kind=kind.value,
        address=address,
        channel_id=m.channel_id,
        model=m.model,
        protocol=protocol.value,
        profile=profile,
        tariff_id=tariff_id,
        ct_ratio=m.ct_ratio,
    )
    return _detail(session, m)


def update_meter(session: Session, actor: Actor, meter_id: int, **changes) -> MeterDetail:
    """Change an active meter's channel_id, address, model, profile (its protocol follows),
    protocol, tariff_id or ct_ratio. Its kind never changes: a meter entered as the wrong
    kind is removed and added again. Permission: admin. Transaction: the caller's.
    Audit: 'meter.update' with the old and new values."""
    require(actor, May.EDIT_METERS)
    if "kind" in changes:
        raise ServiceError(METER_S_KIND_ELECTRICITY_WATER, code="kind_fixed")
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)}")
    m = _active(session, actor, meter_id)
    channel = (
        _channel(session, actor, changes["channel_id"])
        if "channel_id" in changes
        else (session.get(Channel, m.channel_id) if m.channel_id is not None else None)
    )
    address = _address(changes["address"]) if "address" in changes else m.address
    new = {}
    if "channel_id" in changes:
        new["channel_id"] = channel.id if channel else None
    if "address" in changes:
        new["address"] = address
    if "model" in changes:
        new["model"] = _model(changes["model"])
    if "profile" in changes or "protocol" in changes:
        new["protocol"], new["profile"] = _protocol(
            m.kind, channel, changes.get("protocol"), changes.get("profile", "")
        )
    elif "channel_id" in changes:
        _suits_line(channel, m.protocol)  # the meter keeps its protocol on its new line
    if "tariff_id" in changes:
        _tariff(session, actor, changes["tariff_id"], m.kind, m.stall_id)
        new["tariff_id"] = changes["tariff_id"]
    if "ct_ratio" in changes:
        new["ct_ratio"] = _ct_ratio(changes["ct_ratio"])
    new = {k: v for k, v in new.items() if getattr(m, k) != v}
    if not new:
        return _detail(session, m)
    if "channel_id" in new or "address" in new:
        _no_clash(session, actor, channel, address, m.id)
    before = {k: getattr(m, k) for k in new}
    for k, v in new.items():
        setattr(m, k, v)
    if "channel_id" in new or "address" in new:
        # another serial on the line is another device: its first registration binds it
        m.dialin_identity, m.identity_offered, m.identity_conflict = "", "", False
    session.flush()
    audit(
        session,
        actor,
        "meter.update",
        "meter",
        m.id,
        address=m.address,
        before={k: _plain(v) for k, v in before.items()},
        after={k: _plain(v) for k, v in new.items()},
    )
    return _detail(session, m)


def remove_meter(session: Session, actor: Actor, meter_id: int) -> MeterRemoval:
    """Take a meter away. One entered by mistake (no readings, no bills) is deleted; one
    with readings or bills is taken out of use (deactivated) as a replaced meter is: it leaves its
    line (its address is free again), its open commands are cancelled, and its usage read
    but not yet settled is still billed by the next settlement. Permission: admin.
    Transaction: the caller's. Audit: 'meter.delete' or 'meter.deactivate'."""
    require(actor, May.REMOVE_METERS)
    m = _active(session, actor, meter_id)
    code = session.scalar(select(Stall.code).where(Stall.id == m.stall_id)) if m.stall_id else ""
    pool = session.scalar(
        select(SharedPool.name).where(SharedPool.master_meter_id == m.id).limit(1)
    )
    if pool is not None:
        raise Conflict(METER_MASTER_METER_SHARED_COST, m_address=m.address, pool=pool)
    detail = dict(
        stall_code=code or "", kind=m.kind.value, address=m.address, channel_id=m.channel_id
    )
    if _has_history(session, m):
        m.is_active = False
        session.execute(
            update(MeterCommand)
            .where(MeterCommand.meter_id == m.id, MeterCommand.status.in_(OPEN_COMMAND))
            .values(status=CommandStatus.CANCELLED, result=stored_text(METER_OUT_OF_USE))
            .execution_options(synchronize_session=False)
        )
        session.flush()
        audit(session, actor, "meter.deactivate", "meter", m.id, **detail)
        return MeterRemoval(m.id, code or "", m.address, False)
    audit(session, actor, "meter.delete", "meter", m.id, **detail)
    for table in (MeterCommand, MeterRealtime, ReadingAnomaly):
        session.execute(
            delete(table).where(table.meter_id == m.id).execution_options(synchronize_session=False)
        )
    session.delete(m)
    session.flush()
    return MeterRemoval(meter_id, code or "", m.address, True)


IDENTITY_DECISIONS = ("accept", "clear")


def resolve_identity(session: Session, actor: Actor, meter_id: int, decision: str) -> MeterDetail:
    """An admin decides a dial-in meter's identity conflict: "accept" binds the
    identity that was offered (the meter's SIM was really changed); "clear" forgets the
    binding, so the meter's next registration binds it again (after the rogue device is
    found and switched off). Either way the mark goes. Permission: admin. Transaction: the
    caller's. Audit: meter.identity_accept / meter.identity_clear with before and after."""
    require(actor, May.DECIDE_IDENTITY_CONFLICTS)
    if decision not in IDENTITY_DECISIONS:
        raise ValueError(f"decision must be one of {IDENTITY_DECISIONS}")
    m = _active(session, actor, meter_id)
    before = m.dialin_identity
    if decision == "accept":
        if not m.identity_offered:
            raise Conflict(METER_NO_NEW_IDENTITY_ACCEPT, m_address=m.address)
        m.dialin_identity = m.identity_offered
    else:
        m.dialin_identity = ""
    m.identity_offered, m.identity_conflict = "", False
    session.flush()
    audit(
        session,
        actor,
        f"meter.identity_{decision}",
        "meter",
        m.id,
        address=m.address,
        before=before,
        after=m.dialin_identity,
    )
    return _detail(session, m)


def replace_meter(
    session: Session,
    actor: Actor,
    meter_id: int,
    new_address: str,
    old_final_reading: Decimal | str,
    new_first_reading: Decimal | str,
    *,
    new_model: str | None = None,
    new_channel_id: int | None = None,
    new_profile: str | None = None,
    new_protocol: Protocol | None = None,
) -> MeterDetail:
    """A meter replacement as the clerk types it: readings in kWh / m³ as shown on the meters, the
    new
    meter
    optionally of another model, profile (or protocol without one) or channel. The readings service
    does the
    replacement (app/services/readings.py `replace_meter`: the old meter's usage up to its
    final reading is still billed); a new profile is then set on the new meter. Permission:
    admin. Transaction: the caller's. Audit: 'meter.replace' (and 'meter.update')."""
    require(actor, May.REPLACE_METERS)
    old = _active(session, actor, meter_id)
    channel = _channel(session, actor, new_channel_id) if new_channel_id is not None else None
    address = _address(new_address)
    final = _registers(old.kind, old_final_reading, OLD_FINAL_READING)
    first = _registers(old.kind, new_first_reading, NEW_FIRST_READING)
    if channel is not None and new_profile is None and new_protocol is None:
        _suits_line(channel, old.protocol)
    # now, unless a reading is stored later than the PC's clock (a meter read by a PC whose
    # clock ran ahead, the demo's fast clock): the replacement follows the last reading
    at = (
        utcnow()
        if old.last_read_at is None
        else max(utcnow(), old.last_read_at + timedelta(seconds=1))
    )
    info = readings.replace_meter(
        session,
        actor,
        old.id,
        address,
        final,
        first,
        at=at,
        new_model=_model(new_model) if new_model else None,
        new_channel_id=channel.id if channel else None,
    )
    if new_profile is not None or new_protocol is not None:
        return update_meter(
            session, actor, info.new_meter_id, profile=new_profile or "", protocol=new_protocol
        )
    return _detail(session, session.get(Meter, info.new_meter_id))


# ---------------------------------------------------------------- helpers


def default_protocol(channel_kind: ChannelKind | None) -> Protocol:
    """A meter's protocol when nothing says otherwise: CTWing on the NB platform, else
    Modbus (Acrel)."""
    return Protocol.CTWING_WATER if channel_kind is ChannelKind.CTWING else Protocol.MODBUS_ACREL


def _protocol(
    kind: MeterKind, channel: Channel | None, protocol: Protocol | str | None, profile: str
) -> tuple[Protocol, str]:
    profile = (profile or "").strip()
    if profile:
        choice = next((c for c in profile_choices() if c.profile == profile), None)
        if choice is None:
            raise ServiceError(
                THERE_NO_METER_PROFILE_NAMED, code="unknown_profile", profile=profile
            )
        if choice.kind is not None and choice.kind is not kind:
            raise ServiceError(
                PROFILE_FOR_METERS_BUT_METER,
                code="wrong_kind",
                profile=profile,
                p2=METER_NAME[choice.kind],
                p3=METER_NAME[kind],
                profile_kind=KIND_TEXT_EN[choice.kind],
                kind=KIND_TEXT_EN[kind],
            )
        protocol = choice.protocol
    elif protocol:
        protocol = Protocol(protocol)
    else:
        protocol = default_protocol(channel.kind if channel else None)
    _suits_line(channel, protocol)
    return protocol, profile


def _suits_line(channel: Channel | None, protocol: Protocol) -> None:
    """NB water meters are reached through the NB platform only, and nothing else is."""
    if channel is not None and (channel.kind is ChannelKind.CTWING) != (
        protocol is Protocol.CTWING_WATER
    ):
        if channel.kind is ChannelKind.CTWING:
            raise ServiceError(
                CHANNEL_NB_PLATFORM_TAKES_ONLY, code="wrong_channel", channel_name=channel.name
            )
        raise ServiceError(NB_WATER_METER_CAN_ONLY, code="wrong_channel", channel_name=channel.name)


def _kind(kind: MeterKind | str) -> MeterKind:
    try:
        return MeterKind(kind)
    except ValueError:
        raise ServiceError(METER_KIND_NOT_VALID_CHOOSE, code="invalid", kind=kind) from None


def _address(address: str) -> str:
    address = unicodedata.normalize("NFKC", address or "").strip()
    if not address:
        raise ServiceError(METER_ADDRESS_REQUIRED_FILL_IN, code="required")
    if len(address) > 40 or re.search(r"\s", address):
        raise ServiceError(METER_ADDRESS_NOT_VALID_AT, code="invalid", address=address)
    return address


def _model(model: str | None) -> str:
    model = unicodedata.normalize("NFKC", model or "").strip()
    if len(model) > 40:
        raise ServiceError(MODEL_MAY_HAVE_AT_MOST, code="invalid")
    return model


def _ct_ratio(value: int | str) -> int:
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text.isdigit() or int(text) < 1:
        raise ServiceError(CT_RATIO_NOT_VALID_TYPE, code="invalid", value=value)
    return int(text)


def _registers(kind: MeterKind, reading: Decimal | str, what: Word) -> int:
    """A reading typed in kWh / m³ as register units (0.01 kWh, litres)."""
    unit = "kWh" if kind is MeterKind.ELECTRIC else "m³"
    try:
        value = Decimal(unicodedata.normalize("NFKC", str(reading)).strip())
    except InvalidOperation:
        value = None
    scale = REGISTER_SCALE[kind]
    if value is None or not value.is_finite() or value < 0 or value % scale:
        places = -scale.as_tuple().exponent
        raise ServiceError(
            NOT_VALID_TYPE_READING_ZERO,
            code="invalid",
            what=what,
            reading=reading,
            unit=unit,
            places=places,
        )
    return int(value / scale)


def _own(session: Session, actor: Actor, model, obj_id: int, what: Word):
    obj = session.get(model, obj_id)
    if obj is None or obj.site_id != actor.site_id:
        raise NotFound(ID_NOT_FOUND_REFRESH_TRY, what=what, obj_id=obj_id)
    return obj


def _active(session: Session, actor: Actor, meter_id: int) -> Meter:
    m = _own(session, actor, Meter, meter_id, METER)
    if not m.is_active:
        raise Conflict(METER_ALREADY_OUT_USE_OR, m_address=m.address)
    return m


def _channel(session: Session, actor: Actor, channel_id: int | None) -> Channel | None:
    return None if channel_id is None else _own(session, actor, Channel, channel_id, CHANNEL)


def tariff_kind_mismatch(tariff: Tariff, kind: MeterKind) -> Said | None:
    """What is wrong when `tariff` cannot price a meter of `kind` (an electricity meter
    takes an electricity tariff, a water meter a water tariff); None when it can. The
    meter dialog and the Excel import both use this rule."""
    of = MeterKind(tariff.kind)
    if of is kind:
        return None
    return TARIFF_OF_OTHER_KIND(
        name=tariff.name,
        a_tariff=_A[of],
        tariff_kind=KIND_TEXT_EN[of],
        a=_A[kind],
        kind=KIND_TEXT_EN[kind],
        tariff_text=TARIFF_TEXT[of],
        kind_text=METER_NAME[kind],
        wanted=TARIFF_TEXT[kind],
    )


def _tariff(
    session: Session, actor: Actor, tariff_id: int | None, kind: MeterKind, stall_id: int | None
) -> None:
    """A stall's meter needs a tariff of its kind: without one its usage is billed nothing."""
    if tariff_id is None:
        if stall_id is not None:
            raise ServiceError(
                CHOOSE_TARIFF_STALL_S_METER,
                code="required",
                p1=TARIFF_TEXT[kind],
                a=_A[kind],
                kind=KIND_TEXT_EN[kind],
            )
        return
    tariff = _own(session, actor, Tariff, tariff_id, TARIFF_TEXT[kind])
    wrong = tariff_kind_mismatch(tariff, kind)
    if wrong is not None:
        raise ServiceError(CHOOSE_ONE, code="wrong_kind", wrong=wrong)


def _no_clash(
    session: Session, actor: Actor, channel: Channel | None, address: str, own_id: int | None
) -> None:
    """A meter is its address on its line: no two active meters share both."""
    line = Meter.channel_id == channel.id if channel is not None else Meter.channel_id.is_(None)
    q = select(Meter.id, Meter.stall_id).where(
        Meter.site_id == actor.site_id, Meter.is_active, line, Meter.address == address
    )
    if own_id is not None:
        q = q.where(Meter.id != own_id)
    clash = session.execute(q.limit(1)).first()
    if clash is None:
        return
    code = (
        session.scalar(select(Stall.code).where(Stall.id == clash.stall_id))
        if clash.stall_id
        else None
    )
    where = ON_CHANNEL(channel=channel.name) if channel is not None else WITHOUT_CHANNEL
    owner = OF_STALL(code=code) if code else ""
    raise Conflict(
        THERE_ALREADY_METER_WITH_ADDRESS,
        code="address_taken",
        where=where,
        address=address,
        owner=owner,
    )


def _has_history(session: Session, m: Meter) -> bool:
    if m.last_total is not None or m.settled_total is not None:
        return True
    return bool(
        session.scalar(
            select(
                or_(
                    exists().where(MeterDay.meter_id == m.id),
                    exists().where(BillLine.meter_id == m.id),
                    exists().where(
                        or_(
                            MeterReplacement.old_meter_id == m.id,
                            MeterReplacement.new_meter_id == m.id,
                        )
                    ),
                )
            )
        )
    )


def _detail(session: Session, m: Meter) -> MeterDetail:
    code = session.scalar(select(Stall.code).where(Stall.id == m.stall_id)) if m.stall_id else ""
    channel = (
        session.scalar(select(Channel.name).where(Channel.id == m.channel_id))
        if m.channel_id
        else ""
    )
    reading = None if m.last_total is None else Decimal(m.last_total) * REGISTER_SCALE[m.kind]
    return MeterDetail(
        m.id,
        m.stall_id,
        code or "",
        m.kind,
        m.model,
        m.protocol,
        m.profile,
        m.channel_id,
        channel or "",
        m.address,
        m.tariff_id,
        m.ct_ratio,
        m.is_active,
        reading,
        _has_history(session, m),
    )


def _model_of(profile: str) -> str:
    """The model a profile's name starts with: acrel_ddsy1352_mapb → DDSY1352."""
    found = re.search(r"[a-z]+\d+", profile)
    return found.group(0).upper() if found else ""


def _plain(value):
    return value.value if isinstance(value, (MeterKind, Protocol)) else value


def register_units(kind: MeterKind, value: int | None) -> Decimal | None:
    """A register value in kWh (from 0.01 kWh) or m³ (from litres)."""
    if value is None:
        return None
    return Decimal(value).scaleb(-2 if kind == MeterKind.ELECTRIC else -3)


@dataclass(frozen=True, slots=True)
class MeterRow:
    """One line of the meter-status table (one per meter)."""

    id: int
    kind: str
    address: str
    channel_id: int | None
    channel: str
    building: str
    stall_id: int | None
    stall_code: str
    stall_name: str
    comm: str  # CommStatus value
    comm_error: str
    is_account_opened: bool
    total: Decimal | None  # kWh or m³
    power_kw: float | None
    balance: Decimal | None
    supply_on: bool | None
    control_mode: str
    alarm_level: int
    last_read_at: datetime | None
    tariff: str = ""  # the tariff's name; "" when the meter has none (its usage is billed nothing)
    identity_conflict: bool = False  # another device registers as this meter
    identity: str = ""  # the dial-in identity bound (a 4G meter's SIM ICCID) …
    identity_offered: str = ""  # … and the one another registration offered
    command: str = ""  # the meter's open supply command (Action value), if any …
    command_attempts: int = 0  # … and how often it has been sent (control retries a failed one)


def meter_rows(session: Session, site_id: int) -> list[MeterRow]:
    return _meter_rows(session, Meter.site_id == site_id)


def meter_rows_for(session: Session, meter_ids: list[int]) -> list[MeterRow]:
    """Fresh rows of some meters (after a reading or a command changed them)."""
    rows: list[MeterRow] = []
    for start in range(0, len(meter_ids), 900):
        rows.extend(_meter_rows(session, Meter.id.in_(meter_ids[start : start + 900])))
    return rows


def meter_ids_at(session: Session, site_id: int, addresses: list[str]) -> list[int]:
    """The site's meters with these addresses (表号), active or not; unknown
    addresses are left out."""
    return list(
        session.scalars(
            select(Meter.id).where(Meter.site_id == site_id, Meter.address.in_(addresses))
        )
    )


def meter_names(session: Session, meter_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """Each meter as the office names it: (its stall's code or "", its address)."""
    ids = list(meter_ids)
    if not ids:
        return {}
    return {
        mid: (code or "", address)
        for mid, code, address in session.execute(
            select(Meter.id, Stall.code, Meter.address)
            .outerjoin(Stall, Stall.id == Meter.stall_id)
            .where(Meter.id.in_(ids))
        )
    }


def _meter_rows(session: Session, where) -> list[MeterRow]:
    stmt = (
        select(
            Meter.id,
            Meter.kind,
            Meter.address,
            Meter.channel_id,
            Channel.name,
            Building.name,
            Meter.stall_id,
            Stall.code,
            Stall.name,
            Meter.comm_status,
            Meter.comm_error,
            Meter.is_account_opened,
            Meter.last_total,
            MeterRealtime.power_kw,
            Account.balance,
            Meter.supply_on,
            Meter.control_mode,
            Meter.alarm_level,
            Meter.last_read_at,
            Tariff.name,
            Meter.identity_conflict,
            Meter.dialin_identity,
            Meter.identity_offered,
        )
        .select_from(Meter)
        .outerjoin(Tariff, Tariff.id == Meter.tariff_id)
        .outerjoin(Channel, Channel.id == Meter.channel_id)
        .outerjoin(Stall, Stall.id == Meter.stall_id)
        .outerjoin(Building, Building.id == Stall.building_id)
        .outerjoin(Account, Account.stall_id == Meter.stall_id)
        .outerjoin(MeterRealtime, MeterRealtime.meter_id == Meter.id)
        .where(where, Meter.is_active.is_(True))
        .order_by(Stall.code, Meter.kind)
    )
    rows = session.execute(stmt).all()
    # open commands are few (one per meter at most per action): one query for all of them
    open_commands = {}
    query = (
        select(MeterCommand.meter_id, MeterCommand.action, MeterCommand.attempts)
        .where(MeterCommand.status.in_((CommandStatus.PENDING, CommandStatus.SENT)))
        .order_by(MeterCommand.id)
    )
    if len(rows) <= 900:  # a few re-read rows: their commands only
        query = query.where(MeterCommand.meter_id.in_([r[0] for r in rows]))
    for meter_id, action, attempts in session.execute(query):
        open_commands[meter_id] = (str(action), attempts)
    return [
        MeterRow(
            id=r[0],
            kind=str(r[1]),
            address=r[2],
            channel_id=r[3],
            channel=r[4] or "",
            building=r[5] or "",
            stall_id=r[6],
            stall_code=r[7] or "",
            stall_name=r[8] or "",
            comm=str(r[9]),
            comm_error=r[10] or "",
            is_account_opened=bool(r[11]),
            total=register_units(r[1], r[12]),
            power_kw=r[13],
            balance=r[14],
            supply_on=r[15],
            control_mode=str(r[16]),
            alarm_level=int(r[17]),
            last_read_at=r[18],
            tariff=r[19] or "",
            identity_conflict=bool(r[20]),
            identity=r[21] or "",
            identity_offered=r[22] or "",
            command=open_commands.get(r[0], ("", 0))[0],
            command_attempts=open_commands.get(r[0], ("", 0))[1],
        )
        for r in rows
    ]


@dataclass(frozen=True, slots=True)
class DayReading:
    day: date
    closed_at: datetime
    total: Decimal  # kWh / m³
    usage: Decimal | None  # since the previous day's close; None for the first day


@dataclass(frozen=True, slots=True)
class MeterHistory:
    meter_id: int
    kind: str
    unit: str
    days: list[DayReading]
    months: list[tuple[str, Decimal]]  # ("2026-11", usage)


def meter_history(session: Session, meter_id: int, days: int = 400) -> MeterHistory:
    """Daily closing readings and usage (readings.daily_usage: ct applied, restarts
    handled) of the last `days` days with a reading, and usage per month."""
    meter = session.get(Meter, meter_id)
    if meter is None:
        return MeterHistory(meter_id, "", "", [], [])
    epoch = date(1970, 1, 1)
    rows = list(
        reversed(
            session.execute(
                select(MeterDay.day, MeterDay.close_ts, MeterDay.close_total)
                .where(MeterDay.meter_id == meter_id)
                .order_by(MeterDay.day.desc())
                .limit(days)
            ).all()
        )
    )
    used = (
        daily_usage(
            session,
            [meter_id],
            epoch + timedelta(days=rows[0][0]),
            epoch + timedelta(days=rows[-1][0]),
        )[meter_id]
        if rows
        else {}
    )
    readings = [
        DayReading(
            epoch + timedelta(days=d),
            datetime.fromtimestamp(ts, UTC),
            register_units(meter.kind, total),
            used.get(epoch + timedelta(days=d)),
        )
        for d, ts, total in rows
    ]
    months: dict[str, Decimal] = {}
    for r in readings:
        if r.usage is not None:
            key = r.day.strftime("%Y-%m")
            months[key] = months.get(key, Decimal(0)) + r.usage
    unit = "kWh" if meter.kind == MeterKind.ELECTRIC else "m³"
    return MeterHistory(meter_id, str(meter.kind), unit, readings, sorted(months.items()))
