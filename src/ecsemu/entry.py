"""The ``ecsemu`` command's entry point, before anything else is imported.

Starting the server makes some 400,000 objects that live as long as it does (modules,
tables, declarations): the cyclic garbage collector, walking them again and again while
they are made, costs about 60 ms of a 0.4 s start. It is off until the server is built
(``server.collect_from_now_on``), or until the command line is read for other commands.
"""

from __future__ import annotations

import gc
import sys


def main() -> int:
    gc.disable()
    from .cli import main as run
    return run()


if __name__ == "__main__":
    sys.exit(main())
