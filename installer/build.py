"""`python installer/build.py`: the frozen one-folder program in dist/MarketMeter/ (PyInstaller,
installer/marketmeter.spec), then its size. Needs `pip install -e ".[build]"`.

`--installer` also compiles installer/marketmeter.nsi with NSIS's makensis into
dist/MarketMeter-setup-VERSION.exe (`--installer-only`: from the folder already built)."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "installer" / "marketmeter.spec"
DIST = ROOT / "dist"
PROGRAM = DIST / "MarketMeter"
NSI = ROOT / "installer" / "marketmeter.nsi"
# where NSIS's own installer (and `choco install nsis`) puts makensis when it is not on PATH
_WINDOWS_NSIS = ("NSIS/makensis.exe", "NSIS/Bin/makensis.exe")


def executable() -> Path:
    return PROGRAM / ("MarketMeter.exe" if sys.platform == "win32" else "MarketMeter")


def folder_size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink())


def build() -> Path:
    """Build dist/MarketMeter/ afresh; returns the executable. Raises CalledProcessError."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level=WARN",
            "--distpath",
            str(DIST),
            "--workpath",
            str(ROOT / "build" / "pyinstaller"),
            str(SPEC),
        ],
        cwd=ROOT,
        check=True,
    )
    return executable()


def version() -> str:
    """The version in pyproject.toml (a checkout need not be installed to be packed)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return project["version"]


def file_version(text: str) -> str:
    """Windows' four numbers of a version: "0.1.0" → "0.1.0.0", "1.2.3rc1" → "1.2.3.0"."""
    numbers = [re.match(r"\d*", part).group() or "0" for part in text.split(".")[:4]]
    return ".".join((numbers + ["0"] * 4)[:4])


def makensis() -> str | None:
    """NSIS's compiler: on PATH (Debian's `nsis`, a CI image), else where it installs on Windows."""
    found = shutil.which("makensis")
    if found:
        return found
    for base in (os.environ.get("ProgramFiles(x86)"), os.environ.get("ProgramFiles")):
        for rel in _WINDOWS_NSIS:
            if base and (Path(base) / rel).is_file():
                return str(Path(base) / rel)
    return None


def installer(program: Path = PROGRAM, out: Path | None = None, compress: bool = True) -> Path:
    """Compile the setup program from the built folder `program`; returns the setup .exe.
    `compress=False` leaves out the LZMA pass (minutes on two cores; for tests). Raises
    FileNotFoundError without makensis, CalledProcessError when it fails."""
    compiler = makensis()
    if compiler is None:
        raise FileNotFoundError(
            "makensis not found: install NSIS 3 (apt-get install nsis, choco install nsis)"
        )
    v = version()
    out = out or DIST / f"MarketMeter-setup-{v}.exe"
    out.unlink(missing_ok=True)
    subprocess.run(
        [
            compiler,
            "-V2",  # warnings and errors only
            "-WX",  # a warning is an error: a missing file must not make a setup without it
            f"-DVERSION={v}",
            f"-DFILEVERSION={file_version(v)}",
            f"-DSRCDIR={program}",
            f"-DOUTFILE={out}",
            *([] if compress else ["-DNOCOMPRESS"]),
            str(NSI),
        ],
        cwd=ROOT,
        check=True,
    )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python installer/build.py", description=__doc__)
    parser.add_argument("--installer", action="store_true", help="then the setup .exe (NSIS)")
    parser.add_argument(
        "--installer-only", action="store_true", help="only the setup .exe, from dist/MarketMeter"
    )
    args = parser.parse_args(argv)
    if not args.installer_only:
        started = time.monotonic()
        try:
            exe = build()
        except subprocess.CalledProcessError as exc:
            print(f"build failed (PyInstaller exit code {exc.returncode})", file=sys.stderr)
            return 1
        files = sum(1 for f in PROGRAM.rglob("*") if f.is_file())
        print(f"built {exe} in {time.monotonic() - started:.0f} s")
        print(f"{PROGRAM}: {folder_size(PROGRAM) / 2**20:.1f} MiB in {files} files")
    if args.installer or args.installer_only:
        if not executable().is_file():
            print(f"{executable()} is missing: run python installer/build.py", file=sys.stderr)
            return 1
        started = time.monotonic()
        try:
            setup = installer()
        except FileNotFoundError as exc:
            print(exc, file=sys.stderr)
            return 1
        except subprocess.CalledProcessError as exc:
            print(f"makensis failed (exit code {exc.returncode})", file=sys.stderr)
            return 1
        print(
            f"built {setup} in {time.monotonic() - started:.0f} s: "
            f"{setup.stat().st_size / 2**20:.1f} MiB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
