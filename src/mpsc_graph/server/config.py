"""Everything a running server is configured with, in one immutable value.

The CLI builds it from options; tests and the ``running()`` helper build it directly. Worker
processes receive the parts they need (store path, allow-list, limits) by pickling.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..namespaces import BASE

if TYPE_CHECKING:
    from starlette.requests import Request

DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_BODY = 1_048_576  # bytes of a POST body (a query or an update)
DEFAULT_MAX_ROWS = 100_000  # solutions or triples per response; the rest is cut off and logged
DEFAULT_WORKERS = 4  # concurrent queries (one worker process each)
#: the smallest --max-memory (MB): below it a worker cannot even start the store's threads (measured: fails
#: at 128 MB, opens at 256 MB)
MIN_MEMORY_MB = 256
#: the shortest bearer token --allow-update accepts: 16 characters (e.g. ``openssl rand -hex 16`` gives 32)
MIN_TOKEN_LENGTH = 16
#: the share of the machine's memory all query workers together may use by default
MEMORY_SHARE = 0.5
API_MAX_LIMIT = 10_000
#: largest ?offset= of the named-query API (far beyond any store this serves; keeps the number a machine int)
API_MAX_OFFSET = 1_000_000_000  # largest ?limit= of the named-query API
API_DEFAULT_LIMIT = 1_000


@dataclass(frozen=True)
class ServerConfig:
    """The options of ``mpsc-graph serve``, limits included."""

    store_dir: Path
    queries_dir: Path | None = None
    base_iri: str = BASE
    timeout: float = DEFAULT_TIMEOUT
    allow_update: bool = False
    token: str | None = None
    #: every request needs the bearer token (``--token-for-reads``), not only updates
    token_for_reads: bool = False
    allow_service: tuple[str, ...] = ()
    max_body: int = DEFAULT_MAX_BODY
    max_rows: int = DEFAULT_MAX_ROWS
    workers: int = DEFAULT_WORKERS
    #: bytes of memory (RLIMIT_DATA) one query worker may use; None: no limit
    max_memory: int | None = None
    #: Host header names (lower case, without port) the server answers; empty: any
    allowed_hosts: tuple[str, ...] = ()
    releases_dir: Path | None = None  # ``--releases DIR``: serve the Atom feeds at /feeds/
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def id_base(self) -> str:
        return self.base_iri + "id/"

    @property
    def doc_base(self) -> str:
        return self.base_iri + "doc/"

    @property
    def ontology_iri(self) -> str:
        return self.base_iri + "ontology"


def default_max_memory_mb(workers: int) -> int:
    """The default --max-memory: half the machine's memory shared by the workers that may run at once,
    so that all of them together stay within it whatever the queries (never below :data:`MIN_MEMORY_MB`)."""
    try:
        total = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return 1024
    return max(MIN_MEMORY_MB, int(total * MEMORY_SHARE / max(1, workers)) // 2**20)


def config_of(request: Request) -> ServerConfig:
    """The configuration of the server that got ``request``."""
    config: ServerConfig = request.app.state.config
    return config
