"""Adoption networks with networkx, built from named queries' results (never by walking triples).

The adoption digraph has one edge per adoption, origin → adopter, keyed by the adoption IRI and
carrying asset, solution, mode, status, dates and sources. Paths are time-respecting: each hop
starts no earlier than the hop before it, where both are dated; undated hops are reported as
undated, never silently ordered.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import networkx as nx

from . import dates
from .api import Graph
from .errors import NoPath
from .resolve import PUBLIC_BODY_KINDS
from .results import Table


@dataclass(frozen=True)
class Hop:
    """One adoption on a path: origin → adopter, with what, how, when and on whose word."""

    adoption: str
    origin: str
    origin_label: str
    adopter: str
    adopter_label: str
    asset: str
    asset_label: str
    solution: str
    solution_label: str
    mode: str | None
    status: str | None
    start: str | None
    end: str | None
    sources: tuple[str, ...]

    def describe(self) -> str:
        when = self.start or "undated"
        how = "/".join(x for x in (self.mode, self.status) if x) or "mode unknown"
        return f"{self.origin_label} → {self.adopter_label}: {self.asset_label} ({how}, {when})"


@dataclass(frozen=True)
class Path:
    hops: tuple[Hop, ...]

    @property
    def undated(self) -> bool:
        return any(h.start is None for h in self.hops)

    @property
    def time_respecting(self) -> bool:
        """No dated hop starts before an earlier dated hop of the path."""
        last = None
        for hop in self.hops:
            if hop.start is None:
                continue
            if last is not None and not dates.not_before(hop.start, last):
                return False
            last = hop.start
        return True


def hops_from_table(table: Table) -> Iterator[Hop]:
    for row in table.records():
        yield Hop(
            adoption=row["adoption"],
            origin=row["origin"],
            origin_label=row.get("originLabel") or row["origin"],
            adopter=row["adopter"],
            adopter_label=row.get("adopterLabel") or row["adopter"],
            asset=row["asset"],
            asset_label=row.get("assetLabel") or row["asset"],
            solution=row.get("solution") or row["asset"],
            solution_label=row.get("solutionLabel") or row.get("solution") or row["asset"],
            mode=row.get("mode"),
            status=row.get("status"),
            start=dates.iso(row.get("start")),
            end=dates.iso(row.get("end")),
            sources=tuple((row.get("sources") or "").split()),
        )


def adoption_digraph(graph: Graph) -> nx.MultiDiGraph:
    """The adoption network of ``graph``: nodes are public bodies, one edge per adoption."""
    g = nx.MultiDiGraph()
    for hop in hops_from_table(graph.query("adoption_edges")):
        g.add_node(hop.origin, label=hop.origin_label)
        g.add_node(hop.adopter, label=hop.adopter_label)
        g.add_edge(hop.origin, hop.adopter, key=hop.adoption, hop=hop)
    return g


def find_paths(g: nx.MultiDiGraph, source: str, target: str, *, cutoff: int = 6) -> list[Path]:
    """All simple time-respecting adoption paths from ``source`` to ``target``, shortest first."""
    if source not in g or target not in g:
        return []
    paths = []
    for edge_path in nx.all_simple_edge_paths(g, source, target, cutoff=cutoff):
        path = Path(tuple(g.edges[u, v, k]["hop"] for u, v, k in edge_path))
        if path.time_respecting:
            paths.append(path)
    return sorted(paths, key=lambda p: (len(p.hops), p.undated, [h.start or "" for h in p.hops], [h.adoption for h in p.hops]))


def paths_between(graph: Graph, source_name: str, target_name: str, *, cutoff: int = 6) -> tuple[str, str, list[Path]]:
    """Resolve two names to public bodies and return their adoption paths (NoPath if none)."""
    source = graph.resolve(source_name, PUBLIC_BODY_KINDS)
    target = graph.resolve(target_name, PUBLIC_BODY_KINDS)
    paths = find_paths(adoption_digraph(graph), source.iri, target.iri, cutoff=cutoff)
    if not paths:
        raise NoPath(f"no adoption path from {source.label} <{source.iri}> to {target.label} <{target.iri}>")
    return source.iri, target.iri, paths


