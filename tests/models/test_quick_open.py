"""Opening a database whose schema is current does no Alembic work (the client's start),
and the command line imports no command's modules for the client."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic import command

from app.models import db as dbmod
from app.models.db import Database, head_revision, older_revision

ROOT = Path(__file__).resolve().parents[2]


def test_the_head_read_from_the_migration_files_is_alembics():
    assert dbmod._head_in_files() == head_revision()


def test_a_current_schema_is_opened_without_alembic_and_an_older_one_is_upgraded(
    tmp_path, monkeypatch
):
    db = Database(f"sqlite:///{tmp_path / 'm.db'}")
    assert db.upgrade() is True  # created through Alembic

    def no_alembic(*_a, **_k):
        raise AssertionError("Alembic ran on a current schema")

    monkeypatch.setattr(command, "upgrade", no_alembic)
    monkeypatch.setattr(command, "stamp", no_alembic)
    assert Database(db.url).upgrade() is False
    assert older_revision(db.engine) is None
    monkeypatch.undo()

    # a database one revision behind still gets upgraded
    command.downgrade(dbmod.alembic_config(db.engine), "0011")
    assert older_revision(db.engine) == "0011"
    called: list[str] = []
    upgrade = command.upgrade
    monkeypatch.setattr(
        command, "upgrade", lambda cfg, rev: called.append(rev) or upgrade(cfg, rev)
    )
    Database(db.url).upgrade()
    assert called == ["head"]
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == (
            head_revision()
        )
    db.dispose()


SIGN_IN_PATH = """
import sys
from app import cli
from app.models.db import Database, older_revision
from app.ui import main
from app.ui.login_dialog import LoginDialog

def to_the_sign_in(args):  # what run_client does before the sign-in dialog shows
    db = Database(args.db)
    older_revision(db.engine)
    db.upgrade()
    print(sorted(m for m in sys.modules if m.split(".")[0] in HEAVY))
    return 0

HEAVY = set(sys.argv[2:])
main.run_client = to_the_sign_in
sys.exit(cli.main(["--db", sys.argv[1], "--lang", "en"]))
"""


def test_the_way_to_the_sign_in_imports_no_excel_pdf_migrations_or_http(tmp_path):
    """The client's start parses its options without importing every command's modules and
    opens a current database without Alembic: Excel, PDF, migrations and HTTP wait until a
    view or a command needs them."""
    url = f"sqlite:///{tmp_path / 'm.db'}"
    Database(url).upgrade()
    heavy = ["openpyxl", "reportlab", "alembic", "requests", "mako"]
    done = subprocess.run(
        [sys.executable, "-c", SIGN_IN_PATH, url, *heavy],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "[]"
