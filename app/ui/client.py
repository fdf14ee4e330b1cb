"""What every view of one signed-in client shares: the database op runner, who is
signed in, the site, and the comm bridge. Passed to each view's constructor."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from app.models.db import user_data_dir
from app.services.platform.context import Actor, Changes, May
from app.ui import site_time
from app.ui.backup_schedule import BackupSchedule
from app.ui.comm.bridge import CommBridge
from app.ui.ops import OpRunner


@dataclass
class Client:
    runner: OpRunner
    actor: Actor
    site_name: str
    comm: CommBridge
    is_demo: bool = False
    receipts_dir: Path = field(default_factory=lambda: user_data_dir() / "receipts")
    timezone: str = "Asia/Shanghai"  # the site's (Site.timezone): every time shown is in it
    backups: BackupSchedule | None = None  # None for the demo market, which is not backed up

    def __post_init__(self) -> None:
        site_time.use_site_zone(self.timezone)

    @property
    def site_id(self) -> int:
        return self.actor.site_id

    @property
    def changes_applied(self):
        """The one signal views listen to: `changes_applied(int(Changes))`."""
        return self.runner.changes_applied

    def may(self, action: May) -> bool:
        """Whether the signed-in role may do `action`, by the services' own table: a button
        for it is shown or enabled by this. The services check again when it is pressed."""
        return action.allows(self.actor.role)


def touches(flags: int, *wanted: Changes) -> bool:
    return any(Changes(flags) & w for w in wanted)
