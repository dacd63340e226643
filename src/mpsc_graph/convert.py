"""The one place where pyoxigraph and rdflib meet: graphs cross as N-Triples or N-Quads text.

The store, the queries and the server work on pyoxigraph; pySHACL, the JSON-LD writer and the
Turtle files that only rdflib formats (shapes, VoID, DCAT) need rdflib. Crossing by N-Triples keeps
every term exact (datatypes, language tags, IRIs) without mapping term classes one by one, and
keeps the conversion in this module only.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import rdflib
from pyoxigraph import RdfFormat, Store, Triple, serialize

from .errors import InputError


def rdflib_graph(triples: Iterable[Triple]) -> rdflib.Graph:
    """pyoxigraph triples as one rdflib Graph (duplicates dropped)."""
    data = serialize(triples, format=RdfFormat.N_TRIPLES) or b""
    graph = rdflib.Graph()
    graph.parse(data=data.decode("utf-8"), format="nt")
    return graph


def union_graph(store: Store) -> rdflib.Graph:
    """The union of all named graphs as one rdflib Graph (pySHACL's input; a triple in two graphs counts once)."""
    return rdflib_graph(Triple(q.subject, q.predicate, q.object) for q in store)


def dataset(store: Store) -> rdflib.Dataset:
    """All named graphs of the store as an rdflib Dataset."""
    data = store.dump(format=RdfFormat.N_QUADS) or b""
    ds = rdflib.Dataset()
    ds.parse(data=data.decode("utf-8"), format="nquads")
    return ds


def parse_turtle_files(paths: list[Path]) -> rdflib.Graph:
    """Several Turtle files as one rdflib Graph, with the file named in any parse error."""
    graph = rdflib.Graph()
    for path in paths:
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises parser-specific types; all are input errors here
            raise InputError(f"malformed Turtle: {exc}", path=path) from exc
    return graph
