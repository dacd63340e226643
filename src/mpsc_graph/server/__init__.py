"""The SPARQL endpoint and linked-data server: safe by default.

``create_app(config)`` builds the ASGI application; ``running()`` starts the real server in a
subprocess on a free loopback port (tests, notebooks). The ``mpsc-graph serve`` command is in
:mod:`mpsc_graph.cli.serve`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .config import ServerConfig
from .running import free_port, running

if TYPE_CHECKING:
    from starlette.applications import Starlette

__all__ = ["ServerConfig", "create_app", "free_port", "running"]


def create_app(config: ServerConfig) -> Starlette:
    """The ASGI application for ``config`` (see :mod:`mpsc_graph.server.app`)."""
    from .app import create_app as _create

    return _create(config)
