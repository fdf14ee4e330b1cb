"""`app.program`: the command that starts this program again (a child process) and its version."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from app import program

ROOT = Path(__file__).resolve().parents[1]


def test_the_command_runs_this_program_with_the_arguments_given():
    done = subprocess.run(
        program.command("--version"), capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"MarketMeter {project['version']}"


def test_frozen_the_executable_itself_takes_the_sub_command(monkeypatch):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", r"C:\Program Files\MarketMeter\MarketMeter.exe")
    assert program.command("service", "--until-stdin-closes") == [
        r"C:\Program Files\MarketMeter\MarketMeter.exe",
        "service",
        "--until-stdin-closes",
    ]
