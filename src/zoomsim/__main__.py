"""`python -m zoomsim` is the `zoomsim` command."""
import sys

from zoomsim.cli import main

sys.exit(main())
