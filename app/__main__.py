"""`python -m app`: the desktop client, or an ops sub-command (see app/cli)."""

import sys

from app.cli import main

if __name__ == "__main__":
    if getattr(sys, "frozen", False):
        # the frozen program is also the child processes multiprocessing spawns
        # (`portal --workers N`): they run their task here instead of the command line
        import multiprocessing

        multiprocessing.freeze_support()
    sys.exit(main())
