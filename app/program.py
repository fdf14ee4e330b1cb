"""This program as a command: how to start it again (a child process), how a person types it,
and its version.

Frozen (PyInstaller, `sys.frozen`), the executable is the program and takes the sub-command
itself; from a checkout it is this Python with `-m app`.
"""

from __future__ import annotations

import sys
from importlib import metadata
from pathlib import PureWindowsPath

# Windows: the console program next to the windowed MarketMeter.exe (installer/marketmeter.spec)
CONSOLE_PROGRAM = "MarketMeter-cli.exe"


def command(*args: str) -> list[str]:
    """The command line that runs this program with `args` (e.g. `command("service")`)."""
    if getattr(sys, "frozen", False):
        return [sys.executable, *args]
    return [sys.executable, "-m", "app", *args]


def command_text(*args: str) -> str:
    """How a person types this program with `args` in a command window, for the texts that
    tell a clerk what to run: `python -m app market create` from a checkout; frozen, the
    program's own path (quoted when it has spaces, as under Program Files), on Windows its
    console program, whose output a command window shows."""
    if not getattr(sys, "frozen", False):
        return " ".join(["python -m app", *args])
    exe = sys.executable
    if sys.platform == "win32":
        exe = str(PureWindowsPath(exe).with_name(CONSOLE_PROGRAM))
    shown = f'"{exe}"' if " " in exe else exe
    return " ".join([shown, *args])


def version() -> str:
    """The version in pyproject.toml (the installed package's metadata; the frozen program
    carries it along)."""
    return metadata.version("marketmeter")
