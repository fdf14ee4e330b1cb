"""What a simulated meter measures: load profiles, TOU tariffs, relay and valve logic.

A meter is updated lazily: `advance(now)` integrates its load from the last update to
`now` in steps of at most `STEP_S` (sim time), so 20,000 meters cost nothing while
nobody reads them. Everything is deterministic from (seed, meter key): the same seed
gives the same market.

Energy is kept in kWh (float) and shown in the meter's unit (0.01 kWh) by the registers;
water in litres. No energy flows while the relay is open, no water while the valve is
closed, unless a tamper case (below) goes round them.
"""

from __future__ import annotations

import math
import random
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

STEP_S = 300.0
CST_OFFSET = timedelta(hours=8)  # China Standard Time, the market's wall clock

# Simple TOU period table (分时电价时段), hour -> tariff index 0 尖 / 1 峰 / 2 平 / 3 谷.
# Follows a common provincial split: 谷 23-07, 峰 08-11 and 18-23, 尖 19-21 in summer
# simplified to all year, 平 the rest.
TOU_TABLE: tuple[int, ...] = (
    3,
    3,
    3,
    3,
    3,
    3,
    3,  # 00-06 谷
    2,  # 07 平
    1,
    1,
    1,  # 08-10 峰
    2,
    2,
    2,
    2,
    2,
    2,
    2,  # 11-17 平
    1,  # 18 峰
    0,
    0,  # 19-20 尖
    1,
    1,  # 21-22 峰
    3,  # 23 谷
)


def tariff_at(at: datetime) -> int:
    # China Standard Time: the market's wall clock drives the TOU periods
    return TOU_TABLE[(at + CST_OFFSET).hour]


def _seeded(seed: int, key: str) -> random.Random:
    return random.Random(zlib.crc32(f"{seed}:{key}".encode()))


@dataclass(slots=True)
class LoadProfile:
    """Power (kW) of a stall over the day: base + business-hours hump + a little noise."""

    base_kw: float
    peak_kw: float
    open_hour: float
    close_hour: float
    noise: float
    phase: float

    @classmethod
    def for_meter(cls, seed: int, key: str, *, scale: float = 1.0) -> "LoadProfile":
        rnd = _seeded(seed, key)
        return cls(
            base_kw=rnd.uniform(0.02, 0.3) * scale,
            peak_kw=rnd.uniform(0.3, 4.0) * scale,
            open_hour=rnd.uniform(5.0, 9.0),
            close_hour=rnd.uniform(18.0, 22.0),
            noise=rnd.uniform(0.02, 0.15),
            phase=rnd.uniform(0, 2 * math.pi),
        )

    def power_at(self, at: datetime) -> float:
        local = at + CST_OFFSET
        hour = local.hour + local.minute / 60 + local.second / 3600
        load = self.base_kw
        if self.open_hour <= hour <= self.close_hour:
            span = self.close_hour - self.open_hour
            load += self.peak_kw * math.sin(math.pi * (hour - self.open_hour) / span)
        # deterministic wobble: no random state, so reads do not change the future
        load *= 1.0 + self.noise * math.sin(hour * 7.3 + self.phase)
        return max(0.0, load)


@dataclass(slots=True)
class ElectricMeter:
    """One prepaid electricity meter: energy registers, instantaneous values and relay.

    Relay logic has two sources of truth, as on the real meters:
    - Acrel forced control (PROTOCOLS.md §1.4, register 0x0057/0x0058): `forced_control`
      on → relay follows `forced_trip`; off → the meter's own prepaid logic decides
      (closed while remaining money > 0);
    - DL/T 645 1C (§2.4): 1A trip, 1B/1C close, 3A 保电 (trip rejected with ERR 0x04),
      3B 保电 release. Modelled with the same two flags: 保电 = forced close.
    """

    address: str
    profile: LoadProfile
    updated_at: datetime
    energy_kwh: list[float] = field(default_factory=lambda: [0.0, 0.0, 0.0, 0.0])  # 尖峰平谷
    base_kwh: float = 0.0  # total = base + sum of tariffs; the base keeps totals realistic
    forced_control: bool = False
    forced_trip: bool = False
    protected: bool = False  # DL/T 645 保电 (3A): trips are refused
    remaining_money_fen: int = 50_000_00
    purchase_count: int = 1
    voltage_v: float = 220.0
    frequency_hz: float = 50.0
    power_factor: float = 0.95
    meter_type: int = 7  # 0x0200: 7 = DDSY1352
    # What a market's safety alerts look for, as a real meter would show it:
    bypass: bool = False  # load wired past the relay (or welded contacts): metered while open
    extra_load_kw: float = 0.0  # a heater left on: overload, load at night
    register_stuck: bool = False  # the energy registers stop while the load goes on
    reverse_kw: float = 0.0  # power fed back: the reverse energy register (00020000) advances
    reverse_kwh: float = 0.0
    cover_opens: int = 0  # 开表盖总次数 (03300D00), one more each time the cover is opened

    @classmethod
    def create(cls, address: str, seed: int, now: datetime, *, key: str = "") -> "ElectricMeter":
        rnd = _seeded(seed, "e" + (key or address))
        meter = cls(
            address=address, profile=LoadProfile.for_meter(seed, key or address), updated_at=now
        )
        meter.base_kwh = round(rnd.uniform(100, 20_000), 2)
        share = (0.1, 0.35, 0.35, 0.2)
        meter.energy_kwh = [round(meter.base_kwh * s * rnd.uniform(0.1, 0.3), 2) for s in share]
        meter.voltage_v = rnd.uniform(216, 232)
        meter.power_factor = rnd.uniform(0.85, 0.99)
        return meter

    @property
    def relay_closed(self) -> bool:
        if self.protected:
            return True
        if self.forced_control:
            return not self.forced_trip
        return self.remaining_money_fen > 0

    @property
    def forced_mode(self) -> str | None:
        if self.protected or (self.forced_control and not self.forced_trip):
            return "forced_on"
        if self.forced_control and self.forced_trip:
            return "forced_off"
        return None

    def advance(self, now: datetime) -> None:
        t = self.updated_at
        if now <= t:
            return
        while t < now:
            step = min(STEP_S, (now - t).total_seconds())
            mid = t + timedelta(seconds=step / 2)
            if self.relay_closed or self.bypass:
                if not self.register_stuck:
                    self.energy_kwh[tariff_at(mid)] += self.load_kw(mid) * step / 3600.0
                self.reverse_kwh += self.reverse_kw * step / 3600.0
            t += timedelta(seconds=step)
        self.updated_at = now

    # ------------------------------------------------------------------ values as read
    def load_kw(self, at: datetime) -> float:
        return self.profile.power_at(at) + self.extra_load_kw

    def power_kw(self, now: datetime) -> float:
        return self.load_kw(now) if self.relay_closed or self.bypass else 0.0

    def values(self, now: datetime) -> dict[str, float | int | bool | None]:
        """Everything a profile may map to registers, in engineering units."""
        self.advance(now)
        p = self.power_kw(now)
        s = p / self.power_factor if p else 0.0
        q = math.sqrt(max(0.0, s * s - p * p))
        current = s * 1000 / self.voltage_v if s else 0.0
        tariffs = [int(e * 100) / 100 for e in self.energy_kwh]
        local = now + CST_OFFSET
        return {
            "meter_type": self.meter_type,
            "total_kwh": round(self.base_kwh + sum(tariffs), 2),
            "spike_kwh": tariffs[0],
            "peak_kwh": tariffs[1],
            "flat_kwh": tariffs[2],
            "valley_kwh": tariffs[3],
            "voltage_v": round(self.voltage_v, 1),
            "current_a": round(current, 2),
            "power_kw": round(p, 3),
            "reactive_kvar": round(q, 3),
            "apparent_kva": round(s, 3),
            "power_factor": round(self.power_factor if p else 1.0, 3),
            "frequency_hz": self.frequency_hz,
            "relay_closed": self.relay_closed,
            "forced_control": self.forced_control,
            "forced_trip": self.forced_trip,
            "forced_mode": self.forced_mode,
            "protected": self.protected,
            "remaining_money": self.remaining_money_fen / 100,
            "reverse_kwh": int(self.reverse_kwh * 100) / 100,
            "cover_opens": self.cover_opens,
            "purchase_count": self.purchase_count,
            "arrears": self.remaining_money_fen <= 0,
            "clock": local.replace(tzinfo=None),
        }

    # ------------------------------------------------------------------ control
    def set_forced_control(self, control: bool, trip: bool, now: datetime) -> None:
        """Acrel 0x0057/0x0058 write: word1 forced control on/off, word2 1 trip / 0 close."""
        self.advance(now)
        self.forced_control, self.forced_trip = control, trip
        self.protected = False

    def dlt645_control(self, n1: int, now: datetime) -> int | None:
        """DL/T 645-2007 1C with control type N1; returns an ERR byte or None when done."""
        self.advance(now)
        if n1 == 0x1A:  # trip
            if self.protected:
                return 0x04  # 保电 blocks trips (PROTOCOLS.md §2.4, [S17])
            self.forced_control, self.forced_trip = True, True
        elif n1 in (0x1B, 0x1C):  # close allowed / direct close
            self.forced_control, self.forced_trip = False, False
        elif n1 == 0x3A:  # 保电
            self.protected = True
            self.forced_control, self.forced_trip = False, False
        elif n1 == 0x3B:  # 保电 release
            self.protected = False
        elif n1 in (0x2A, 0x2B):  # alarm / alarm release: accepted, no relay change
            pass
        else:
            return 0x01
        return None

    def open_cover(self, now: datetime) -> None:
        """Someone opens the meter's cover: the meter counts it (DL/T 645 event record)."""
        self.advance(now)
        self.cover_opens += 1

    def reset_counters(self, now: datetime) -> None:
        """Misbehaviour: the registers start again from zero (meter replaced / cleared)."""
        self.advance(now)
        self.base_kwh = 0.0
        self.energy_kwh = [0.0, 0.0, 0.0, 0.0]


def line_loss(seed: int, key: str, day: date, *, lossy: bool = False) -> float:
    """The share of a building's energy lost between its master meter (总表) and its stalls'
    meters on a local day: 2–4.5 %, varying by day; a `lossy` building (old cables) loses
    5.5–7.5 % on about one day in four. The demo's history and its live simulator both
    draw it here, so a day reads the same loss whichever made it."""
    rnd = _seeded(seed, f"loss:{key}:{day.isoformat()}")
    if lossy and rnd.random() < 0.25:
        return rnd.uniform(0.055, 0.075)
    return rnd.uniform(0.02, 0.045)


@dataclass(slots=True)
class MasterMeter(ElectricMeter):
    """A building's master meter (总表) behind a current transformer: its registers count
    what its `feeders` (the stalls' meters, each with the ct ratio they are stored with)
    count, plus the day's line loss, divided by its own `ct` (it shows the secondary side).
    Never tripped: the office does not cut a whole building."""

    ct: int = 1
    seed: int = 0
    loss_key: str = ""  # whose losses (line_loss): the same building, the same days
    lossy: bool = False
    feeders: list[tuple[ElectricMeter, int]] = field(default_factory=list)
    seen: list[list[float]] = field(default_factory=list)  # the feeders' registers as counted

    def feed(self, feeders: list[tuple[ElectricMeter, int]], now: datetime) -> None:
        """Count from `now` on what `feeders` count (their registers as they stand at `now`)."""
        for meter, _ct in feeders:
            meter.advance(now)
        self.feeders, self.seen = feeders, [list(m.energy_kwh) for m, _ in feeders]
        self.updated_at = max(self.updated_at, now)

    def _gain(self, at: datetime) -> float:
        return (
            1 + line_loss(self.seed, self.loss_key, (at + CST_OFFSET).date(), lossy=self.lossy)
        ) / self.ct

    def advance(self, now: datetime) -> None:
        if now <= self.updated_at:
            return
        gain = self._gain(now)
        for (meter, ct), seen in zip(self.feeders, self.seen, strict=True):
            meter.advance(now)
            for t, kwh in enumerate(meter.energy_kwh):
                if kwh > seen[t]:  # a feeder whose registers were reset adds nothing
                    self.energy_kwh[t] += (kwh - seen[t]) * ct * gain
                seen[t] = kwh
        self.updated_at = now

    def load_kw(self, at: datetime) -> float:
        return sum(m.power_kw(at) * ct for m, ct in self.feeders) * self._gain(at)

    @property
    def relay_closed(self) -> bool:
        return True


@dataclass(slots=True)
class WaterMeter:
    """One NB-IoT water meter: cumulative volume (litres), valve, battery and signal."""

    device_id: str
    imei: str
    updated_at: datetime
    rate_lph: float  # average litres per hour while the stall is open
    open_hour: float
    close_hour: float
    volume_l: float = 0.0
    valve_open: bool = True
    leak_lph: float = 0.0  # past the closed valve: a bypass pipe, a valve that leaks
    battery_v: float = 3.6
    signal_dbm: float = -85.0

    @classmethod
    def create(cls, device_id: str, imei: str, seed: int, now: datetime) -> "WaterMeter":
        rnd = _seeded(seed, "w" + device_id)
        return cls(
            device_id=device_id,
            imei=imei,
            updated_at=now,
            rate_lph=rnd.uniform(5, 120),
            open_hour=rnd.uniform(5.0, 9.0),
            close_hour=rnd.uniform(18.0, 22.0),
            volume_l=round(rnd.uniform(1_000, 900_000)),
            battery_v=round(rnd.uniform(3.3, 3.65), 2),
            signal_dbm=round(rnd.uniform(-110, -70)),
        )

    def flow_lph(self, at: datetime) -> float:
        if not self.valve_open:
            return self.leak_lph
        local = at + CST_OFFSET
        hour = local.hour + local.minute / 60
        return self.rate_lph if self.open_hour <= hour <= self.close_hour else self.rate_lph * 0.02

    def advance(self, now: datetime) -> None:
        t = self.updated_at
        while t < now:
            step = min(STEP_S, (now - t).total_seconds())
            self.volume_l += self.flow_lph(t + timedelta(seconds=step / 2)) * step / 3600.0
            t += timedelta(seconds=step)
        self.updated_at = max(self.updated_at, now)

    def set_valve(self, open_: bool, now: datetime) -> None:
        self.advance(now)
        self.valve_open = open_

    def values(self, now: datetime) -> dict[str, float | int | bool]:
        self.advance(now)
        return {
            "volume_l": int(self.volume_l),
            "valve_open": self.valve_open,
            "battery_v": self.battery_v,
            "signal_dbm": self.signal_dbm,
        }

    def reset_counters(self, now: datetime) -> None:
        self.advance(now)
        self.volume_l = 0.0


# What a market's safety alerts look for, as `sim --tamper CASE[:FRACTION]` sets it up on a
# fraction of the electricity meters (the water cases on the water meters): each case is what
# the meter's registers, status word and event records then show (PROTOCOLS.md §2.5, §2.6),
# as on a real meter.
TAMPER_CASES = ("bypass", "overload", "night_load", "stuck", "reverse", "cover_open", "leak")
WATER_TAMPER_CASES = frozenset({"leak"})


def tamper(meter: ElectricMeter | WaterMeter, case: str, now: datetime) -> None:
    """Set up one case on a meter: `bypass` trips its relay (forced off) while a 2 kW load
    goes round it; `overload` adds a 15 kW load, `night_load` a steady 3 kW one (also while
    the market is closed); `stuck` stops its energy registers; `reverse` feeds 1.5 kW back;
    `cover_open` opens its cover once; `leak` closes a water meter's valve while 200 L/h
    still flow past it."""
    water = case in WATER_TAMPER_CASES
    if water != isinstance(meter, WaterMeter):
        raise ValueError(
            f"tamper case {case!r} is for {'water' if water else 'electricity'} meters"
        )
    meter.advance(now)
    if case == "leak":
        meter.set_valve(False, now)
        meter.leak_lph = 200.0
    elif case == "bypass":
        meter.set_forced_control(True, True, now)
        meter.bypass, meter.extra_load_kw = True, 2.0
    elif case == "overload":
        meter.extra_load_kw = 15.0
    elif case == "night_load":
        meter.extra_load_kw = 3.0
    elif case == "stuck":
        meter.register_stuck = True
    elif case == "reverse":
        meter.reverse_kw = 1.5
    elif case == "cover_open":
        meter.open_cover(now)
    else:
        raise ValueError(f"unknown tamper case {case!r}; one of {', '.join(TAMPER_CASES)}")


def parse_tamper(spec: str) -> tuple[str, float]:
    """CLI form `CASE[:FRACTION]` (default fraction 0.01), e.g. `overload:0.05`."""
    case, _, fraction = spec.partition(":")
    if case not in TAMPER_CASES:
        raise ValueError(f"unknown tamper case {case!r}; one of {', '.join(TAMPER_CASES)}")
    share = float(fraction) if fraction else 0.01
    if not 0 <= share <= 1:
        raise ValueError(f"fraction {share} is not 0..1")
    return case, share
