"""`python installer/build.py`: the frozen one-folder program in dist/MarketMeter/ (PyInstaller,
installer/marketmeter.spec), then its size. Needs `pip install -e ".[build]"`."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "installer" / "marketmeter.spec"
DIST = ROOT / "dist"
PROGRAM = DIST / "MarketMeter"


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


def main() -> int:
    started = time.monotonic()
    try:
        exe = build()
    except subprocess.CalledProcessError as exc:
        print(f"build failed (PyInstaller exit code {exc.returncode})", file=sys.stderr)
        return 1
    files = sum(1 for f in PROGRAM.rglob("*") if f.is_file())
    print(f"built {exe} in {time.monotonic() - started:.0f} s")
    print(f"{PROGRAM}: {folder_size(PROGRAM) / 2**20:.1f} MiB in {files} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
