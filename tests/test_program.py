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


def test_the_texts_name_the_program_as_typed_from_a_checkout():
    assert program.command_text("market", "create") == "python -m app market create"


def test_frozen_on_windows_the_texts_name_the_console_program_quoted(monkeypatch):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(sys, "executable", r"C:\Program Files\MarketMeter\MarketMeter.exe")
    assert program.command_text("service") == (
        r'"C:\Program Files\MarketMeter\MarketMeter-cli.exe" service'
    )


def test_frozen_elsewhere_the_texts_name_the_executable_itself(monkeypatch):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/opt/MarketMeter/MarketMeter")
    assert program.command_text("restore", "FILE") == "/opt/MarketMeter/MarketMeter restore FILE"


def test_the_frozen_command_line_tells_the_next_step_with_its_own_name(
    monkeypatch, tmp_path, capsys
):
    from app.cli import main

    url = f"sqlite:///{tmp_path / 'market.db'}"
    assert main(["--db", url, "db", "upgrade"]) == 0
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/opt/Market Meter/MarketMeter")
    monkeypatch.setenv("MARKETMETER_LANG", "en")
    capsys.readouterr()
    assert main(["--db", url, "market", "list"]) == 0
    said = capsys.readouterr().out
    assert '"/opt/Market Meter/MarketMeter" market create --name NAME' in said
    assert "python -m app" not in said
