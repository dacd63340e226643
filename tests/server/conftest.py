"""Servers for the server tests: the real ``mpsc-graph serve`` in a subprocess on a free loopback port.

Each fixture starts one server per session through :func:`mpsc_graph.server.running` (which stops it
by PID) so the suite stays fast.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mpsc_graph.dataset import build_store
from mpsc_graph.project import Project
from mpsc_graph.server import running
from support import REPO

#: A small body limit to test 413; a timeout generous enough for a loaded test machine.
SERVER_ARGS = ["--timeout", "15", "--workers", "3", "--max-body", "200000"]
#: For the runaway tests: queries die after 1 s; rows are not capped in practice.
STRICT_ARGS = ["--timeout", "1", "--workers", "3", "--max-rows", "100000000"]


@pytest.fixture(scope="session")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real data built into an on-disk store once per session."""
    return build_store(Project.at(REPO), tmp_path_factory.mktemp("server") / "store").store_dir


@pytest.fixture(scope="session")
def server_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the ``server`` fixture's stderr goes (its JSON access log among it)."""
    return tmp_path_factory.mktemp("logs") / "server.log"


@pytest.fixture(scope="session")
def server(store_dir: Path, server_log: Path) -> Iterator[str]:
    with running(REPO, store_dir=store_dir, extra_args=SERVER_ARGS, log_file=server_log) as base:
        yield base


@pytest.fixture(scope="session")
def strict_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("logs") / "strict.log"


@pytest.fixture(scope="session")
def strict_server(store_dir: Path, strict_log: Path) -> Iterator[str]:
    """The same store with ``--timeout 1`` (runaway and cut-off tests)."""
    with running(REPO, store_dir=store_dir, extra_args=STRICT_ARGS, log_file=strict_log) as base:
        yield base

