"""Modules import on their own, in a fresh interpreter, whatever was imported before.

A circular import shows only when a module is the first one imported: the test suite itself imports
everything in some order that happens to work. ``mpsc_graph.ontology_docs`` and ``mpsc_graph.export``
imported each other, so building the server application (``create_app``) without the CLI failed.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from support import REPO

FIRST_IMPORTS = [
    "import mpsc_graph.ontology_docs",
    "import mpsc_graph.export",
    "import mpsc_graph.server.linked_data",
    "from pathlib import Path; from mpsc_graph.server import ServerConfig, create_app; "
    "create_app(ServerConfig(store_dir=Path('.')))",
]


@pytest.mark.parametrize("statement", FIRST_IMPORTS)
def test_module_imports_first_in_a_fresh_interpreter(statement: str) -> None:
    done = subprocess.run([sys.executable, "-c", statement], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
