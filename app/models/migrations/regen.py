"""Regenerate the initial migration from the models (until the first release, the schema
is one revision): `python -m app.models.migrations.regen`."""

import tempfile
from pathlib import Path

from alembic import command

from app.models.db import MIGRATIONS, alembic_config, make_engine

VERSIONS = MIGRATIONS / "versions"


def main() -> None:
    for old in VERSIONS.glob("0001_*.py"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'empty.db'}")
        command.revision(
            alembic_config(engine), message="initial schema", autogenerate=True, rev_id="0001"
        )
        engine.dispose()
    path = next(VERSIONS.glob("0001_*.py"))
    path.rename(VERSIONS / "0001_initial.py")
    print(f"wrote {VERSIONS / '0001_initial.py'}")


if __name__ == "__main__":
    main()
