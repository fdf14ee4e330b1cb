"""How fast the program makes its first impression.

    python bench/first_start.py [--runs 3] [--skip-demo]

1. `python -m app --demo` on a fresh user profile (HOME, XDG folders and APPDATA in a temp
   folder): seconds from the start to the main window shown, and to the demo's history
   filled in (behind the window).
2. Seconds from the start to the sign-in dialog on an existing database (the demo database
   of step 1, or a fresh demo's layout with --skip-demo), unfrozen (`python -m app --db`)
   and frozen (dist/MarketMeter/MarketMeter, when `python installer/build.py` made it);
   the best and the median of --runs starts.

The program prints `marketmeter-mark <moment> <epoch>` on stderr when MARKETMETER_MARKS is
set (app/ui/main.py `mark`); Qt runs offscreen, so no screen is needed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from installer.build import executable  # noqa: E402


def profile_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        APPDATA=str(home / "AppData" / "Roaming"),
        LOCALAPPDATA=str(home / "AppData" / "Local"),
        QT_QPA_PLATFORM="offscreen",
        MARKETMETER_MARKS="1",
    )
    return env


def cpu_seconds(pid: int) -> float:
    """The process's CPU time so far (Linux; 0 elsewhere): on a busy machine the wall time
    includes waiting for a core, this does not."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def until_marks(cmd: list[str], env: dict, wanted: list[str], timeout_s: float = 900):
    """Start `cmd`, read its marks until the last of `wanted`, end it; {moment: seconds,
    "moment cpu": the CPU seconds it had used by then}."""
    started = time.time()
    proc = subprocess.Popen(
        cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    seen: dict[str, float] = {}
    try:
        for line in proc.stderr:
            if line.startswith("marketmeter-mark "):
                _, moment, at = line.split()
                seen[moment] = float(at) - started
                seen[f"{moment} cpu"] = cpu_seconds(proc.pid)
                if all(w in seen for w in wanted):
                    break
            if time.time() - started > timeout_s:
                break
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    missing = [w for w in wanted if w not in seen]
    if missing:
        raise SystemExit(f"{' '.join(cmd)}: no mark {missing} (exit code {proc.returncode})")
    return seen


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--skip-demo", action="store_true", help="lay the demo out, do not time it")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="mm-first-start-") as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        env = profile_env(home)
        python = [sys.executable, "-m", "app"]
        if args.skip_demo:
            subprocess.run([*python, "--demo", "--screenshot", str(Path(tmp) / "x.png")], env=env)
        else:
            seen = until_marks([*python, "--demo"], env, ["window", "demo-filled"])
            moments = (("window", "main window shown"), ("demo-filled", "history filled"))
            for moment, what in moments:
                print(
                    f"--demo, fresh profile: {what} after {seen[moment]:.1f} s "
                    f"({seen[moment + ' cpu']:.1f} s CPU)"
                )
        demo_db = next(home.rglob("demo.db"))
        starts = {"unfrozen": [*python, "--db", f"sqlite:///{demo_db}"]}
        if executable().is_file():
            starts["frozen"] = [str(executable()), "--db", f"sqlite:///{demo_db}"]
        else:
            print("frozen: dist/MarketMeter not built (python installer/build.py)")
        for name, cmd in starts.items():
            until_marks(cmd, env, ["sign-in"])  # the first start fills the OS file cache
            runs = [until_marks(cmd, env, ["sign-in"]) for _ in range(args.runs)]
            figures = [r["sign-in"] for r in runs]
            print(
                f"{name}: sign-in dialog on an existing database after "
                f"{min(figures):.2f} s best, {statistics.median(figures):.2f} s median "
                f"of {args.runs} ({min(r['sign-in cpu'] for r in runs):.2f} s CPU best)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
