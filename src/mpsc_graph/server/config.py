"""Everything a running server is configured with, in one immutable value.

The CLI builds it from options; tests and the ``running()`` helper build it directly. Worker
processes receive the parts they need (store path, allow-list, limits) by pickling.
"""

from __future__ import annotations

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
API_MAX_LIMIT = 10_000  # largest ?limit= of the named-query API
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
    allow_service: tuple[str, ...] = ()
    max_body: int = DEFAULT_MAX_BODY
    max_rows: int = DEFAULT_MAX_ROWS
    workers: int = DEFAULT_WORKERS
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

    @property
    def query_timeout(self) -> float | None:
        """The hard timeout; the single writer of update mode has none (documented)."""
        return None if self.allow_update else self.timeout


def config_of(request: Request) -> ServerConfig:
    """The configuration of the server that got ``request``."""
    config: ServerConfig = request.app.state.config
    return config
