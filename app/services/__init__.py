"""Use cases. Each function takes `session` first, checks the actor's permission, does one
use case and never commits: the caller's transaction makes it all or nothing."""
