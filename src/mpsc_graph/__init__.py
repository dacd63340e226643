"""mpsc-graph: an open knowledge graph of inter-municipal collaboration and software reuse.

The library reads a project's ``ontology/``, ``data/``, ``shapes/`` and ``queries/`` through one
loader (:mod:`mpsc_graph.dataset`) and runs every query through one function
(:func:`mpsc_graph.sparql.run_query`).
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__: str = version("mpsc-graph")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"

from .api import Graph, query, query_df
from .readiness import readiness  # the function; the module stays importable as mpsc_graph.readiness

__all__ = ["Graph", "__version__", "query", "query_df", "readiness"]
