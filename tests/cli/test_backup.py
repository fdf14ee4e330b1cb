"""`python -m app backup` and `restore`, run as ops run them."""

from __future__ import annotations

import hashlib
from pathlib import Path

from tests.builders import Market
from tests.cli.test_cli import run


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_backup_then_restore_from_the_command_line(sqlite_db, tmp_path):
    Market(sqlite_db).a_stall("A001", balance="12.30")
    url = sqlite_db.url
    sqlite_db.dispose()
    env = {"XDG_DATA_HOME": str(tmp_path / "data")}
    out = tmp_path / "copy.db"

    made = run(url, "backup", "--out", str(out), env=env)
    assert made.returncode == 0, made.stderr
    assert "备份已写入" in made.stdout and "全部 1 个账户余额与流水合计一致" in made.stdout
    assert out.exists()

    asked = run(url, "restore", str(out), env=env, stdin="no\n")
    assert asked.returncode == 1 and "没有恢复" in asked.stdout

    junk = tmp_path / "junk.db"
    junk.write_text("not a backup")
    live = Path(url.split("///", 1)[1])
    before = digest(live)
    refused = run(url, "restore", str(junk), "--yes", env=env)
    assert refused.returncode == 2 and "不是 MarketMeter 的备份文件" in refused.stderr
    assert "Traceback" not in refused.stderr and digest(live) == before

    done = run(url, "restore", str(out), "--yes", env={**env, "MARKETMETER_LANG": "en"})
    assert done.returncode == 0, done.stderr
    assert "The database is restored from" in done.stdout and "before-restore" in done.stdout
