"""The kinds of channel, each with how to build its runtime: the one table the poller uses.

The poller knows this table, the table knows each kind, and no kind knows the poller (they
talk to it as a `ChannelContext`): dependencies point one way. A new kind of channel is a
module here and one line in KINDS.
"""

from __future__ import annotations

from collections.abc import Callable

from app.comm.channels.base import (
    ChannelContext,
    ChannelRuntime,
    build_gateway_channel,
    build_serial_channel,
)
from app.comm.channels.ctwing import build_ctwing_channel
from app.comm.channels.dialin import build_dialin_channel
from app.comm.types import ChannelConfig, ChannelKind

# (config, the poller, the listeners and push receivers channels share) -> runtime
KINDS: dict[ChannelKind, Callable[[ChannelConfig, ChannelContext, dict], ChannelRuntime]] = {
    ChannelKind.SERIAL: build_serial_channel,
    ChannelKind.SERIAL_SERVER: build_gateway_channel,
    ChannelKind.MODBUS_TCP: build_gateway_channel,
    ChannelKind.DTU: build_dialin_channel,
    ChannelKind.ACREL_4G: build_dialin_channel,
    ChannelKind.CTWING: build_ctwing_channel,
}


def build_channel(config: ChannelConfig, ctx: ChannelContext, hubs: dict) -> ChannelRuntime:
    """Runtime for one channel; dial-in listeners / push servers shared via `hubs`."""
    try:
        build = KINDS[config.kind]
    except KeyError:
        raise ValueError(f"channel {config.id}: unknown kind {config.kind!r}") from None
    return build(config, ctx, hubs)
