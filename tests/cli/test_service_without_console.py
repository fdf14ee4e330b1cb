"""The collection service started at logon by the setup's scheduled task runs the windowed
program, which has no console: what it says goes to the collection log in the data folder."""

from __future__ import annotations

import io
import sys

from app.cli.service import output_to_log_without_console


def test_without_a_console_the_service_writes_to_its_log_in_the_data_folder(monkeypatch, tmp_path):
    data = tmp_path / "张 三" / "AppData"  # a user name with a space and Chinese
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    monkeypatch.setenv("LOCALAPPDATA", str(data))
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    output_to_log_without_console()
    log = sys.stdout
    try:
        print("抄表服务已启动", flush=True)
        print("error: 串口 COM3 无法打开", file=sys.stderr, flush=True)
    finally:
        log.close()
    written = (data / "MarketMeter" / "logs" / "collection.log").read_text(encoding="utf-8")
    assert written == "抄表服务已启动\nerror: 串口 COM3 无法打开\n"


def test_with_a_console_the_output_stays_there(monkeypatch):
    console = io.StringIO()
    monkeypatch.setattr(sys, "stdout", console)
    monkeypatch.setattr(sys, "stderr", console)
    output_to_log_without_console()
    assert sys.stdout is console and sys.stderr is console
