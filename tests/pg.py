"""A throw-away PostgreSQL server for the test session (initdb + pg_ctl on 127.0.0.1)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


class PgUnavailable(Exception):
    pass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    def __init__(self) -> None:
        if not shutil.which("initdb") or not shutil.which("pg_ctl"):
            raise PgUnavailable("initdb / pg_ctl not found on PATH (install PostgreSQL 15 server)")
        self.root = Path(tempfile.mkdtemp(prefix="mm-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.as_root = os.geteuid() == 0
        if self.as_root:
            # initdb refuses to run as root: the cluster belongs to the postgres user.
            shutil.chown(self.root, "postgres", "postgres")

    def _run(self, *cmd: str) -> None:
        full = (["runuser", "-u", "postgres", "--"] if self.as_root else []) + list(cmd)
        result = subprocess.run(full, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise PgUnavailable(f"{' '.join(cmd[:2])} failed: {result.stderr.strip()[-500:]}")

    def start(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")
        opts = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        self._run("pg_ctl", "-D", str(self.data), "-o", opts, "-l", str(self.root / "log"), "-w", "start")

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{dbname}"
