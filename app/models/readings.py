"""Packed 30-minute readings of one meter and one local day (`MeterDay.samples`).

20,000 meters read every 30 minutes make about a million readings a day, so a reading is
not a row. A day's readings are one byte string of samples, each a delta against the
sample before it, appended in SQL (`samples = samples || :blob`):

    samples := sample sample …
    sample  := head  dt  total  [t1 t2 t3 t4]

    head   1 byte   bits 0-1: source (0 poll, 1 upload, 2 manual, 3 other)
                    bit 2:    the four tariff registers follow (尖 峰 平 谷)
    dt     varint   seconds since the previous sample; for the first sample of the day,
                    zigzag(seconds − day × 86400)  (the day is a local date, so may be < 0)
    total  zigzag varint   total register − previous sample's (first sample: absolute)
    t1…t4  zigzag varints  tariff registers − previous sample's (absolute when the previous
                           sample had none)

    varint: 7 bits a byte, low first, high bit = more follows (as in protobuf)
    zigzag: 0 → 0, −1 → 1, 1 → 2, −2 → 3 … so small negative deltas stay one byte

A typical 30-minute sample takes 1 + 2 + 1 + 4 = 8 bytes. The first sample of a day is
absolute, so every day decodes alone and dropping old days' samples (retention) breaks no
chain. The row's close_ts / close_total / close_tariffs are the last sample's values, which
the next append is encoded against (and guarded on).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

SOURCES = ("poll", "upload", "manual", "other")
SOURCE_CODE = {name: i for i, name in enumerate(SOURCES)}
HAS_TARIFFS = 0b100


@dataclass(frozen=True, slots=True)
class Sample:
    ts: int  # epoch seconds (UTC)
    total: int
    tariffs: tuple[int, int, int, int] | None
    source: str


def _zigzag(n: int) -> int:
    return n << 1 if n >= 0 else ((-n) << 1) - 1


def _unzigzag(n: int) -> int:
    return n >> 1 if not n & 1 else -((n + 1) >> 1)


def pack(
    samples: Sequence[tuple[int, int, Sequence[int] | None, str]],
    *,
    day: int,
    previous: tuple[int, int, Sequence[int] | None] | None = None,
) -> bytes:
    """Encode (ts, total, tariffs, source) samples. `previous` is the (ts, total, tariffs) of
    the row's last sample when appending; None when these start the day."""
    out = bytearray()
    put = out.append
    prev = previous
    for ts, total, tariffs, source in samples:
        put(SOURCE_CODE.get(source, 3) | (HAS_TARIFFS if tariffs is not None else 0))
        if prev is None:
            values = [_zigzag(ts - day * 86400), _zigzag(total)]
            base = None
        else:
            if ts <= prev[0]:
                raise ValueError("samples must be in time order")
            d = total - prev[1]
            values = [ts - prev[0], d << 1 if d >= 0 else ((-d) << 1) - 1]
            base = prev[2]
        if tariffs is not None:
            for i, v in enumerate(tariffs):
                d = v - base[i] if base is not None else v
                values.append(d << 1 if d >= 0 else ((-d) << 1) - 1)
        for v in values:  # varints, inlined: this runs a million times a day
            while v > 0x7F:
                put((v & 0x7F) | 0x80)
                v >>= 7
            put(v)
        prev = (ts, total, tariffs)
    return bytes(out)


def unpack(blob: bytes | None, *, day: int) -> list[Sample]:
    out: list[Sample] = []
    if not blob:
        return out
    pos, n = 0, len(blob)
    ts = total = 0
    tariffs: tuple[int, int, int, int] | None = None
    first = True

    def varint() -> int:
        nonlocal pos
        shift = value = 0
        while True:
            b = blob[pos]
            pos += 1
            value |= (b & 0x7F) << shift
            if b < 0x80:
                return value
            shift += 7

    while pos < n:
        head = blob[pos]
        pos += 1
        if first:
            ts = day * 86400 + _unzigzag(varint())
            total = _unzigzag(varint())
        else:
            ts += varint()
            total += _unzigzag(varint())
        if head & HAS_TARIFFS:
            base = tariffs if tariffs is not None and not first else (0, 0, 0, 0)
            # type: ignore[assignment]
            tariffs = tuple(base[i] + _unzigzag(varint()) for i in range(4))
        else:
            tariffs = None
        first = False
        out.append(Sample(ts, total, tariffs, SOURCES[head & 0b11]))
    return out
