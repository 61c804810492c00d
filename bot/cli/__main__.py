"""`python -m bot.cli`: the `nwow` command."""

import sys

from bot.cli import main

sys.exit(main())
