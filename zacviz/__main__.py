"""``python -m zacviz``: the same entry point as the ``zacviz`` console script."""

import sys

from zacviz.cli import main

sys.exit(main())
