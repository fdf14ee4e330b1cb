"""`python -m app`: the desktop client, or an ops sub-command (see app/cli)."""

import sys

from app.cli import main

if __name__ == "__main__":
    sys.exit(main())
