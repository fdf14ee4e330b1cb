"""A whole market of simulated meters (see market.py): `MarketSimulator(SimConfig(...))`."""

from app.comm.simulator.manifest import load_manifest
from app.comm.simulator.market import MarketSimulator, SimConfig

__all__ = ["MarketSimulator", "SimConfig", "load_manifest"]
