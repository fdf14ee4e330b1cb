"""Use cases. Each function takes `session` first, checks the actor's permission, does one
use case and never commits: the caller's transaction makes it all or nothing."""

# Every transaction that changes something records its change feed row (a session hook):
# installed with the first service imported.
from app.services.platform import change_feed as _change_feed  # noqa: E402, F401
