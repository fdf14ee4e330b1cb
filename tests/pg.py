"""A throw-away PostgreSQL server for the test session (initdb + pg_ctl on 127.0.0.1)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

# Debian keeps the server binaries out of PATH, one folder per major version.
_DEBIAN_BINS = "/usr/lib/postgresql/*/bin"


class PgUnavailable(Exception):
    pass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _bin_dir() -> Path | None:
    """Where initdb and pg_ctl are: on PATH, else the newest Debian server package."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(on_path).parent
    found = [
        Path(d)
        for d in glob.glob(_DEBIAN_BINS)
        if (Path(d) / "initdb").exists() and (Path(d) / "pg_ctl").exists()
    ]
    return max(
        found, key=lambda d: int(d.parent.name) if d.parent.name.isdigit() else 0, default=None
    )


def _runuser() -> str:
    # In /usr/sbin, which a CI's PATH may lack.
    return shutil.which("runuser") or shutil.which("runuser", path="/usr/sbin:/sbin") or "runuser"


class PgServer:
    def __init__(self) -> None:
        self.bin = _bin_dir()
        if self.bin is None:
            raise PgUnavailable(
                f"initdb / pg_ctl not found on PATH nor in {_DEBIAN_BINS} "
                "(install PostgreSQL 15 server: apt-get install postgresql)"
            )
        self.root = Path(tempfile.mkdtemp(prefix="mm-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.as_root = os.geteuid() == 0
        if self.as_root:
            # initdb refuses to run as root: the cluster belongs to the postgres user.
            shutil.chown(self.root, "postgres", "postgres")

    def _run(self, program: str, *args: str) -> None:
        cmd = [str(self.bin / program), *args]
        full = ([_runuser(), "-u", "postgres", "--"] if self.as_root else []) + cmd
        try:
            result = subprocess.run(full, capture_output=True, text=True, timeout=120)
        except OSError as exc:
            raise PgUnavailable(f"cannot run {full[0]}: {exc}") from exc
        if result.returncode != 0:
            raise PgUnavailable(
                f"{program} {args[0] if args else ''} failed: {result.stderr.strip()[-500:]}"
            )

    def start(self, fsync: bool = False) -> None:
        """fsync off by default: a throw-away test cluster need not survive a power cut, and
        the tests run several times faster. bench/settle.py also measures with it on."""
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        durability = "on" if fsync else "off"
        for attempt in range(3):
            opts = (
                f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                f"-c fsync={durability} -c max_connections=200"
            )
            try:
                self._run(
                    "pg_ctl",
                    "-D",
                    str(self.data),
                    "-o",
                    opts,
                    "-l",
                    str(self.root / "log"),
                    "-w",
                    "start",
                )
                return
            except PgUnavailable:
                # the free port was taken before the server bound it (another test worker
                # starting its own server, or any program): another one
                if attempt == 2:
                    raise
                self.port = _free_port()

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{dbname}"
