"""A database made by an older (or other) build: no traceback at start. A real database is
upgraded when Alembic can, else the clerk reads what happened and what to do and the
program exits non-zero with the file unchanged; the demo database is built again."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog
from sqlalchemy import create_engine, text

from app.demo.run import DemoMarket
from app.models import Base
from app.models.db import Database, SchemaMismatch, alembic_config
from app.ui.main import prepare_demo

ROOT = Path(__file__).resolve().parents[2]


def a_database(path: Path, *statements: str) -> str:
    """A migrated SQLite file, then `statements` run on it; returns its URL."""
    url = f"sqlite:///{path}"
    db = Database(url)
    db.upgrade()
    with db.engine.begin() as conn:
        for sql in statements:
            conn.exec_driver_sql(sql)
    db.dispose()
    return url


def start_client(url: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        PYTHONPATH=str(ROOT),
    )
    return subprocess.run(
        [sys.executable, "-m", "app", "--db", url, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_database_of_an_unknown_schema_revision_is_refused_in_plain_words_and_left_as_it_was(
    tmp_path,
):
    path = tmp_path / "old.db"
    url = a_database(path, "UPDATE alembic_version SET version_num = '0042_future'")
    before = digest(path)

    done = start_client(url, tmp_path, "--lang", "en", "--screenshot", str(tmp_path / "shot.png"))

    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert "made by another version of MarketMeter (schema 0042_future)" in done.stderr
    assert "Open it with the version that made it" in done.stderr
    assert digest(path) == before

    cli = start_client(url, tmp_path, "db", "upgrade")
    assert cli.returncode != 0 and "Traceback" not in cli.stderr and "0042_future" in cli.stderr


def test_a_database_that_lacks_tables_is_refused_with_what_is_missing(tmp_path):
    url = a_database(
        tmp_path / "old.db", "DROP TABLE bill_line", "ALTER TABLE site DROP COLUMN timezone"
    )

    done = start_client(
        url, tmp_path, "--lang", "zh_CN", "--screenshot", str(tmp_path / "shot.png")
    )

    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert (
        "缺少本版本需要的表或字段" in done.stderr
        and "bill_line" in done.stderr
        and "site.timezone" in done.stderr
    )


def test_tables_without_a_revision_are_used_when_complete(tmp_path):
    url = f"sqlite:///{tmp_path / 'made.db'}"
    engine = create_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    db = Database(url)
    db.upgrade()
    head = ScriptDirectory.from_config(
        alembic_config(db.engine)
    ).get_current_head()  # stamped at the newest revision
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head
    db.dispose()


def test_an_outdated_demo_database_is_built_again_and_the_dialog_says_so(qapp, tmp_path):
    path = tmp_path / "demo.db"
    a_database(path, "DROP TABLE meter_day")
    market = DemoMarket(f"sqlite:///{path}", electric=6, water=3, months=1)
    with pytest.raises(SchemaMismatch):
        market.db.upgrade()
    texts: list[str] = []

    def look() -> None:
        texts.extend(
            w.labelText()
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QProgressDialog) and w.isVisible()
        )

    timer = QTimer(interval=20)
    timer.timeout.connect(look)
    timer.start()
    try:
        prepare_demo(market, show=True)
    finally:
        timer.stop()
    assert market.is_built()
    assert any("older version" in t or "较早版本" in t or "旧版本" in t for t in texts), texts
    market.db.dispose()


def test_the_client_backs_up_a_database_of_the_previous_version_upgrades_it_and_says_so(
    tmp_path,
):
    from alembic import command

    from tests.builders import Market

    path = tmp_path / "market.db"
    db = Database(f"sqlite:///{path}")
    db.upgrade()
    Market(db).a_stall("A001", balance="12.30")
    cfg = alembic_config(db.engine)
    previous = ScriptDirectory.from_config(cfg).get_revision("head").down_revision
    command.downgrade(cfg, previous)
    db.dispose()

    done = start_client(
        f"sqlite:///{path}", tmp_path, "--lang", "en", "--screenshot", str(tmp_path / "shot.png")
    )

    assert done.returncode == 0, done.stderr
    assert f"made by an earlier version (schema {previous}) and has been upgraded" in done.stderr
    kept = list((tmp_path / "data" / "MarketMeter" / "backups").glob("*-before-upgrade-*.db"))
    assert len(kept) == 1 and str(kept[0]) in done.stderr
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() != previous
    engine.dispose()
