"""The ``mpsc-graph`` command line.

Exit codes: 0 success; 1 the check found problems (violations, differences, no path);
2 could not run (bad input, bad arguments). User errors never print a traceback.
Each command group lives in its own module and registers itself on :data:`main`.
"""

from __future__ import annotations  # noqa: I001 (command modules import after main, on purpose)

from .base import main

# Command modules register their commands on ``main`` when imported.
from . import core  # noqa: F401
from . import serve  # noqa: F401
from . import network  # noqa: F401
from . import export  # noqa: F401
from . import data  # noqa: F401
from . import reuse  # noqa: F401
from . import add  # noqa: F401
from . import harvest  # noqa: F401
from . import decide  # noqa: F401
from . import releases  # noqa: F401

__all__ = ["main"]
