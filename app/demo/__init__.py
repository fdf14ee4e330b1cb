"""The demo market: `build` makes its database once, `run` starts it behind the simulator."""
