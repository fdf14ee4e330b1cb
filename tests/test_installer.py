"""The setup program (installer/marketmeter.nsi) compiled by NSIS's makensis, as on the Windows
build machine: here from a small stand-in of the one-folder program (tests/test_frozen.py packs
the real frozen build). 7-Zip reads an NSIS setup's contents, so the files it would install
are listed without running it."""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from installer import build
from tests.conftest import need_tool


def makensis() -> str:
    found = build.makensis()
    if found is None:
        need_tool("NSIS", "makensis not found (apt-get install nsis)")
    return found


def contents(setup: Path) -> list[str]:
    """The paths the setup carries, as 7-Zip lists them."""
    seven = shutil.which("7z")
    if seven is None:
        need_tool("7-Zip", "7z not found (apt-get install p7zip-full)")
    listing = subprocess.run(
        [seven, "l", "-slt", "-sccUTF-8", str(setup)], capture_output=True, check=True
    )
    return [
        line.removeprefix("Path = ")
        for line in listing.stdout.decode("utf-8").splitlines()[1:]
        if line.startswith("Path = ")
    ]


def assert_windows_program(setup: Path) -> bytes:
    """A PE file (MZ header pointing at "PE\\0\\0") with the project's version in its version
    information (UTF-16, as Windows' file properties show it)."""
    data = setup.read_bytes()
    assert data[:2] == b"MZ"
    (pe_offset,) = struct.unpack_from("<I", data, 0x3C)
    assert data[pe_offset : pe_offset + 4] == b"PE\0\0"
    assert build.version().encode("utf-16-le") in data
    return data


def stand_in(folder: Path) -> Path:
    """What dist/MarketMeter/ looks like, small: the executable and _internal/ with a resource
    in a folder whose name has a space and Chinese."""
    (folder / "_internal" / "resources" / "收据 模板").mkdir(parents=True)
    (folder / "MarketMeter.exe").write_bytes(b"MZ stand-in")
    (folder / "_internal" / "resources" / "收据 模板" / "a.toml").write_text("x = 1\n")
    return folder


def test_the_setup_carries_the_program_and_its_uninstaller(tmp_path):
    makensis()
    program = stand_in(tmp_path / "MarketMeter")
    setup = build.installer(program, tmp_path / "MarketMeter-setup.exe")
    assert_windows_program(setup)
    carried = contents(setup)
    assert "MarketMeter.exe" in carried
    assert "_internal/resources/收据 模板/a.toml" in carried
    assert "uninstall.exe" in carried


def test_no_setup_from_a_folder_without_the_program(tmp_path):
    """A wrong or empty SRCDIR must not give a setup that installs nothing (makensis -WX)."""
    makensis()
    setup = tmp_path / "MarketMeter-setup.exe"
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(subprocess.CalledProcessError):
        build.installer(empty, setup)
    assert not setup.exists()
    # the same call with the program in the folder makes the setup: only the empty folder failed
    build.installer(stand_in(empty), setup)
    assert setup.is_file()


def test_no_setup_without_the_version(tmp_path):
    compiler = makensis()
    program = stand_in(tmp_path / "MarketMeter")
    setup = tmp_path / "MarketMeter-setup.exe"
    done = subprocess.run(
        [compiler, f"-DSRCDIR={program}", f"-DOUTFILE={setup}", str(build.NSI)],
        capture_output=True,
    )
    assert done.returncode != 0
    assert b"-DVERSION" in done.stdout + done.stderr
    assert not setup.exists()


@pytest.mark.parametrize(
    ("version", "numbers"),
    [("0.1.0", "0.1.0.0"), ("1.2.3rc1", "1.2.3.0"), ("2", "2.0.0.0"), ("1.2.3.4.5", "1.2.3.4")],
)
def test_windows_file_version_has_four_numbers(version, numbers):
    assert build.file_version(version) == numbers
