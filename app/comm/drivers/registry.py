"""Which driver speaks which meter protocol: the one table the channels look drivers up in.

The drivers know only `base`; this table knows the drivers, so dependencies point one way
(channels → registry → dlt645 / modbus → base). A new protocol's driver is one line here.
"""

from __future__ import annotations

from collections.abc import Callable

from app.comm.drivers import dlt645, modbus
from app.comm.drivers.base import Driver
from app.comm.types import MeterEndpoint, Protocol

DRIVERS: dict[Protocol, Callable[..., Driver]] = {
    Protocol.MODBUS_ACREL: modbus.make,
    Protocol.DLT645_2007: dlt645.make_2007,
    Protocol.DLT645_1997: dlt645.make_1997,
}


def driver_for(endpoint: MeterEndpoint, framing: str = "rtu", **options) -> Driver:
    """The driver for a meter's protocol. framing: "rtu" (serial, serial server, DTU, 4G
    payload) or "mbap" (Modbus TCP gateway)."""
    try:
        factory = DRIVERS[endpoint.protocol]
    except KeyError:
        raise ValueError(f"no driver for protocol {endpoint.protocol!r}") from None
    return factory(endpoint, framing, **options)
