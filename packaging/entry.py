"""Entry point of the frozen build: the same ``zacviz`` command as the console script."""

import sys

from zacviz.cli import main

if __name__ == "__main__":
    sys.exit(main())
