"""Comm channels (通道) in the database, and binding meters to them."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.comm.types import ChannelConfig
from app.models.meter import Channel, Meter
from app.services.audit import audit
from app.services.context import Actor, require


def sync_channels(session: Session, actor: Actor, configs: Sequence[ChannelConfig]) -> dict[int, int]:
    """Create or update channels by name from `configs` (e.g. a simulator's manifest or a
    gateway list) and bind the meters they list, found by kind and address, to them.

    Returns {config id: channel id}. Permission: admin. Transaction: the caller's.
    Audit: channel.sync with the counts."""
    require(actor, doing="设置通讯通道", doing_en="set up communication channels")
    existing = {c.name: c for c in session.scalars(select(Channel).where(Channel.site_id == actor.site_id))}
    meters = {
        (m.kind, m.address): m
        for m in session.scalars(select(Meter).where(Meter.site_id == actor.site_id, Meter.is_active))
    }
    ids, bound = {}, 0
    for config in configs:
        channel = existing.get(config.name)
        if channel is None:
            channel = Channel(site_id=actor.site_id, name=config.name, kind=config.kind)
            session.add(channel)
        channel.kind = config.kind
        channel.settings = dict(config.settings)
        channel.poll_interval_s = config.poll_interval_s
        channel.timeout_s = config.timeout_s
        channel.retries = config.retries
        channel.offline_after_failures = config.offline_after_failures
        session.flush()
        ids[config.id] = channel.id
        for endpoint in config.meters:
            meter = meters.get((endpoint.kind, endpoint.address))
            if meter is not None:
                meter.channel_id = channel.id
                meter.protocol = endpoint.protocol
                meter.profile = endpoint.profile
                bound += 1
    session.flush()
    audit(session, actor, "channel.sync", "channel", None, channels=len(ids), meters_bound=bound)
    return ids
