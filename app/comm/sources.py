"""Which source addresses a listener takes (channel setting `allowed_sources`).

A 4G meter, a DTU or the CTWing platform reaches us from networks the office knows (the
operator's APN range, CTWing's push servers); anything else on the internet that finds the
port is refused before it can say anything. Empty: every source (identity and token checks
still apply).
"""

from __future__ import annotations

import ipaddress

Networks = tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]


def parse_networks(value) -> Networks:
    """ "10.8.0.0/16, 203.0.113.7" or a list of such texts -> networks; ValueError names the bad
    one."""
    items = (
        value.replace("，", ",").replace(";", ",").split(",")
        if isinstance(value, str)
        else list(value or ())
    )
    networks = []
    for item in (str(i).strip() for i in items):
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ValueError(item) from None
    return tuple(networks)


def is_allowed(address: str, networks: Networks) -> bool:
    if not networks:
        return True
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return False
    if getattr(ip, "ipv4_mapped", None) is not None:
        ip = ip.ipv4_mapped  # a dual-stack listener sees IPv4 peers as ::ffff:a.b.c.d
    return any(ip.version == net.version and ip in net for net in networks)
