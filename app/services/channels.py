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
    gateway list) and bind the meters they list: a meter is its address on its line, so an
    endpoint is the meter with that address on that channel, or else the one meter of that
    kind and address that has no line yet.

    Returns {config id: channel id}. Permission: admin. Transaction: the caller's.
    Audit: channel.sync with the counts."""
    require(actor, doing="设置通讯通道")
    existing = {c.name: c for c in session.scalars(select(Channel).where(Channel.site_id == actor.site_id))}
    active = session.scalars(select(Meter).where(Meter.site_id == actor.site_id, Meter.is_active)).all()
    on_line = {(m.channel_id, m.address): m for m in active if m.channel_id is not None}
    unbound: dict[tuple, list[Meter]] = {}
    for m in active:
        if m.channel_id is None:
            unbound.setdefault((m.kind, m.address), []).append(m)
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
            meter = on_line.get((channel.id, endpoint.address))
            if meter is None and len(unbound.get((endpoint.kind, endpoint.address), ())) == 1:
                meter = unbound.pop((endpoint.kind, endpoint.address))[0]
            if meter is not None:
                meter.channel_id = channel.id
                meter.protocol = endpoint.protocol
                meter.profile = endpoint.profile
                bound += 1
    session.flush()
    audit(session, actor, "channel.sync", "channel", None, channels=len(ids), meters_bound=bound)
    return ids
