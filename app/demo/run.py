"""The demo: a market like the real one on SQLite, behind the built-in meter simulator.

`python -m app --demo` builds the demo database once (`demo.db` in the user data folder),
then every start runs the simulator and the collection service against it, with a clock
that runs `speed` times faster so that balances visibly fall, meters trip, and close again
after a recharge.
"""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import func, select

from app.comm.simulator.clock import SimClock
from app.comm.simulator.market import MarketSimulator, SimConfig
from app.comm.simulator.physics import MasterMeter
from app.comm.types import ChannelKind, MeterKind
from app.demo import build as demo
from app.models.db import Database, SchemaMismatch, user_data_dir
from app.models.meter import Channel, ControlMode, Meter
from app.models.site import Building, Site, Stall
from app.services.market.channels import sync_channels
from app.services.market.collection import CommService
from app.services.platform.context import Actor, Changes
from app.services.platform.timeutil import zone

log = logging.getLogger(__name__)

DEMO_SEED = 1352
DEMO_ELECTRIC, DEMO_WATER = 474, 417
DEMO_SPEED = 60.0  # a real minute is a market hour: a busy stall's hour of money lasts a minute
POLL_EVERY_REAL_S = 15  # every meter read every 15 real seconds, whatever the speed


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def trading_time(at: datetime, tz) -> datetime:
    """`at`, or the next 09:30 market time unless `at` leaves several trading hours ahead
    (the night is a friendly period in which nobody is cut off, and stalls draw little)."""
    local = at.astimezone(tz)
    if 9 <= local.hour < 13:
        return at
    day = local.date() if local.hour < 9 else local.date() + timedelta(days=1)
    return datetime.combine(day, time(9, 30), tzinfo=tz).astimezone(UTC)


def _power_by_stall(
    session, site_id: int, sim: MarketSimulator, channel_ids: dict[int, int]
) -> dict[int, float]:
    """Peak kW of each stall's simulated electricity meters (for leave_little_money)."""
    sim_channel = {stored: simulated for simulated, stored in channel_ids.items()}
    power: dict[int, float] = {}
    for stall_id, channel_id, address in session.execute(
        select(Meter.stall_id, Meter.channel_id, Meter.address).where(
            Meter.site_id == site_id,
            Meter.is_active,
            Meter.kind == MeterKind.ELECTRIC,
            Meter.supply_on.is_(True),
            Meter.stall_id.is_not(None),
        )
    ):
        sim_meter = sim.meters.get((sim_channel.get(channel_id), address))
        if sim_meter is not None:
            power[stall_id] = power.get(stall_id, 0.0) + sim_meter.physics.profile.peak_kw
    return power


def demo_db_url() -> str:
    return f"sqlite:///{user_data_dir() / 'demo.db'}"


def adopt_simulated_meters(
    session, actor: Actor, sim: MarketSimulator, channel_ids: dict[int, int]
) -> None:
    """Put the demo's meters on the simulator's lines (`channel_ids`: simulator channel id →
    stored channel id), kind by kind in order and the master meters building by building
    onto the simulator's, so that every meter of the database answers on a simulated line."""
    masters = sim.masters()
    for kind, is_master in (
        (MeterKind.ELECTRIC, False),
        (MeterKind.WATER, False),
        (MeterKind.ELECTRIC, True),  # the buildings' master meters on the power room's line
    ):
        simulated = (
            masters
            if is_master
            else [
                m
                for m in sim.meters.values()
                if m.kind == kind and not isinstance(m.physics, MasterMeter)
            ]
        )
        stored = session.scalars(
            select(Meter)
            .where(
                Meter.site_id == actor.site_id,
                Meter.kind == kind,
                Meter.is_active,
                Meter.master_of_building_id.is_not(None)
                if is_master
                else Meter.master_of_building_id.is_(None),
            )
            .order_by(Meter.master_of_building_id, Meter.id)
        ).all()
        for meter in stored:  # free the addresses first: an address is unique on its line
            meter.address = f"tmp-{meter.id}"
        session.flush()
        for meter, sim_meter in zip(stored, simulated, strict=False):
            meter.channel_id = channel_ids[sim_meter.channel_id]
            meter.address = sim_meter.address
            meter.protocol = sim_meter.protocol
            meter.profile = sim_meter.profile
            meter.model = f"{sim_meter.model}-NK" if kind == MeterKind.ELECTRIC else sim_meter.model
        session.flush()


def load_registers_into_simulator(
    session, site_id: int, sim: MarketSimulator, channel_ids: dict[int, int]
) -> None:
    """The simulated meters start where the database's readings end (registers and relay),
    so a restart of the demo reads on without a counter going down."""
    sim_channel = {stored: simulated for simulated, stored in channel_ids.items()}
    now = sim.now()
    for meter in session.scalars(select(Meter).where(Meter.site_id == site_id, Meter.is_active)):
        sim_meter = sim.meters.get((sim_channel.get(meter.channel_id), meter.address))
        if sim_meter is None or meter.last_total is None:
            continue
        physics = sim_meter.physics
        physics.updated_at = now
        if meter.kind == MeterKind.WATER:
            physics.volume_l = float(meter.last_total)
            physics.valve_open = meter.supply_on is not False
            continue
        tariffs = meter.last_tariffs or [0, 0, 0, meter.last_total]
        # Half a register step above each stored value: the meter truncates to 0.01 kWh, and
        # 2202.97 as a float reads back as 2202.96 (a counter that went down, held for a person).
        physics.energy_kwh = [(t + 0.5) / 100 for t in tariffs]
        physics.base_kwh = (meter.last_total - sum(tariffs)) / 100
        if meter.control_mode == ControlMode.FORCED_ON:
            physics.forced_control, physics.forced_trip = True, False
        elif meter.control_mode == ControlMode.FORCED_OFF or meter.supply_on is False:
            physics.forced_control, physics.forced_trip = True, True


def feed_master_meters(
    session, site_id: int, sim: MarketSimulator, channel_ids: dict[int, int]
) -> None:
    """Each building's simulated master meter counts what its stalls' simulated electricity
    meters count, plus the building's line loss (the history's, demo.line_loss_key)."""
    sim_channel = {stored: simulated for simulated, stored in channel_ids.items()}

    def simulated(channel_id: int, address: str):
        return sim.meters.get((sim_channel.get(channel_id), address))

    buildings = session.scalars(
        select(Building.id).where(Building.site_id == site_id).order_by(Building.id)
    ).all()
    for index, building_id in enumerate(buildings):
        for channel_id, address in session.execute(
            select(Meter.channel_id, Meter.address).where(
                Meter.master_of_building_id == building_id,
                Meter.kind == MeterKind.ELECTRIC,
                Meter.is_active,
            )
        ):
            master = simulated(channel_id, address)
            if master is None:
                continue
            feeders = [
                (meter, ct)
                for channel, addr, ct in session.execute(
                    select(Meter.channel_id, Meter.address, Meter.ct_ratio)
                    .join(Stall, Stall.id == Meter.stall_id)
                    .where(
                        Stall.building_id == building_id,
                        Meter.kind == MeterKind.ELECTRIC,
                        Meter.is_active,
                    )
                )
                if (meter := simulated(channel, addr)) is not None
            ]
            sim.feed_master(
                master,
                feeders,
                loss_key=demo.line_loss_key(index),
                lossy=index == demo.LOSSY_BUILDING,
            )


class DemoMarket:
    def __init__(
        self,
        db_url: str | None = None,
        *,
        speed: float = DEMO_SPEED,
        electric: int = DEMO_ELECTRIC,
        water: int = DEMO_WATER,
        months: int = 3,
        poll_every_s: float = POLL_EVERY_REAL_S,
    ) -> None:
        self.db = Database(db_url or demo_db_url())
        self.speed = speed
        self.poll_every_s = poll_every_s
        self.electric, self.water, self.months = electric, water, months
        self.sim: MarketSimulator | None = None
        self.service: CommService | None = None
        self.low_stalls: list[int] = []
        self.channel_ids: dict[int, int] = {}  # simulator channel id → stored channel id

    def site_id(self) -> int | None:
        with self.db.transaction() as s:
            return s.scalar(select(Site.id).order_by(Site.id).limit(1))

    def lay_out(self) -> int:
        """Lay out the demo market unless the database already has one (under a second);
        returns the site id. Its history follows with `fill`."""
        self.db.upgrade()
        site_id = self.site_id()
        if site_id is None:
            log.info("laying out the demo market (once)")
            with self.db.transaction() as s:
                demo.lay_out_demo(
                    s, electric=self.electric, water=self.water, months=self.months, seed=DEMO_SEED
                )
            site_id = self.site_id()
        return site_id

    def history(self) -> demo.DemoHistory:
        with self.db.transaction() as s:
            return demo.demo_history(s, self.site_id(), seed=DEMO_SEED, months=self.months)

    def is_filled(self) -> bool:
        history = self.history()
        return history.done >= history.days

    def fill(
        self,
        on_step: Callable[[int, int], None] | None = None,
        stop: threading.Event | None = None,
    ) -> bool:
        """Fill the laid-out demo market's history, each day one transaction, from where an
        earlier fill stopped; True when it is complete, False when `stop` was set first.
        `on_step(days_done, days)` after each day (called on the filling thread). The
        market is consistent between any two days, so a fill stopped however it stops (the
        window closed, the process killed) leaves the days before it and carries on later."""
        history = self.history()
        now = datetime.now(UTC)
        if history.done < history.days:
            log.info("filling the demo history from day %d of %d", history.done, history.days)
        while history.done < history.days:
            if stop is not None and stop.is_set():
                return False
            with self.db.transaction() as s:
                demo.fill_day(s, history, history.done, now=now)
            if on_step is not None:
                on_step(history.done, history.days)
        return True

    def prepare(self, on_step: Callable[[int, int], None] | None = None) -> int:
        """Build the demo market unless the database already has it all (laid out, history
        filled); returns the site id."""
        site_id = self.lay_out()
        self.fill(on_step)
        return site_id

    def is_built(self) -> bool:
        self.db.upgrade()
        return self.site_id() is not None

    def is_outdated(self) -> bool:
        """The demo database was made by a build whose schema this one cannot upgrade."""
        try:
            self.db.upgrade()
        except SchemaMismatch as exc:
            log.info("the demo database is built again: %s", exc.english)
            return True
        return False

    def discard(self) -> None:
        """Delete the demo database (it holds nothing but the demo) so it is built again."""
        url = self.db.url
        self.db.dispose()
        path = Path(self.db.engine.url.database)
        for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            p.unlink(missing_ok=True)
        self.db = Database(url)

    def start(
        self,
        on_change: Callable[[Changes], None] | None = None,
        on_meters: Callable[[list[int]], None] | None = None,
    ) -> CommService:
        """Run the simulator and the collection service against the demo database (a few
        seconds: call it off the GUI thread). The first start puts the meters on the
        simulator's lines and leaves a few busy stalls with about an hour of electricity."""
        site_id = self.prepare()
        with self.db.transaction() as s:
            latest = s.scalar(select(func.max(Meter.last_read_at)).where(Meter.site_id == site_id))
            tz = zone(s.get(Site, site_id).timezone)
            masters = s.scalar(
                select(func.count())
                .select_from(Meter)
                .where(
                    Meter.site_id == site_id,
                    Meter.is_active,
                    Meter.kind == MeterKind.ELECTRIC,
                    Meter.master_of_building_id.is_not(None),
                )
            )
        start = trading_time(max(datetime.now(UTC), latest or datetime.now(UTC)), tz)
        dial_port = _free_port()  # 4G meters and DTUs all dial in to one listener
        config = SimConfig(
            electric=self.electric,
            water=self.water,
            seed=DEMO_SEED,
            speed=self.speed,
            poll_interval_s=int(self.poll_every_s * self.speed),
            report_interval_s=self.poll_every_s * self.speed,
            upload_interval_s=self.poll_every_s * self.speed,
            dial_host="127.0.0.1",
            dial_port=dial_port,
            masters=masters,
            master_ct=demo.MASTER_CT,
        )
        sim = MarketSimulator(config)
        sim.clock = SimClock(self.speed, start=start)
        sim.start()
        self.sim = sim
        actor = Actor.system(site_id)
        with self.db.transaction() as s:
            channel_ids = sync_channels(s, actor, sim.channels())
            for channel in s.scalars(select(Channel).where(Channel.site_id == site_id)):
                # the builder's placeholder lines have no simulator behind them
                channel.is_enabled = channel.id in channel_ids.values()
            if s.scalar(
                select(func.count())
                .select_from(Meter)
                .where(
                    Meter.site_id == site_id,
                    Meter.is_active,
                    Meter.channel_id.not_in(channel_ids.values()),
                )
            ):
                adopt_simulated_meters(s, actor, sim, channel_ids)
                self.low_stalls = demo.leave_little_money(
                    s, _power_by_stall(s, site_id, sim, channel_ids), at=start, hours=0.5
                )
            load_registers_into_simulator(s, site_id, sim, channel_ids)
            feed_master_meters(s, site_id, sim, channel_ids)
        self.channel_ids = channel_ids
        self.service = CommService(
            self.db,
            site_id,
            clock=sim.clock,
            speed=self.speed,
            on_change=on_change,
            on_meters=on_meters,
            settle_every_s=max(5.0, 600 / self.speed),
        )
        self.service.start()
        sim.connect_dialers("127.0.0.1", dial_port)
        for channel in sim.channels():
            if channel.kind == ChannelKind.CTWING:
                sim.set_push_url(self.service.poller.push_url(channel_ids[channel.id]))
        return self.service

    def stop(self) -> None:
        """Stop the collection service and the simulator (the database stays open for the
        window, which disposes of it)."""
        service, self.service = self.service, None
        sim, self.sim = self.sim, None
        if service is not None:
            service.stop()
        if sim is not None:
            sim.stop()
