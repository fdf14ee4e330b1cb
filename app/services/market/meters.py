"""One meter (表计) at a time: add it to a stall, change it, replace it (换表) or take it out.

The Excel import (app/services/imports.py) brings meters in by the hundred; these are the
admin's corrections of one. The rules are the import's: a meter is its address on its line
(通道 + 表地址) among the active meters, its protocol follows its register-map profile or,
without one, its channel, and its tariff (电价 / 水价) is of its kind. The comm service picks
up a new channel or address by itself (it reloads the channel configs every half minute).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from sqlalchemy import delete, exists, or_, select, update
from sqlalchemy.orm import Session

from app.comm.profiles import load_profile_data, profile_names
from app.comm.types import ChannelKind, MeterKind, Protocol
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
from app.models.site import Stall
from app.models.tariff import Tariff
from app.services.market import readings
from app.services.platform.audit import audit
from app.services.platform.context import Actor, Conflict, NotFound, ServiceError, require
from app.services.market.stalls import REGISTER_SCALE
from datetime import UTC, date, datetime
from app.models.account import Account
from app.models.site import Building
from app.services.market.readings import daily_usage

KIND_TEXT = {MeterKind.ELECTRIC: "电表", MeterKind.WATER: "水表"}
KIND_TEXT_EN = {MeterKind.ELECTRIC: "electricity", MeterKind.WATER: "water"}
TARIFF_TEXT = {MeterKind.ELECTRIC: "电价", MeterKind.WATER: "水价"}
_A = {MeterKind.ELECTRIC: "an", MeterKind.WATER: "a"}  # the English article before KIND_TEXT_EN
EDITABLE = frozenset({"channel_id", "address", "model", "profile", "protocol", "tariff_id", "ct_ratio"})


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
            out.append(ProfileChoice(protocol, name, MeterKind(kind) if kind else None,
                                     data.get("model") or _model_of(name), data.get("description", name)))
        if not names and protocol in (Protocol.DLT645_2007, Protocol.DLT645_1997):
            out.append(ProfileChoice(protocol, "", MeterKind.ELECTRIC, "", ""))
    return tuple(out)


def meter_form_choices(session: Session, site_id: int) -> MeterFormChoices:
    """Permission: any user; reads only."""
    stalls = session.execute(select(Stall.id, Stall.code, Stall.name).where(Stall.site_id == site_id)
                             .order_by(Stall.code)).all()
    channels = session.execute(select(Channel.id, Channel.name, Channel.kind).where(Channel.site_id == site_id)
                               .order_by(Channel.name)).all()
    tariffs = session.execute(select(Tariff.id, Tariff.name, Tariff.kind).where(Tariff.site_id == site_id)
                              .order_by(Tariff.kind, Tariff.name)).all()
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
        raise NotFound(f"表计（编号 {meter_id}）不存在，请刷新列表后重试",
                       en=f"Meter (id {meter_id}) not found. Refresh the list and try again")
    return _detail(session, m)


# ---------------------------------------------------------------- write side


def create_meter(
    session: Session, actor: Actor, stall_id: int | None, kind: MeterKind | str, address: str, *,
    channel_id: int | None, model: str = "", profile: str = "", protocol: Protocol | str | None = None,
    tariff_id: int | None = None, ct_ratio: int | str = 1,
) -> MeterDetail:
    """Add one meter to a stall (stall_id None: a meter of no stall, such as a master meter).
    The protocol follows the profile, else `protocol`, else the channel (CTWing on the NB
    platform, Modbus otherwise), as the import decides. Permission: admin.
    Transaction: the caller's. Audit: 'meter.create'."""
    require(actor, doing="添加表计", doing_en="add meters")
    kind = _kind(kind)
    if stall_id is not None:
        _own(session, actor, Stall, stall_id, "档位", "Stall")
    channel = _channel(session, actor, channel_id)
    address = _address(address)
    protocol, profile = _protocol(kind, channel, protocol, profile)
    _tariff(session, actor, tariff_id, kind, stall_id)
    _no_clash(session, actor, channel, address, None)
    m = Meter(site_id=actor.site_id, stall_id=stall_id, kind=kind, model=_model(model), protocol=protocol,
              profile=profile, channel_id=channel.id if channel else None, address=address,
              ct_ratio=_ct_ratio(ct_ratio), tariff_id=tariff_id)
    session.add(m)
    session.flush()
    audit(session, actor, "meter.create", "meter", m.id, stall_id=stall_id, kind=kind.value, address=address,
          channel_id=m.channel_id, model=m.model, protocol=protocol.value, profile=profile, tariff_id=tariff_id,
          ct_ratio=m.ct_ratio)
    return _detail(session, m)


def update_meter(session: Session, actor: Actor, meter_id: int, **changes) -> MeterDetail:
    """Change an active meter's channel_id, address, model, profile (its protocol follows),
    protocol, tariff_id or ct_ratio. Its kind never changes: a meter entered as the wrong
    kind is removed and added again. Permission: admin. Transaction: the caller's.
    Audit: 'meter.update' with the old and new values."""
    require(actor, doing="修改表计", doing_en="edit meters")
    if "kind" in changes:
        raise ServiceError("表计类型（电表 / 水表）不能修改；类型录错了，请删除这块表后重新添加",
                           code="kind_fixed",
                           en="A meter's kind (electricity / water) cannot be changed. If it was entered wrongly, "
                              "remove the meter and add it again")
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)}")
    m = _active(session, actor, meter_id)
    channel = _channel(session, actor, changes["channel_id"]) if "channel_id" in changes else (
        session.get(Channel, m.channel_id) if m.channel_id is not None else None)
    address = _address(changes["address"]) if "address" in changes else m.address
    new = {}
    if "channel_id" in changes:
        new["channel_id"] = channel.id if channel else None
    if "address" in changes:
        new["address"] = address
    if "model" in changes:
        new["model"] = _model(changes["model"])
    if "profile" in changes or "protocol" in changes:
        new["protocol"], new["profile"] = _protocol(m.kind, channel, changes.get("protocol"),
                                                    changes.get("profile", ""))
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
    audit(session, actor, "meter.update", "meter", m.id, address=m.address,
          before={k: _plain(v) for k, v in before.items()}, after={k: _plain(v) for k, v in new.items()})
    return _detail(session, m)


def remove_meter(session: Session, actor: Actor, meter_id: int) -> MeterRemoval:
    """Take a meter away. One entered by mistake (no readings, no bills) is deleted; one
    with readings or bills is taken out of use (停用) as a replaced meter is: it leaves its
    line (its address is free again), its open commands are cancelled, and its usage read
    but not yet settled is still billed by the next settlement. Permission: admin.
    Transaction: the caller's. Audit: 'meter.delete' or 'meter.deactivate'."""
    require(actor, doing="删除或停用表计", doing_en="remove meters")
    m = _active(session, actor, meter_id)
    code = session.scalar(select(Stall.code).where(Stall.id == m.stall_id)) if m.stall_id else ""
    pool = session.scalar(select(SharedPool.name).where(SharedPool.master_meter_id == m.id).limit(1))
    if pool is not None:
        raise Conflict(f"表 {m.address} 是公摊池“{pool}”的总表，不能移除；请先在“公摊”里给该公摊池换一块总表",
                       en=f"Meter {m.address} is the master meter of the shared-cost pool “{pool}”, so it cannot be "
                          "removed. Give that pool another master meter under Shared costs first")
    detail = dict(stall_code=code or "", kind=m.kind.value, address=m.address, channel_id=m.channel_id)
    if _has_history(session, m):
        m.is_active = False
        session.execute(
            update(MeterCommand).where(MeterCommand.meter_id == m.id, MeterCommand.status.in_(OPEN_COMMAND))
            .values(status=CommandStatus.CANCELLED, result="表计已停用")
            .execution_options(synchronize_session=False)
        )
        session.flush()
        audit(session, actor, "meter.deactivate", "meter", m.id, **detail)
        return MeterRemoval(m.id, code or "", m.address, False)
    audit(session, actor, "meter.delete", "meter", m.id, **detail)
    for table in (MeterCommand, MeterRealtime, ReadingAnomaly):
        session.execute(delete(table).where(table.meter_id == m.id).execution_options(synchronize_session=False))
    session.delete(m)
    session.flush()
    return MeterRemoval(meter_id, code or "", m.address, True)


IDENTITY_DECISIONS = ("accept", "clear")


def resolve_identity(session: Session, actor: Actor, meter_id: int, decision: str) -> MeterDetail:
    """An admin decides a dial-in meter's identity conflict (身份冲突): "accept" binds the
    identity that was offered (the meter's SIM was really changed); "clear" forgets the
    binding, so the meter's next registration binds it again (after the rogue device is
    found and switched off). Either way the mark goes. Permission: admin. Transaction: the
    caller's. Audit: meter.identity_accept / meter.identity_clear with before and after."""
    require(actor, doing="处理表计身份冲突", doing_en="decide meters' identity conflicts")
    if decision not in IDENTITY_DECISIONS:
        raise ValueError(f"decision must be one of {IDENTITY_DECISIONS}")
    m = _active(session, actor, meter_id)
    before = m.dialin_identity
    if decision == "accept":
        if not m.identity_offered:
            raise Conflict(f"表 {m.address} 没有待接受的新身份；如要重新绑定，请选择“清除”",
                           en=f"Meter {m.address} has no new identity to accept. To bind it again, choose Clear")
        m.dialin_identity = m.identity_offered
    else:
        m.dialin_identity = ""
    m.identity_offered, m.identity_conflict = "", False
    session.flush()
    audit(session, actor, f"meter.identity_{decision}", "meter", m.id, address=m.address, before=before,
          after=m.dialin_identity)
    return _detail(session, m)


def replace_meter(
    session: Session, actor: Actor, meter_id: int, new_address: str, old_final_reading: Decimal | str,
    new_first_reading: Decimal | str, *, new_model: str | None = None, new_channel_id: int | None = None,
    new_profile: str | None = None, new_protocol: Protocol | None = None,
) -> MeterDetail:
    """换表 as the clerk types it: readings in kWh / m³ as shown on the meters, the new meter
    optionally of another model, profile (or protocol without one) or channel. The readings service does the
    replacement (app/services/readings.py `replace_meter`: the old meter's usage up to its
    final reading is still billed); a new profile is then set on the new meter. Permission:
    admin. Transaction: the caller's. Audit: 'meter.replace' (and 'meter.update')."""
    require(actor, doing="换表", doing_en="replace meters")
    old = _active(session, actor, meter_id)
    channel = _channel(session, actor, new_channel_id) if new_channel_id is not None else None
    address = _address(new_address)
    final = _registers(old.kind, old_final_reading, "旧表止码", "The old meter's final reading")
    first = _registers(old.kind, new_first_reading, "新表起码", "The new meter's first reading")
    if channel is not None and new_profile is None and new_protocol is None:
        _suits_line(channel, old.protocol)
    # now, unless a reading is stored later than the PC's clock (a meter read by a PC whose
    # clock ran ahead, the demo's fast clock): the replacement follows the last reading
    at = utcnow() if old.last_read_at is None else max(utcnow(), old.last_read_at + timedelta(seconds=1))
    info = readings.replace_meter(session, actor, old.id, address, final, first, at=at,
                                  new_model=_model(new_model) if new_model else None,
                                  new_channel_id=channel.id if channel else None)
    if new_profile is not None or new_protocol is not None:
        return update_meter(session, actor, info.new_meter_id, profile=new_profile or "", protocol=new_protocol)
    return _detail(session, session.get(Meter, info.new_meter_id))


# ---------------------------------------------------------------- helpers


def default_protocol(channel_kind: ChannelKind | None) -> Protocol:
    """A meter's protocol when nothing says otherwise: CTWing on the NB platform, else
    Modbus (Acrel)."""
    return Protocol.CTWING_WATER if channel_kind is ChannelKind.CTWING else Protocol.MODBUS_ACREL


def _protocol(kind: MeterKind, channel: Channel | None, protocol: Protocol | str | None,
              profile: str) -> tuple[Protocol, str]:
    profile = (profile or "").strip()
    if profile:
        choice = next((c for c in profile_choices() if c.profile == profile), None)
        if choice is None:
            raise ServiceError(f"没有名为“{profile}”的表计型号配置，请从列表里选择型号",
                               code="unknown_profile",
                               en=f"There is no meter profile named “{profile}”. Choose the model from the list")
        if choice.kind is not None and choice.kind is not kind:
            raise ServiceError(
                f"型号配置“{profile}”用于{KIND_TEXT[choice.kind]}，这块表是{KIND_TEXT[kind]}，请选择{KIND_TEXT[kind]}的型号",
                code="wrong_kind",
                en=f"The profile “{profile}” is for {KIND_TEXT_EN[choice.kind]} meters, but this is a "
                   f"{KIND_TEXT_EN[kind]} meter. Choose a model for {KIND_TEXT_EN[kind]} meters")
        protocol = choice.protocol
    elif protocol:
        protocol = Protocol(protocol)
    else:
        protocol = default_protocol(channel.kind if channel else None)
    _suits_line(channel, protocol)
    return protocol, profile


def _suits_line(channel: Channel | None, protocol: Protocol) -> None:
    """NB water meters are reached through the NB platform only, and nothing else is."""
    if channel is not None and (channel.kind is ChannelKind.CTWING) != (protocol is Protocol.CTWING_WATER):
        if channel.kind is ChannelKind.CTWING:
            raise ServiceError(f"通道“{channel.name}”是 NB 平台，只能接 NB 水表；请选择 NB 水表的型号，或换一个通道",
                               code="wrong_channel",
                               en=f"Channel “{channel.name}” is the NB platform and takes only NB water meters. "
                                  "Choose an NB water meter model, or another channel")
        raise ServiceError(f"NB 水表只能接在 NB 平台通道上，通道“{channel.name}”不是；请选择 NB 平台通道，或换一个型号",
                           code="wrong_channel",
                           en=f"An NB water meter can only be on an NB platform channel, and “{channel.name}” is not "
                              "one. Choose the NB platform channel, or another model")


def _kind(kind: MeterKind | str) -> MeterKind:
    try:
        return MeterKind(kind)
    except ValueError:
        raise ServiceError(f"表计类型“{kind}”不对，请选择电表或水表", code="invalid",
                           en=f"Meter kind “{kind}” is not valid. Choose electricity or water") from None


def _address(address: str) -> str:
    address = unicodedata.normalize("NFKC", address or "").strip()
    if not address:
        raise ServiceError("表地址必须填写", code="required", en="The meter address is required. Fill it in")
    if len(address) > 40 or re.search(r"\s", address):
        raise ServiceError(f"表地址“{address}”不对：最多 40 个字符，不能有空格", code="invalid",
                           en=f"Meter address “{address}” is not valid: at most 40 characters, no spaces. Check it")
    return address


def _model(model: str | None) -> str:
    model = unicodedata.normalize("NFKC", model or "").strip()
    if len(model) > 40:
        raise ServiceError("型号最多 40 个字符，请缩短", code="invalid",
                           en="The model may have at most 40 characters. Shorten it")
    return model


def _ct_ratio(value: int | str) -> int:
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text.isdigit() or int(text) < 1:
        raise ServiceError(f"倍率“{value}”不对：应为正整数，如 1、5、20", code="invalid",
                           en=f"CT ratio “{value}” is not valid. Type a whole number of 1 or more, such as 1, 5 or 20")
    return int(text)


def _registers(kind: MeterKind, reading: Decimal | str, what: str, what_en: str) -> int:
    """A reading typed in kWh / m³ as register units (0.01 kWh, litres)."""
    unit = "kWh" if kind is MeterKind.ELECTRIC else "m³"
    try:
        value = Decimal(unicodedata.normalize("NFKC", str(reading)).strip())
    except InvalidOperation:
        value = None
    scale = REGISTER_SCALE[kind]
    if value is None or not value.is_finite() or value < 0 or value % scale:
        places = -scale.as_tuple().exponent
        raise ServiceError(f"{what}“{reading}”不对：应为不小于零的 {unit} 读数，最多 {places} 位小数",
                           code="invalid",
                           en=f"{what_en} “{reading}” is not valid. Type the {unit} reading: zero or more, "
                              f"at most {places} decimals")
    return int(value / scale)


def _own(session: Session, actor: Actor, model, obj_id: int, what: str, what_en: str):
    obj = session.get(model, obj_id)
    if obj is None or obj.site_id != actor.site_id:
        raise NotFound(f"找不到{what}（编号 {obj_id}），请刷新后重试",
                       en=f"{what_en} (id {obj_id}) not found. Refresh and try again")
    return obj


def _active(session: Session, actor: Actor, meter_id: int) -> Meter:
    m = _own(session, actor, Meter, meter_id, "表计", "Meter")
    if not m.is_active:
        raise Conflict(f"表 {m.address} 已停用或已换下，不能再修改；请刷新列表",
                       en=f"Meter {m.address} is already out of use or replaced and cannot be changed. Refresh the list")
    return m


def _channel(session: Session, actor: Actor, channel_id: int | None) -> Channel | None:
    return None if channel_id is None else _own(session, actor, Channel, channel_id, "通道", "Channel")


def tariff_kind_mismatch(tariff: Tariff, kind: MeterKind) -> tuple[str, str] | None:
    """What is wrong, in Chinese and English, when `tariff` cannot price a meter of `kind`
    (an electricity meter takes an electricity tariff, a water meter a water tariff);
    None when it can. The meter dialog and the Excel import both use this rule."""
    if MeterKind(tariff.kind) is kind:
        return None
    return (f"“{tariff.name}”是{TARIFF_TEXT[MeterKind(tariff.kind)]}，{KIND_TEXT[kind]}要选{TARIFF_TEXT[kind]}",
            f"“{tariff.name}” is {_A[MeterKind(tariff.kind)]} {KIND_TEXT_EN[MeterKind(tariff.kind)]} tariff; "
            f"{_A[kind]} {KIND_TEXT_EN[kind]} meter needs {_A[kind]} {KIND_TEXT_EN[kind]} tariff")


def _tariff(session: Session, actor: Actor, tariff_id: int | None, kind: MeterKind, stall_id: int | None) -> None:
    """A stall's meter needs a tariff of its kind: without one its usage is billed nothing."""
    if tariff_id is None:
        if stall_id is not None:
            raise ServiceError(f"请选择{TARIFF_TEXT[kind]}：档位的表没有{TARIFF_TEXT[kind]}，用量就不计费",
                               code="required",
                               en=f"Choose {_A[kind]} {KIND_TEXT_EN[kind]} tariff: a stall's meter without one "
                                  "is billed nothing for its usage")
        return
    tariff = _own(session, actor, Tariff, tariff_id, TARIFF_TEXT[kind], "Tariff")
    wrong = tariff_kind_mismatch(tariff, kind)
    if wrong is not None:
        raise ServiceError(wrong[0], code="wrong_kind", en=f"{wrong[1]}. Choose one")


def _no_clash(session: Session, actor: Actor, channel: Channel | None, address: str, own_id: int | None) -> None:
    """A meter is its address on its line: no two active meters share both."""
    line = Meter.channel_id == channel.id if channel is not None else Meter.channel_id.is_(None)
    q = select(Meter.id, Meter.stall_id).where(Meter.site_id == actor.site_id, Meter.is_active, line,
                                               Meter.address == address)
    if own_id is not None:
        q = q.where(Meter.id != own_id)
    clash = session.execute(q.limit(1)).first()
    if clash is None:
        return
    code = session.scalar(select(Stall.code).where(Stall.id == clash.stall_id)) if clash.stall_id else None
    where = f"通道“{channel.name}”上" if channel is not None else "没有通道的表里"
    where_en = f"on channel “{channel.name}”" if channel is not None else "among the meters without a channel"
    owner = f"（档位 {code}）" if code else ""
    owner_en = f" (stall {code})" if code else ""
    raise Conflict(f"{where}已有地址为 {address} 的表{owner}；同一通道上的表地址不能重复，请核对表地址或通道",
                   code="address_taken",
                   en=f"There is already a meter with address {address} {where_en}{owner_en}. Addresses cannot "
                      "repeat on one channel: check the address or the channel")


def _has_history(session: Session, m: Meter) -> bool:
    if m.last_total is not None or m.settled_total is not None:
        return True
    return bool(session.scalar(select(or_(
        exists().where(MeterDay.meter_id == m.id),
        exists().where(BillLine.meter_id == m.id),
        exists().where(or_(MeterReplacement.old_meter_id == m.id, MeterReplacement.new_meter_id == m.id)),
    ))))


def _detail(session: Session, m: Meter) -> MeterDetail:
    code = session.scalar(select(Stall.code).where(Stall.id == m.stall_id)) if m.stall_id else ""
    channel = session.scalar(select(Channel.name).where(Channel.id == m.channel_id)) if m.channel_id else ""
    reading = None if m.last_total is None else Decimal(m.last_total) * REGISTER_SCALE[m.kind]
    return MeterDetail(m.id, m.stall_id, code or "", m.kind, m.model, m.protocol, m.profile, m.channel_id,
                       channel or "", m.address, m.tariff_id, m.ct_ratio, m.is_active, reading,
                       _has_history(session, m))


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
    identity_conflict: bool = False  # 身份冲突: another device registers as this meter
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


def _meter_rows(session: Session, where) -> list[MeterRow]:
    stmt = (
        select(
            Meter.id, Meter.kind, Meter.address, Meter.channel_id, Channel.name, Building.name,
            Meter.stall_id, Stall.code, Stall.name, Meter.comm_status, Meter.comm_error,
            Meter.is_account_opened, Meter.last_total, MeterRealtime.power_kw, Account.balance,
            Meter.supply_on, Meter.control_mode, Meter.alarm_level, Meter.last_read_at, Tariff.name,
            Meter.identity_conflict, Meter.dialin_identity, Meter.identity_offered,
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
    query = (select(MeterCommand.meter_id, MeterCommand.action, MeterCommand.attempts)
             .where(MeterCommand.status.in_((CommandStatus.PENDING, CommandStatus.SENT))).order_by(MeterCommand.id))
    if len(rows) <= 900:  # a few re-read rows: their commands only
        query = query.where(MeterCommand.meter_id.in_([r[0] for r in rows]))
    for meter_id, action, attempts in session.execute(query):
        open_commands[meter_id] = (str(action), attempts)
    return [
        MeterRow(
            id=r[0], kind=str(r[1]), address=r[2], channel_id=r[3], channel=r[4] or "", building=r[5] or "",
            stall_id=r[6], stall_code=r[7] or "", stall_name=r[8] or "", comm=str(r[9]), comm_error=r[10] or "",
            is_account_opened=bool(r[11]), total=register_units(r[1], r[12]), power_kw=r[13], balance=r[14],
            supply_on=r[15], control_mode=str(r[16]), alarm_level=int(r[17]), last_read_at=r[18], tariff=r[19] or "",
            identity_conflict=bool(r[20]), identity=r[21] or "", identity_offered=r[22] or "", command=open_commands.get(r[0], ("", 0))[0],
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
    """Daily closing readings and usage (core-settle's daily_usage: ct applied, restarts
    handled) of the last `days` days with a reading, and usage per month."""
    meter = session.get(Meter, meter_id)
    if meter is None:
        return MeterHistory(meter_id, "", "", [], [])
    epoch = date(1970, 1, 1)
    rows = list(reversed(session.execute(
        select(MeterDay.day, MeterDay.close_ts, MeterDay.close_total)
        .where(MeterDay.meter_id == meter_id)
        .order_by(MeterDay.day.desc())
        .limit(days)
    ).all()))
    used = daily_usage(session, [meter_id], epoch + timedelta(days=rows[0][0]), epoch + timedelta(days=rows[-1][0]))[meter_id] if rows else {}
    readings = [
        DayReading(epoch + timedelta(days=d), datetime.fromtimestamp(ts, UTC), register_units(meter.kind, total),
                   used.get(epoch + timedelta(days=d)))
        for d, ts, total in rows
    ]
    months: dict[str, Decimal] = {}
    for r in readings:
        if r.usage is not None:
            key = r.day.strftime("%Y-%m")
            months[key] = months.get(key, Decimal(0)) + r.usage
    unit = "kWh" if meter.kind == MeterKind.ELECTRIC else "m³"
    return MeterHistory(meter_id, str(meter.kind), unit, readings, sorted(months.items()))
