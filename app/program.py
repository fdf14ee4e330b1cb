"""This program as a command: how to start it again (a child process) and its version.

Frozen (PyInstaller, `sys.frozen`), the executable is the program and takes the sub-command
itself; from a checkout it is this Python with `-m app`.
"""

from __future__ import annotations

import sys
from importlib import metadata


def command(*args: str) -> list[str]:
    """The command line that runs this program with `args` (e.g. `command("service")`)."""
    if getattr(sys, "frozen", False):
        return [sys.executable, *args]
    return [sys.executable, "-m", "app", *args]


def version() -> str:
    """The version in pyproject.toml (the installed package's metadata; the frozen program
    carries it along)."""
    return metadata.version("marketmeter")
