"""What every view of one signed-in client shares: the database op runner, who is
signed in, the site, and the comm bridge. Passed to each view's constructor."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from app.models.db import user_data_dir
from app.models.user import Role
from app.services.platform.context import Actor, Changes
from app.ui import site_time
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

    def __post_init__(self) -> None:
        site_time.use_site_zone(self.timezone)

    @property
    def site_id(self) -> int:
        return self.actor.site_id

    @property
    def changes_applied(self):
        """The one signal views listen to: `changes_applied(int(Changes))`."""
        return self.runner.changes_applied

    # What the signed-in role may do; the services check again, this only hides buttons.
    def can(self, *roles: Role) -> bool:
        return self.actor.role is Role.ADMIN or self.actor.role in roles

    @property
    def can_recharge(self) -> bool:
        return self.can(Role.CASHIER)

    @property
    def can_reverse(self) -> bool:
        return self.can()  # a supervisor: accounts.reverse_recharge allows it to the admin only

    @property
    def can_operate_meters(self) -> bool:
        return self.can()

    @property
    def can_change_settings(self) -> bool:
        return self.can()

    @property
    def can_approve(self) -> bool:
        return self.can(Role.REVIEWER)


def touches(flags: int, *wanted: Changes) -> bool:
    return any(Changes(flags) & w for w in wanted)
