"""The frozen program (PyInstaller, `python installer/build.py`) as a clerk's PC runs it: no
Python, a fresh user profile, only what dist/MarketMeter/ carries. Built once for the module;
each command runs with a clean environment (as `env -i`: HOME and the XDG folders in tmp,
offscreen Qt, a PATH without Python); the collection service child, started the client's way,
gets those on top of the test's environment."""

from __future__ import annotations

import http.client
import json
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
import requests
from PIL import Image
from PyInstaller.archive.readers import CArchiveReader

from app.demo.run import DEMO_ELECTRIC, DemoMarket
from app.models.db import head_revision
from app.services.money.ledger import balances_off_ledger
from app.ui.comm.service_process import ServiceProcess
from installer import build
from tests.test_installer import assert_windows_program, contents, makensis

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


@pytest.fixture(scope="module")
def frozen() -> Path:
    """dist/MarketMeter/MarketMeter, built afresh."""
    started = time.monotonic()
    exe = build.build()
    print(
        f"\nfrozen build: {time.monotonic() - started:.0f} s, "
        f"{build.folder_size(build.PROGRAM) / 2**20:.0f} MiB"
    )
    assert exe.is_file()
    return exe


@pytest.fixture
def clean_env(tmp_path) -> dict[str, str]:
    """A fresh user profile in tmp and nothing else (no Python anywhere on PATH). The user's
    name has a space and Chinese, as a clerk's Windows account may: the data folder, its
    database, backups and logs are below it."""
    home = tmp_path / "张 三"
    empty_bin = tmp_path / "bin"
    runtime = tmp_path / "run"
    for folder in (home, empty_bin, runtime):
        folder.mkdir()
    runtime.chmod(0o700)
    env = {
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_RUNTIME_DIR": str(runtime),
        "QT_QPA_PLATFORM": "offscreen",
        "PATH": str(empty_bin),
    }
    assert shutil.which("python3", path=env["PATH"]) is None
    return env


def data_folder(env: dict[str, str]) -> Path:
    """The user's data folder of the frozen program (app.models.db.user_data_dir) in `env`."""
    return Path(env["XDG_DATA_HOME"]) / "MarketMeter"


def run(exe: Path, env: dict, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    started = time.monotonic()
    done = subprocess.run(
        [str(exe), *args], env=env, capture_output=True, timeout=timeout, cwd=env["HOME"]
    )
    print(f"frozen {' '.join(args)}: {time.monotonic() - started:.1f} s")
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-3000:]
    return done


def test_the_frozen_program_says_its_version_and_makes_a_new_database(frozen, clean_env, tmp_path):
    shown = run(frozen, clean_env, "--version")
    assert shown.stdout.decode().strip() == f"MarketMeter {PROJECT['version']}"

    database = tmp_path / "新 市场" / "market.db"  # a folder with a space and Chinese
    database.parent.mkdir()
    run(frozen, clean_env, "--db", f"sqlite:///{database}", "db", "upgrade")
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (head_revision(),)
        ]
        assert conn.execute("SELECT count(*) FROM stall").fetchone() == (0,)


def test_the_frozen_program_runs_in_utf8_mode_with_its_icon(frozen):
    """A Chinese Windows' code page is GBK: the bootloader starts Python with -X utf8 so logs,
    files and the command line's output are UTF-8 (Linux here is UTF-8 anyway: the option is
    read from the executable's archive, where the bootloader reads it)."""
    options = CArchiveReader(str(frozen)).options
    assert "X utf8" in options
    assert (build.PROGRAM / "_internal" / "resources" / "marketmeter.png").is_file()


def test_the_frozen_demo_shows_its_main_window(frozen, clean_env, tmp_path):
    picture = tmp_path / "demo.png"
    run(frozen, clean_env, "--demo", "--screenshot", str(picture), timeout=600)
    assert picture.stat().st_size > 20_000
    with Image.open(picture) as image:
        assert image.format == "PNG"
        # the main window fitted to the offscreen screen (800×800), not an empty stub
        assert 700 <= image.width <= 800 and 700 <= image.height <= 800
        assert len(image.convert("RGB").getcolors(maxcolors=1 << 16) or ()) > 50
    # the picture shows the market laid out, its history to fill in behind the window on a
    # start without --screenshot: the stalls are there, every balance equals its ledger
    demo = DemoMarket(f"sqlite:///{Path(clean_env['XDG_DATA_HOME']) / 'MarketMeter' / 'demo.db'}")
    with demo.db.reading() as s:
        assert balances_off_ledger(s) == []
    history = demo.history()
    assert len(history.stall_ids) == DEMO_ELECTRIC and history.done < history.days
    demo.db.dispose()
    # the second start opens the demo market laid out by the first
    again = tmp_path / "again.png"
    run(frozen, clean_env, "--demo", "--screenshot", str(again), timeout=600)
    assert again.stat().st_size > 20_000


def test_collect_starts_the_frozen_program_as_the_collection_service(
    frozen, clean_env, tmp_path, monkeypatch
):
    database = tmp_path / "market.db"
    url = f"sqlite:///{database}"
    run(frozen, clean_env, "--db", url, "db", "upgrade")
    run(frozen, clean_env, "--db", url, "market", "create", "--name", "测试市场")
    # the client as the frozen program: its child is the same executable with `service`
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(frozen))
    for name, value in clean_env.items():
        monkeypatch.setenv(name, value)
    service = ServiceProcess(url)  # the log in the user's data folder
    started = time.monotonic()
    port = service.start(timeout_s=120)
    print(f"frozen collection service ready: {time.monotonic() - started:.1f} s")
    try:
        assert service.process.args[:2] == [str(frozen), "service"]
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/errors?since=0")
        answer = connection.getresponse()
        assert answer.status == 200
        assert json.loads(answer.read())["items"] == []
    finally:
        service.stop()
    assert service.log_file.parent == data_folder(clean_env) / "logs"
    assert service.process.returncode == 0, service.log_file.read_text(encoding="utf-8")
    assert service.log_file.stat().st_size > 0

    # a checked backup into the backups folder of the same data folder
    run(frozen, clean_env, "--db", url, "backup")
    backups = list((data_folder(clean_env) / "backups").glob("marketmeter-*.db"))
    assert len(backups) == 1 and backups[0].stat().st_size > 0


def test_the_frozen_program_serves_the_tenants_portal(frozen, clean_env, tmp_path):
    """`portal` runs from the frozen folder: its templates, style sheet and words come along,
    and `--workers 2` starts two workers, each the frozen program itself."""
    url = f"sqlite:///{tmp_path / 'market.db'}"
    run(frozen, clean_env, "--db", url, "market", "create", "--name", "惠民市场")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    portal = subprocess.Popen(
        [str(frozen), "--db", url, "portal", "--host", "127.0.0.1", "--port", str(port)]
        + ["--workers", "2"],
        env=clean_env,
        cwd=clean_env["HOME"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                page = requests.get(f"http://127.0.0.1:{port}/sign-in", timeout=5)
                break
            except requests.ConnectionError:
                assert portal.poll() is None, portal.stdout.read().decode(errors="replace")
                assert time.monotonic() < deadline, "the frozen portal did not answer in 120 s"
                time.sleep(0.5)
        assert page.status_code == 200
        assert "租户自助服务" in page.text and "/static/portal.css" in page.text
        assert requests.get(f"http://127.0.0.1:{port}/static/portal.css", timeout=5).ok
    finally:
        portal.terminate()
        said = portal.communicate(timeout=30)[0].decode(errors="replace")
    assert said.count("Started server process") == 2, said


def test_makensis_packs_the_frozen_program_into_a_setup(frozen, tmp_path):
    """The setup script compiled against this build (the Linux folder stands in for the Windows
    one: the same layout): every file of the folder is in the setup. Uncompressed: LZMA takes
    minutes here (tests/test_installer.py compiles the compressed setup of a small folder)."""
    makensis()
    started = time.monotonic()
    setup = build.installer(
        build.PROGRAM, tmp_path / f"MarketMeter-setup-{PROJECT['version']}.exe", compress=False
    )
    size_mib = setup.stat().st_size / 2**20
    print(f"makensis: {time.monotonic() - started:.0f} s, setup {size_mib:.1f} MiB")
    assert_windows_program(setup)
    carried = set(contents(setup))
    folder = {
        f.relative_to(build.PROGRAM).as_posix() for f in build.PROGRAM.rglob("*") if f.is_file()
    }
    assert folder <= carried, sorted(folder - carried)[:10]
    assert {frozen.name, "uninstall.exe"} <= carried
