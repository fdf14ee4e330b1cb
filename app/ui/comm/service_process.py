"""The collection service as a child process of the client (`--collect`).

Reading 20,000 meters inside the client shared its GIL and garbage collector with the GUI
thread (stalls up to ~150 ms); as `python -m app service` in its own process it shares
neither. The child's standard input is a pipe held by the client: closing it (the window
closes) or the client dying ends the service. Its output goes to a log file in the user's
data folder; the chosen monitor port comes back in a ready file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from app import program
from app.models.db import collection_log_path

ROOT = Path(__file__).resolve().parents[3]


def log_path() -> Path:
    return collection_log_path()


class ServiceNotStarted(Exception):
    """The child ended (`exit_code`) or gave no sign of life before it was reading meters."""

    def __init__(self, exit_code: int | None, log_file: Path) -> None:
        super().__init__(
            f"collection service did not start (exit code {exit_code}); see {log_file}"
        )
        self.exit_code = exit_code
        self.log_file = log_file


class ServiceProcess:
    def __init__(
        self, db_url: str, *, log_file: Path | None = None, extra_args: tuple[str, ...] = ()
    ) -> None:
        self.db_url = db_url
        self.log_file = log_file or log_path()
        self.extra_args = extra_args
        self.process: subprocess.Popen | None = None
        self.monitor_port: int | None = None
        self._stopping = False

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def start(self, timeout_s: float = 180.0) -> int:
        """Start the child and wait until it reads the meters; returns its monitor port.
        Blocks (call it off the GUI thread); raises ServiceNotStarted."""
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        try:  # the previous run's log is kept once
            os.replace(self.log_file, self.log_file.with_name(self.log_file.name + ".old"))
        except OSError:  # none yet, or still open in a service that runs on (Windows): appended to
            pass
        ready = Path(tempfile.mkdtemp(prefix="mm-service-")) / "ready.json"
        # the URL in the environment, not on the command line: it may hold a password
        env = {**os.environ, "MARKETMETER_DB": self.db_url, "PYTHONIOENCODING": "utf-8"}
        if not getattr(sys, "frozen", False):  # `-m app` finds this source tree from any folder
            env["PYTHONPATH"] = os.pathsep.join(
                p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p
            )
        command = [
            *program.command("service", "--until-stdin-closes"),
            "--monitor-port",
            "0",
            "--ready-file",
            str(ready),
            *self.extra_args,
        ]
        with self.log_file.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
            )
        try:
            deadline = time.monotonic() + timeout_s
            while not ready.exists():
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise ServiceNotStarted(self.process.returncode, self.log_file)
                time.sleep(0.05)
            self.monitor_port = json.loads(ready.read_text(encoding="utf-8"))["monitor_port"]
        finally:
            ready.unlink(missing_ok=True)
            ready.parent.rmdir()
        return self.monitor_port

    def watch(self, on_exit: Callable[[int], None]) -> None:
        """`on_exit(exit code)` on a daemon thread if the child ends without `stop()`."""

        def wait() -> None:
            code = self.process.wait()
            if not self._stopping:
                on_exit(code)

        threading.Thread(target=wait, name="service-watch", daemon=True).start()

    def stop(self, timeout_s: float = 15.0) -> None:
        """Close the child's input (it stops its poller and exits), killing it if it has
        not within `timeout_s`."""
        self._stopping = True
        process = self.process
        if process is None:
            return
        try:
            process.stdin.close()
        except OSError:
            pass  # the pipe is already broken: the child is on its way out
        try:
            process.wait(timeout_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
