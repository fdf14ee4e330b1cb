"""Write the next schema revision, on top of the last, from the difference between the models
and the migrations: `python -m app.models.migrations.new "what changes"`.

Landed revisions are never edited: real markets have run them (tests/test_models.py pins each
landed file). Read the written file before committing it: autogenerate misses renames and
server-side defaults, and a new NOT NULL column on a table with rows needs a default.
"""

import re
import sys
import tempfile
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory

from app.models.db import MIGRATIONS, alembic_config, make_engine

VERSIONS = MIGRATIONS / "versions"


def main(message: str) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'head.db'}")
        cfg = alembic_config(engine)
        command.upgrade(cfg, "head")  # the models are ahead of it: that is the point
        head = ScriptDirectory.from_config(cfg).get_current_head()
        rev_id = f"{int(head) + 1:04d}"
        slug = re.sub(r"[^a-z0-9]+", "_", message.lower()).strip("_")[:40]
        command.revision(cfg, message=message, autogenerate=True, rev_id=rev_id)
        engine.dispose()
    written = next(VERSIONS.glob(f"{rev_id}_*.py"))
    path = written.rename(VERSIONS / f"{rev_id}_{slug}.py")
    print(f"wrote {path}")
    return path


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit('usage: python -m app.models.migrations.new "what changes"')
    main(sys.argv[1])
