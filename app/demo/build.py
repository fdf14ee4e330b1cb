"""The demo market (演示市场): a market like the real one, built on an empty database.

Site, buildings, stalls with tenants and owners, accounts, tariffs, charge items, channels
and meters; then K months of 30-minute readings, generated deterministically from the seed
and taken through the same services as real ones: a day's collections are ingested, the
night's settlement bills them and decides control, the (simulated) meters obey the trip /
close commands, stalls recharge when they run low (a few stop paying and end up tripped),
and each month's property bills are generated and issued.
"""

from __future__ import annotations

import random
import time as clock
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from app.comm.simulator.physics import line_loss
from app.comm.types import Action, ChannelKind, MeterKind, MeterReading, Protocol
from app.models.account import Account, AccountStatus, EntryKind, LedgerEntry, PayMethod, Receipt
from app.models.billing import ChargeItem, ChargeMethod, StallCharge
from app.models.meter import Channel, CommandStatus, Meter, MeterCommand
from app.models.shared_cost import ShareMethod
from app.models.site import (
    Building,
    Customer,
    SettlementCycle,
    Site,
    Stall,
    StallRole,
    StallRoleKind,
)
from app.models.tariff import Tariff, TariffMode, TariffPeriod, TariffRate
from app.models.user import AuditEvent, Role, User
from app.services.market.control import reconsider
from app.services.market.readings import ingest
from app.services.market.usage import available_balances
from app.services.money.ledger import post_many
from app.services.money.property import generate_property_bills, issue_bills
from app.services.money.settlement import settle
from app.services.money.shared_costs import create_pool
from app.services.platform.context import Actor, Conflict
from app.services.platform.timeutil import local_midnight, zone
from app.words import QT_TRANSLATE_NOOP, Word, stored_text

DATABASE_ALREADY_HOLDS_MARKET_DATA = Word(
    "build.database_already_holds_market_data",
    QT_TRANSLATE_NOOP(
        "Errors",
        "The database already holds market data; the demo market can only be built in an empty "
        "database. Use another database file (--db)",
    ),
)
# The demo's own records, stored as the words' codes (stored_text), said in the reader's language.
DEMO_RECHARGE = Word("build.demo_recharge", QT_TRANSLATE_NOOP("Labels", "Demo recharge"))
DEMO_LOW_BALANCE = Word(
    "build.demo_low_balance",
    QT_TRANSLATE_NOOP(
        "Labels",
        "Demo: the balance lasts about an hour, so a trip can be seen a few minutes after the "
        "demo starts",
    ),
)
DEMO_DONE = Word("build.demo_done", QT_TRANSLATE_NOOP("Labels", "Demo: done"))
METER_COUNTS_CANNOT_NEGATIVE_OR = Word(
    "build.meter_counts_cannot_negative_or",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Meter counts cannot be negative or both zero, and the months must be at least 1. Change "
        "the numbers",
    ),
)

BUILDINGS = ("A区 蔬菜区", "B区 肉类区", "C区 水产区", "D区 干货区", "E区 熟食区", "F区 水果区")
TRADES = ("蔬菜", "猪肉", "水产", "干货", "熟食", "水果")
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许"
    "韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢"
)
GIVEN = (
    "建国",
    "秀英",
    "桂兰",
    "志强",
    "海燕",
    "国庆",
    "丽华",
    "春梅",
    "文斌",
    "晓东",
    "红霞",
    "德明",
    "玉兰",
    "永红",
    "俊杰",
    "美玲",
    "卫东",
    "淑珍",
    "小军",
    "慧敏",
)
SHOP = ("记", "家", "氏", "姐", "哥", "师傅")
TOU_PERIODS = (
    (0, 4),
    (7 * 60, 3),
    (9 * 60, 2),
    (11 * 60, 1),
    (13 * 60, 3),
    (17 * 60, 2),
    (21 * 60, 3),
    (23 * 60, 4),
)
METERS_PER_LINE = 64  # an RS485 line of the real site carries up to 64 meters
MASTER_CT = 60  # the master meters' current transformers (300/5 A)
# the building the losses view opens on (old cables): a day in four above the threshold
LOSSY_BUILDING = 0
DEMO_TZ = "Asia/Shanghai"


@dataclass(frozen=True, slots=True)
class DemoResult:
    site_id: int
    stalls: int
    electric_meters: int
    water_meters: int
    days: int
    readings: int
    bills: int
    billed: Decimal
    tripped: int
    low: int
    seconds: float


@dataclass(slots=True)
class _Sim:
    """A simulated meter: its register, its daily pattern, whether it is switched on."""

    meter_id: int
    stall_id: int
    channel_id: int
    address: str
    kind: MeterKind
    scale: float
    total: int
    tariffs: list[int] | None
    supply_on: bool = True
    ct: int = 1
    # A stall's electricity meter adds its half-hours' usage (× ct) to its building's
    # `feeds`; the building's master meter counts them (`counts`) plus the day's `loss`.
    feeds: list[float] | None = None
    counts: list[float] | None = None
    loss_key: str = ""
    lossy: bool = False
    loss: float = 0.0


def line_loss_key(building_index: int) -> str:
    """Whose line losses (physics.line_loss) the `building_index`-th building (in id order)
    has: the history and the live simulator draw the same."""
    return f"building:{building_index}"


def _rate_at(minute: int) -> int:
    rate = TOU_PERIODS[-1][1]
    for start, r in TOU_PERIODS:
        if start <= minute:
            rate = r
    return rate


def build_demo(
    session: Session,
    *,
    electric: int = 474,
    water: int = 417,
    months: int = 3,
    seed: int = 1,
    today: date | None = None,
    now: datetime | None = None,
    on_step: Callable[[int, int], None] | None = None,
) -> DemoResult:
    """Build the demo market on an empty database. Transaction: the caller's (the CLI
    commits once, so a failed build leaves nothing). Refuses when a site exists.
    `on_step(days_done, days)` follows the build day by day. `now`: the moment it is built
    (default the PC's clock); no recharge and so no receipt is dated after it, since the
    live demo's clock starts there. The same market as `lay_out_demo` then `fill_day` for
    every day, each in a transaction of its own (the client's first --demo start)."""
    started = clock.perf_counter()
    now = now or datetime.now(UTC)
    site_id = lay_out_demo(
        session, electric=electric, water=water, months=months, seed=seed, today=today, now=now
    )
    history = demo_history(session, site_id, seed=seed, months=months)
    readings = bills = 0
    billed = Decimal(0)
    for d in range(history.days):
        if on_step is not None:
            on_step(d, history.days)
        day = fill_day(session, history, d, now=now)
        readings += day.readings
        bills += day.bills
        billed += day.billed
    stall_ids = history.stall_ids
    final = available_balances(session, stall_ids)
    tripped = len(
        session.scalars(
            select(Meter.id).where(Meter.site_id == site_id, Meter.supply_on.is_(False))
        ).all()
    )
    return DemoResult(
        site_id,
        len(stall_ids),
        electric,
        water,
        history.days,
        readings,
        bills,
        billed,
        tripped,
        len([v for v in final.values() if v < 50]),
        clock.perf_counter() - started,
    )


def _meter_rng(seed: int, index: int) -> random.Random:
    """The draws of the `index`-th meter (in id order): the same whenever the history is
    taken up again, so a fill that was stopped carries on as if it had not been."""
    return random.Random(f"{seed}:meter:{index}")


def _day_rng(seed: int, d: int) -> random.Random:
    return random.Random(f"{seed}:day:{d}")


def lay_out_demo(
    session: Session,
    *,
    electric: int = 474,
    water: int = 417,
    months: int = 3,
    seed: int = 1,
    today: date | None = None,
    now: datetime | None = None,
) -> int:
    """The demo market without its history (under a second): site, buildings, tariffs,
    stalls with their people and accounts, channels and meters, and each stall's first
    recharge with its receipt. Returns the site id. Transaction: the caller's. The history
    follows day by day with `fill_day`."""
    if session.scalar(select(Site.id).limit(1)) is not None:
        raise Conflict(DATABASE_ALREADY_HOLDS_MARKET_DATA)
    if electric < 0 or water < 0 or electric + water == 0 or months < 1:
        raise Conflict(METER_COUNTS_CANNOT_NEGATIVE_OR)
    rng = random.Random(seed)
    tz = zone(DEMO_TZ)
    now = now or datetime.now(UTC)
    today = today or now.astimezone(tz).date()
    first_day = today - timedelta(days=30 * months)
    site = Site(
        code="DEMO",
        name="惠民农贸市场（演示）",
        address="幸福路 88 号",
        phone="0571-88886666",
        friendly_night_start=time(22, 0),
        friendly_night_end=time(7, 0),
        timezone=DEMO_TZ,
    )
    session.add(site)
    session.flush()
    admin = User(
        site_id=site.id, username="admin", display_name="管理员", password_hash="!", role=Role.ADMIN
    )
    session.add(admin)
    buildings = [
        Building(
            site_id=site.id,
            name=name,
            settlement_cycle=SettlementCycle.DAILY,
            reading_time=time(0, 0),
            settlement_time=time(1, 0),
            settled_until=local_midnight(first_day, tz),
        )
        for name in BUILDINGS
    ]
    session.add_all(buildings)
    flat = Tariff(
        site_id=site.id,
        name="商业电价",
        kind=MeterKind.ELECTRIC,
        mode=TariffMode.FLAT,
        price=Decimal("0.8500"),
    )
    tou = Tariff(
        site_id=site.id,
        name="分时电价",
        kind=MeterKind.ELECTRIC,
        mode=TariffMode.TOU,
        price=Decimal("0.8500"),
    )
    tou.rates = [
        TariffRate(rate=r, price=Decimal(p))
        for r, p in ((1, "1.2500"), (2, "1.0500"), (3, "0.8500"), (4, "0.4500"))
    ]
    tou.periods = [TariffPeriod(start_minute=m, rate=r) for m, r in TOU_PERIODS]
    water_tariff = Tariff(
        site_id=site.id,
        name="商业水价",
        kind=MeterKind.WATER,
        mode=TariffMode.FLAT,
        price=Decimal("4.5000"),
    )
    session.add_all([flat, tou, water_tariff])
    items = [
        ChargeItem(
            site_id=site.id,
            name="物业管理费",
            method=ChargeMethod.PER_M2,
            price=Decimal("2.0000"),
            unit_name="m²",
        ),
        ChargeItem(
            site_id=site.id,
            name="卫生费",
            method=ChargeMethod.FIXED_MONTH,
            price=Decimal("30.0000"),
        ),
        ChargeItem(
            site_id=site.id,
            name="垃圾桶",
            method=ChargeMethod.PER_UNIT,
            price=Decimal("5.0000"),
            unit_name="个",
        ),
    ]
    session.add_all(items)
    session.flush()

    # Stalls, people, accounts.
    n_stalls = max(electric, water)
    stall_rows, people = [], []
    for i in range(n_stalls):
        b = i * len(BUILDINGS) // n_stalls
        surname = SURNAMES[rng.randrange(len(SURNAMES))]
        stall_rows.append(
            {
                "site_id": site.id,
                "building_id": buildings[b].id,
                "code": f"{BUILDINGS[b][0]}-{i + 1:03d}",
                "name": f"{surname}{SHOP[rng.randrange(len(SHOP))]}{TRADES[b]}",
                "area_m2": Decimal(rng.choice((6, 8, 9, 10, 12, 15, 18, 24))),
                "status": "active",
                "note": "",
                "created_at": datetime.now(UTC),
            }
        )
        people.append(
            (
                f"{surname}{rng.choice(GIVEN)}",
                f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
                f"{SURNAMES[rng.randrange(len(SURNAMES))]}{rng.choice(GIVEN)}",
                f"13{rng.randrange(10**9):09d}",
            )
        )
    session.execute(insert(Stall.__table__), stall_rows)
    stall_ids = session.scalars(
        select(Stall.id).where(Stall.site_id == site.id).order_by(Stall.id)
    ).all()
    customers = []
    for tenant, phone, owner, owner_phone in people:
        customers += [
            {"site_id": site.id, "name": tenant, "phone": phone, "note": ""},
            {"site_id": site.id, "name": owner, "phone": owner_phone, "note": "业主"},
        ]
    session.execute(insert(Customer.__table__), customers)
    customer_ids = session.scalars(
        select(Customer.id).where(Customer.site_id == site.id).order_by(Customer.id)
    ).all()
    session.execute(
        insert(StallRole.__table__),
        [
            {
                "stall_id": sid,
                "customer_id": customer_ids[2 * i + k],
                "role": role,
                "since": first_day,
            }
            for i, sid in enumerate(stall_ids)
            for k, role in enumerate((StallRoleKind.TENANT, StallRoleKind.OWNER))
        ],
    )
    session.execute(
        insert(Account.__table__),
        [
            {
                "stall_id": sid,
                "balance": Decimal(0),
                "alarm1": Decimal(50),
                "alarm2": Decimal(20),
                "overdraft_limit": Decimal(10) if i % 7 == 0 else Decimal(0),
                "status": AccountStatus.OPEN,
            }
            for i, sid in enumerate(stall_ids)
        ],
    )
    account_of = dict(session.execute(select(Account.stall_id, Account.id)).all())
    session.execute(
        insert(StallCharge.__table__),
        [
            {"stall_id": sid, "charge_item_id": items[2].id, "units": Decimal(1 + i % 3)}
            for i, sid in enumerate(stall_ids)
            if i % 4 == 0
        ],
    )

    # Channels and meters: RS485 gateways for electricity, the NB platform for water.
    lines = (electric + METERS_PER_LINE - 1) // METERS_PER_LINE
    channels = [
        Channel(
            site_id=site.id, name=f"RS485-{i + 1:02d}", kind=ChannelKind.SERIAL_SERVER, settings={}
        )
        for i in range(lines)
    ]
    nb = Channel(
        site_id=site.id,
        name="NB水表平台",
        kind=ChannelKind.CTWING,
        settings={},
        poll_interval_s=3600,
    )
    session.add_all([*channels, nb])
    session.flush()
    meter_rows = []
    for i in range(electric):
        if i % 10 == 9:
            model, protocol, profile, address = (
                "DDS1352 (DL/T 645)",
                Protocol.DLT645_2007,
                "",
                f"{100000000000 + i:012d}",
            )
        elif i % 15 == 14:
            model, protocol, profile, address = (
                "DTSY1352-NK",
                Protocol.MODBUS_ACREL,
                "acrel_dtsy1352",
                str(i % METERS_PER_LINE + 1),
            )
        else:
            model, protocol, profile, address = (
                "DDSY1352-NK",
                Protocol.MODBUS_ACREL,
                "acrel_ddsy1352",
                str(i % METERS_PER_LINE + 1),
            )
        channel = channels[i // METERS_PER_LINE]
        meter_rows.append(
            {
                "site_id": site.id,
                "stall_id": stall_ids[i],
                "kind": MeterKind.ELECTRIC,
                "model": model,
                "protocol": protocol,
                "profile": profile,
                "channel_id": channel.id,
                "address": address,  # slave ids repeat on every line, like on a real site
                "ct_ratio": 5 if model.startswith("DTSY") else 1,
                "tariff_id": tou.id if i % 3 == 0 else flat.id,
            }
        )
    for i in range(water):
        meter_rows.append(
            {
                "site_id": site.id,
                "stall_id": stall_ids[i],
                "kind": MeterKind.WATER,
                "model": "NB-IoT 水表",
                "protocol": Protocol.CTWING_WATER,
                "profile": "",
                "channel_id": nb.id,
                "address": f"86{rng.randrange(10**13):013d}",
                "ct_ratio": 1,
                "tariff_id": water_tariff.id,
            }
        )
    session.execute(
        insert(Meter.__table__), [{**r, "supply_on": True, "carried_total": 0} for r in meter_rows]
    )
    # Each building's master meter (总表), in the power room on a line of its own: the
    # losses view compares it with the building's stalls.
    fed = sorted({row["building_id"] for row in stall_rows[:electric]})
    if fed:
        power_room = Channel(
            site_id=site.id, name="配电房 总表", kind=ChannelKind.SERIAL_SERVER, settings={}
        )
        session.add(power_room)
        session.flush()
        session.execute(
            insert(Meter.__table__),
            [
                {
                    "site_id": site.id,
                    "master_of_building_id": b,
                    "kind": MeterKind.ELECTRIC,
                    "model": "DTSY1352-NK",
                    "protocol": Protocol.MODBUS_ACREL,
                    "profile": "acrel_dtsy1352",
                    "channel_id": power_room.id,
                    "address": str(n),
                    "ct_ratio": MASTER_CT,
                    "supply_on": True,
                    "carried_total": 0,
                }
                for n, b in enumerate(fed, 1)
            ],
        )
    methods = (PayMethod.CASH, PayMethod.WECHAT, PayMethod.ALIPAY, PayMethod.CARD)
    post_many(
        session,
        [
            (
                account_of[sid],
                EntryKind.RECHARGE,
                topup,
                {
                    "method": methods[i % 4],
                    "operator_id": admin.id,
                    "at": local_midnight(first_day, tz),
                    "reason": stored_text(DEMO_RECHARGE),
                },
            )
            for i, (sid, topup) in enumerate(_topups(seed, stall_ids).items())
        ],
    )
    _receipts_for_recharges(session, site.id, admin)
    return site.id


def _topups(seed: int, stall_ids: list[int]) -> dict[int, Decimal]:
    """Money habits: most top up a round sum when low; every 11th stall tops up little."""
    rng = random.Random(f"{seed}:topup")
    topup = {sid: Decimal(rng.choice((200, 300, 500, 800, 1000))) for sid in stall_ids}
    for i, sid in enumerate(stall_ids):
        if i % 11 == 5:
            topup[sid] = Decimal(rng.choice((50, 80, 100)))
    return topup


@dataclass(slots=True)
class DemoHistory:
    """What the days of the demo's history need, read back from the laid-out market (and
    the days already filled), so the fill can be taken up again after it was stopped."""

    site_id: int
    seed: int
    tz: object
    first_day: date
    days: int
    done: int  # days already filled
    actor: Actor
    operator_id: int  # the demo's cashier
    stall_ids: list[int]
    account_of: dict[int, int]
    topup: dict[int, Decimal]
    stops: set[int]  # every 17th stall stops paying after the first month
    sims: dict[int, _Sim]


def demo_history(session: Session, site_id: int, *, seed: int, months: int) -> DemoHistory:
    """The history of the laid-out demo market `site_id`: its days and how many are done
    (the buildings' settlements, which every filled day advances by one), and the simulated
    meters where the last filled day left them."""
    site = session.get(Site, site_id)
    tz = zone(site.timezone)
    stall_ids = list(
        session.scalars(select(Stall.id).where(Stall.site_id == site_id).order_by(Stall.id))
    )
    first_day = session.scalar(  # the demo's stalls were all let on its first day
        select(func.min(StallRole.since)).where(StallRole.stall_id == stall_ids[0])
    )
    settled = session.scalar(
        select(func.min(Building.settled_until)).where(Building.site_id == site_id)
    )
    if settled.tzinfo is None:
        settled = settled.replace(tzinfo=UTC)
    done = round((settled - local_midnight(first_day, tz)) / timedelta(days=1))
    admin = session.scalars(
        select(User).where(User.site_id == site_id, User.username == "admin")
    ).one()
    sims = {}
    rows = session.execute(
        select(
            Meter.id,
            Meter.stall_id,
            Meter.channel_id,
            Meter.address,
            Meter.kind,
            Meter.ct_ratio,
            Meter.last_total,
            Meter.last_tariffs,
            Meter.supply_on,
            Meter.master_of_building_id,
        )
        .where(Meter.site_id == site_id)
        .order_by(Meter.id)
    )
    building_of = dict(
        session.execute(select(Stall.id, Stall.building_id).where(Stall.site_id == site_id)).all()
    )
    buildings = list(
        session.scalars(
            select(Building.id).where(Building.site_id == site_id).order_by(Building.id)
        )
    )
    feeds: dict[int, list[float]] = {}  # building id → its half-hours' usage, kWh × 100
    masters = []
    for i, (mid, sid, ch, addr, kind, ct, last_total, last_tariffs, on, master_of) in enumerate(
        rows
    ):
        kind = MeterKind(kind)
        rng = _meter_rng(seed, i)
        if master_of is not None:
            total = rng.randrange(1_000_000, 20_000_000)
            tariffs = [total // 10, total // 4, total // 3, 0]
            tariffs[3] = total - sum(tariffs[:3])
            if last_total is not None:
                total, tariffs = last_total, list(last_tariffs)
            index = buildings.index(master_of)
            master = _Sim(mid, None, ch, addr, kind, 0.0, total, tariffs, ct=ct)
            master.counts = feeds.setdefault(master_of, [0.0] * 48)
            master.loss_key, master.lossy = line_loss_key(index), index == LOSSY_BUILDING
            sims[mid] = master
            masters.append((master, master_of))
            continue
        if kind is MeterKind.ELECTRIC:
            # 0.01 kWh per half hour while trading: 0.3–3 kW, fridges at night. ct meters read 1/ct.
            scale, total = rng.uniform(15, 150) / ct, rng.randrange(10_000, 2_000_000)
            tariffs = [total // 10, total // 4, total // 3, 0]
            tariffs[3] = total - sum(tariffs[:3])
        else:
            scale, total, tariffs = rng.uniform(2, 40), rng.randrange(1_000, 500_000), None
        if last_total is not None:  # where the last filled day left it
            total = last_total
            tariffs = list(last_tariffs) if tariffs is not None else None
        sims[mid] = _Sim(mid, sid, ch, addr, kind, scale, total, tariffs, on is not False, ct)
    for master, building_id in masters:
        fed = [
            m
            for m in sims.values()
            if m.kind is MeterKind.ELECTRIC
            and m.stall_id is not None
            and building_of[m.stall_id] == building_id
        ]
        for m in fed:
            m.feeds = master.counts
        # its half-hour's usage at full load, as the secondary side of its ct reads
        master.scale = sum(m.scale * m.ct for m in fed) / master.ct
    return DemoHistory(
        site_id=site_id,
        seed=seed,
        tz=tz,
        first_day=first_day,
        days=30 * months,
        done=max(0, min(done, 30 * months)),
        actor=Actor(admin.id, admin.username, Role.ADMIN, site_id),
        operator_id=admin.id,
        stall_ids=stall_ids,
        account_of=dict(
            session.execute(
                select(Account.stall_id, Account.id).where(Account.stall_id.in_(stall_ids))
            ).all()
        ),
        topup=_topups(seed, stall_ids),
        stops={sid for i, sid in enumerate(stall_ids) if i % 17 == 3},
        sims=sims,
    )


@dataclass(frozen=True, slots=True)
class FilledDay:
    readings: int
    bills: int
    billed: Decimal


def fill_day(session: Session, history: DemoHistory, d: int, *, now: datetime) -> FilledDay:
    """Day `d` of the demo's history, taken through the same services as a real day: the
    day's collections are ingested, the night's settlement bills them and decides control,
    the simulated meters obey, stalls that ran low recharge, and on the 1st the month's
    property bills are issued; after the last day a shared cost waits to be previewed.
    Transaction: the caller's (one day is consistent on its own). `now`: no recharge is
    dated after it."""
    tz, actor, stall_ids, sims = history.tz, history.actor, history.stall_ids, history.sims
    rng = _day_rng(history.seed, d)
    methods = (PayMethod.CASH, PayMethod.WECHAT, PayMethod.ALIPAY, PayMethod.CARD)
    day = history.first_day + timedelta(days=d)
    midnight = local_midnight(day, tz)
    for s in sims.values():
        if s.counts is not None:
            s.loss = line_loss(history.seed, s.loss_key, day, lossy=s.lossy)
    batch = _day_of_readings(list(sims.values()), midnight, rng)
    ingest(session, batch, now=midnight + timedelta(days=1))
    settled = settle(session, actor, now=midnight + timedelta(days=1, hours=1))
    bills, billed = settled.bills, settled.amount
    # The night is friendly (no cut): the 07:30 collection's control pass trips.
    morning = midnight + timedelta(days=1, hours=7, minutes=30)
    available = reconsider(session, stall_ids, now=morning).available
    _meters_obey(session, history.site_id, sims, morning + timedelta(minutes=2))
    if day.day == 1 or d == 0:
        generated = generate_property_bills(session, actor, day.replace(day=1))
        if generated.bill_ids:
            issue_bills(session, actor, generated.bill_ids)
            bills += len(generated.bill_ids)
            billed += generated.amount
    # Mid-morning the cashier takes the recharges of stalls that ran low.
    due = [
        sid
        for sid in stall_ids
        if available[sid] < 30 and not (sid in history.stops and d >= 30) and rng.random() < 0.6
    ]
    if due:
        # Built before 10:00, today's morning recharges are stamped a minute before now.
        at = min(
            midnight + timedelta(days=1, hours=9, minutes=rng.randrange(60)),
            now - timedelta(minutes=1),
        )
        operator_id = history.operator_id
        post_many(
            session,
            [
                (
                    history.account_of[sid],
                    EntryKind.RECHARGE,
                    history.topup[sid],
                    {
                        "method": methods[sid % 4],
                        "operator_id": operator_id,
                        "at": at,
                        "reason": stored_text(DEMO_RECHARGE),
                    },
                )
                for sid in due
            ],
        )
        reconsider(session, due, now=at)
        _meters_obey(session, history.site_id, sims, at + timedelta(minutes=2))
        _receipts_for_recharges(session, history.site_id, session.get(User, operator_id))
    if d == history.days - 1:
        # A shared cost ready to preview, so the shared-costs view does not open empty.
        create_pool(
            session,
            actor,
            name=f"{BUILDINGS[0].split()[0]}公共照明",
            kind=MeterKind.ELECTRIC,
            method=ShareMethod.BY_AREA,
            building_id=session.scalar(
                select(Building.id)
                .where(Building.site_id == history.site_id)
                .order_by(Building.id)
                .limit(1)
            ),
        )
    history.done = d + 1
    return FilledDay(len(batch), bills, billed)


def _receipts_for_recharges(session: Session, site_id: int, operator: User) -> None:
    """The demo's recharges were posted in bulk; give each that has none its numbered
    receipt, in time order, as the counter does, so the recharge history and the shift
    report show them."""
    rows = session.execute(
        select(LedgerEntry, Account.stall_id)
        .join(Account, Account.id == LedgerEntry.account_id)
        .where(
            LedgerEntry.kind == EntryKind.RECHARGE,
            ~select(Receipt.id).where(Receipt.entry_id == LedgerEntry.id).exists(),
        )
        .order_by(LedgerEntry.at, LedgerEntry.id)
    ).all()
    site = session.get(Site, site_id)
    session.add_all(
        Receipt(
            site_id=site_id,
            no=site.receipt_seq + n,
            entry_id=entry.id,
            stall_id=stall_id,
            kind=entry.kind,
            amount=entry.amount,
            method=entry.method,
            balance_before=entry.balance_after - entry.amount,
            balance_after=entry.balance_after,
            operator_id=operator.id,
            operator_name=operator.display_name,
            at=entry.at,
            print_count=1,
        )
        for n, (entry, stall_id) in enumerate(rows, 1)
    )
    site.receipt_seq += len(rows)
    session.flush()


LOW_STALLS = 12  # stalls the live demo leaves with about an hour of electricity


def leave_little_money(
    session: Session,
    power_kw: dict[int, float],
    *,
    at: datetime,
    hours: float = 1.0,
    count: int = LOW_STALLS,
) -> list[int]:
    """The live demo's first start: the `count` stalls that draw the most power (stall id →
    kW of their simulated meters) keep about `hours` of electricity, through an adjustment
    entry that says so, so that a trip is seen within minutes. Returns those stalls.
    Transaction: the caller's."""
    stall_ids = sorted(power_kw, key=lambda sid: -power_kw[sid])[:count]
    available = available_balances(session, stall_ids)
    accounts = dict(
        session.execute(
            select(Account.stall_id, Account.id).where(Account.stall_id.in_(stall_ids))
        ).all()
    )
    postings = []
    for sid in stall_ids:
        keep = max(
            Decimal(str(round(power_kw[sid] * hours, 2))), Decimal("1.00")
        )  # about 1 yuan a kWh
        cut = (available[sid] - keep).quantize(Decimal("0.01"))
        if cut > 0:
            postings.append(
                (
                    accounts[sid],
                    EntryKind.ADJUSTMENT,
                    -cut,
                    {"at": at, "reason": stored_text(DEMO_LOW_BALANCE)},
                )
            )
    post_many(session, postings)
    reconsider(session, stall_ids, now=at)
    return stall_ids


def _day_of_readings(
    sims: list[_Sim], midnight: datetime, rng: random.Random
) -> list[MeterReading]:
    """48 half-hourly collections of one local day, from 00:00 to 23:30."""
    out = []
    times = [midnight + timedelta(minutes=30 * h) for h in range(48)]
    trading = [
        1.0 if 10 <= h < 38 else 0.15 for h in range(48)
    ]  # 05:00–19:00 trading, fridges at night
    rates = [_rate_at(30 * h) for h in range(48)]
    masters = [s for s in sims if s.counts is not None]
    for s in masters:
        s.counts[:] = [0.0] * 48
    for s in sims:
        if s.counts is not None:
            continue
        rnd = rng.random
        feeds, ct = s.feeds, s.ct
        for h, t in enumerate(times):
            if s.supply_on:
                delta = int(s.scale * trading[h] * (0.6 + 0.8 * rnd()))
                s.total += delta
                if s.tariffs is not None:
                    s.tariffs[rates[h] - 1] += delta
                if feeds is not None:
                    feeds[h] += delta * ct
            last = h == 47
            if s.kind is MeterKind.ELECTRIC:
                out.append(
                    MeterReading(
                        s.channel_id,
                        s.address,
                        s.kind,
                        t,
                        s.total,
                        tuple(s.tariffs),
                        relay_closed=s.supply_on,
                        voltage_v=218 + 4 * rnd() if last else None,
                        current_a=round(s.scale / 50 * trading[h], 2) if last else None,
                        power_kw=round(s.scale / 100 * trading[h] * 2, 3) if last else None,
                        power_factor=0.95 if last else None,
                        frequency_hz=50.0 if last else None,
                    )
                )
            elif h % 2 == 1:  # NB water meters report hourly, the last at 23:30
                out.append(
                    MeterReading(
                        s.channel_id,
                        s.address,
                        s.kind,
                        t,
                        s.total,
                        valve_open=s.supply_on,
                        battery_v=3.6 if last or h == 45 else None,
                        signal_dbm=-85 if last or h == 45 else None,
                        source="upload",
                    )
                )
    for s in masters:  # after the stalls' meters: they count what those counted
        gain, carry = (1 + s.loss) / s.ct, 0.0
        for h, t in enumerate(times):
            exact = s.counts[h] * gain + carry
            delta = int(exact)
            carry = exact - delta
            s.total += delta
            s.tariffs[rates[h] - 1] += delta
            last = h == 47
            out.append(
                MeterReading(
                    s.channel_id,
                    s.address,
                    s.kind,
                    t,
                    s.total,
                    tuple(s.tariffs),
                    relay_closed=True,
                    voltage_v=221.0 if last else None,
                    current_a=round(s.scale / 50 * trading[h], 2) if last else None,
                    power_kw=round(s.scale / 100 * trading[h] * 2, 3) if last else None,
                    power_factor=0.92 if last else None,
                    frequency_hz=50.0 if last else None,
                )
            )
    return out


def _meters_obey(session: Session, site_id: int, sims: dict[int, _Sim], at: datetime) -> None:
    """The simulated comm service: every open supply command succeeds. The same rows as
    control.command_finished writes (command result, meter state, a meter.state audit event
    for each change), in three statements instead of a flush per command."""
    rows = session.execute(
        select(MeterCommand.id, MeterCommand.meter_id, MeterCommand.action, Meter.supply_on)
        .join(Meter, Meter.id == MeterCommand.meter_id)
        .where(
            MeterCommand.status.in_((CommandStatus.PENDING, CommandStatus.SENT)),
            MeterCommand.action.in_(
                (Action.TRIP, Action.CLOSE, Action.VALVE_OPEN, Action.VALVE_CLOSE)
            ),
        )
        .order_by(MeterCommand.id)
    ).all()
    if not rows:
        return
    state: dict[int, bool | None] = {}
    events = []
    for command_id, meter_id, action, supply_on in rows:
        on = Action(action) in (Action.CLOSE, Action.VALVE_OPEN)
        before = state.get(meter_id, supply_on)
        state[meter_id] = on
        sim = sims.get(meter_id)
        if sim is not None:
            sim.supply_on = on
        if before != on:
            events.append(
                {
                    "at": at,
                    "user_id": None,
                    "actor": "system",
                    "action": "meter.state",
                    "entity": "meter",
                    "entity_id": meter_id,
                    "stall_id": sim.stall_id if sim else None,
                    "site_id": site_id,
                    "detail": {
                        "command_id": command_id,
                        "command_action": str(action),
                        "before": before,
                        "after": on,
                    },
                }
            )
    session.execute(
        update(MeterCommand)
        .where(MeterCommand.id.in_([r[0] for r in rows]))
        .values(status=CommandStatus.SUCCEEDED, finished_at=at, result=stored_text(DEMO_DONE))
    )
    for on in (True, False):
        ids = [mid for mid, value in state.items() if value is on]
        if ids:
            session.execute(update(Meter).where(Meter.id.in_(ids)).values(supply_on=on))
    if events:
        session.execute(insert(AuditEvent.__table__), events)
