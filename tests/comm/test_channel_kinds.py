"""The tables the poller builds channels and drivers from, and a channel's settings."""

import pytest

from app.comm.channels.kinds import KINDS, build_channel
from app.comm.drivers.registry import DRIVERS, driver_for
from app.comm.types import ChannelConfig, ChannelKind, MeterEndpoint, MeterKind, Protocol


def test_every_kind_of_channel_can_be_built():
    assert set(KINDS) == set(ChannelKind)


def test_every_protocol_polled_over_a_line_has_its_driver():
    # CTWing water meters are read through the platform's pushes, not polled by a driver
    assert set(DRIVERS) == set(Protocol) - {Protocol.CTWING_WATER}
    water = MeterEndpoint(1, "1", MeterKind.WATER, Protocol.CTWING_WATER)
    with pytest.raises(ValueError, match="no driver for protocol"):
        driver_for(water)


def test_a_channel_setting_falls_back_to_its_default_and_a_missing_required_one_is_named():
    config = ChannelConfig(
        7, "A区网关", ChannelKind.SERIAL_SERVER, {"host": "10.0.0.5", "port": ""}
    )
    assert config.setting("host") == "10.0.0.5"
    assert config.setting("connect_timeout_s", 3.0) == 3.0
    with pytest.raises(ValueError, match=r"channel 7 \(A区网关\): setting 'port' is required"):
        config.setting("port", required=True)
    with pytest.raises(ValueError, match="setting 'port' is required"):
        build_channel(config, ctx=None, hubs={})
