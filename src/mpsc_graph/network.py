"""Networks with networkx, built from named queries' results (never by walking triples).

Why through named queries: the same builders then work on the bundled data, an on-disk store and
any SPARQL endpoint (``Graph.open(endpoint=URL)``), and what a graph contains is written down in
``queries/*.rq`` where an analyst can read it.

Four graphs:

- the **adoption graph** (:func:`adoption_digraph`): a MultiDiGraph origin → adopter with one edge
  per adoption, keyed by the adoption IRI; edge attributes are flat strings (asset, solution,
  mode, status, ISO start/end dates, space-separated source IRIs, and ``kind``: ``transfer`` or
  ``joint-work`` with the group in ``within``, from ``queries/adoption_kinds.rq``) so the graph
  exports as is;
- the **bipartite graph** adopter — solution/module (:func:`bipartite_graph`);
- the **operator graph** operator → solution/module → adopter (:func:`operator_graph`);
- the **collaboration graph** of co-membership in alliances, development communities and model
  projects (:func:`collaboration_graph`).

Paths are time-respecting: each hop starts no earlier than the dated hop before it (partial dates
compare at their shared precision, :mod:`mpsc_graph.dates`); undated hops are reported as
undated, never silently ordered.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from . import dates
from .api import Graph
from .errors import NoPath
from .resolve import PUBLIC_BODY_KINDS
from .results import Table, to_python

NodeInfo = Mapping[str, Mapping[str, Any]]

#: edge attributes of the adoption graph, in export order
EDGE_FIELDS = ("adoption", "asset", "asset_label", "solution", "solution_label", "mode", "status", "start", "end",
               "sources", "kind", "within")
#: adoption kinds (queries/adoption_kinds.rq): joint work happens inside one model project, alliance or
#: Gemeindeverband; every other adoption is a transfer
TRANSFER, JOINT_WORK = "transfer", "joint-work"
#: node attributes every node of every graph carries (besides type-specific ones)
NODE_FIELDS = ("label", "kind", "state", "state_label", "mpsc")


@dataclass(frozen=True, slots=True)
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
    kind: str | None = None  # "transfer" or "joint-work" (queries/adoption_kinds.rq); None when not computed
    within: str | None = None  # the model project, alliance or Gemeindeverband of joint work

    @property
    def joint_work(self) -> bool:
        return self.kind == JOINT_WORK

    def describe(self) -> str:
        when = self.start or "undated"
        how = "/".join(x for x in (self.mode, self.status) if x) or "mode unknown"
        mark = f"; joint work within {self.within.rsplit('/', 1)[-1]}" if self.joint_work and self.within else ""
        return f"{self.origin_label} → {self.adopter_label}: {self.asset_label} ({how}, {when}{mark})"

    def as_dict(self) -> dict[str, Any]:
        return {field: getattr(self, field) for field in self.__slots__}


@dataclass(frozen=True)
class Path:
    """A chain of adoptions, each hop's adopter being the next hop's origin."""

    hops: tuple[Hop, ...]

    @property
    def undated(self) -> bool:
        """True when some hop has no start date: its place in time is unknown, not assumed."""
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

    @property
    def solutions(self) -> tuple[str, ...]:
        """The distinct solutions the path passes through, in order."""
        return tuple(dict.fromkeys(h.solution for h in self.hops))

    def frame(self) -> Any:
        """The hops as a pandas DataFrame (one row per hop, ``step`` from 1).

        ``start``/``end`` are the dates as the sources give them, with ``_date`` (datetime64)
        and ``_precision`` companions; dtypes do not depend on which hops are dated
        (:mod:`mpsc_graph.frames`).
        """
        from .frames import field_dtypes, rows_frame

        rows = [{"step": i, **hop.as_dict(), "sources": " ".join(hop.sources)} for i, hop in enumerate(self.hops, 1)]
        return rows_frame(rows, ["step", *Hop.__slots__], field_dtypes(Hop) | {"step": "int64", "sources": "string"},
                          date_columns=("start", "end"))


# --------------------------------------------------------------------------------------------
# Reading query results
# --------------------------------------------------------------------------------------------


class _Interner:
    """Shares equal strings (labels, modes, dates) between edges: a large graph repeats them a lot."""

    def __init__(self) -> None:
        self._seen: dict[str, str] = {}

    def __call__(self, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        return self._seen.setdefault(value, value)


def hops_from_records(records: Iterable[Mapping[str, Any]]) -> Iterator[Hop]:
    """Hops from rows shaped like ``queries/adoption_edges.rq`` (plain Python values)."""
    share = _Interner()
    for row in records:
        asset = row["asset"]
        solution = row.get("solution") or asset
        yield Hop(
            adoption=row["adoption"],
            origin=share(row["origin"]),
            origin_label=share(row.get("originLabel") or row["origin"]),
            adopter=share(row["adopter"]),
            adopter_label=share(row.get("adopterLabel") or row["adopter"]),
            asset=share(asset),
            asset_label=share(row.get("assetLabel") or asset),
            solution=share(solution),
            solution_label=share(row.get("solutionLabel") or solution),
            mode=share(row.get("mode")),
            status=share(row.get("status")),
            start=share(dates.iso(row.get("start"))),
            end=share(dates.iso(row.get("end"))),
            # GROUP_CONCAT order is undefined in SPARQL: sort, so every engine gives the same graph
            sources=tuple(sorted(share(s) for s in (row.get("sources") or "").split())),
            kind=share(row.get("kind")),
            within=share(row.get("within")),
        )


def adoption_kinds(table: Table) -> dict[str, tuple[str, str | None]]:
    """Adoption IRI → (kind, group IRI or None) from the result of ``queries/adoption_kinds.rq``."""
    kinds: dict[str, tuple[str, str | None]] = {}
    for row in table.records():
        kinds[row["adoption"]] = (row["kind"], row.get("group"))
    return kinds


def hops_from_table(table: Table, kinds: Mapping[str, tuple[str | None, str | None]] | None = None) -> Iterator[Hop]:
    """Hops from the result of ``queries/adoption_edges.rq``, with their kind from ``kinds``
    (see :func:`adoption_kinds`).

    Converts each distinct term once (labels, modes, statuses and dates repeat across rows), which
    keeps building a graph of a million adoptions in seconds and shares equal strings between edges.
    """
    names = ("adoption", "origin", "originLabel", "adopter", "adopterLabel", "asset", "assetLabel", "solution",
             "solutionLabel", "mode", "status", "start", "end", "sources")
    column = {name: i for i, name in enumerate(table.columns)}
    indexes = [column.get(name) for name in names]
    date_columns = {column.get("start"), column.get("end")} - {None}
    sources_column = column.get("sources")
    cache: dict[Any, Any] = {}
    get = cache.get

    def convert(i: int, term: Any) -> Any:
        found: Any
        if i in date_columns:
            found = dates.iso(to_python(term))
        elif i == sources_column:
            # GROUP_CONCAT order is undefined in SPARQL: sort, so every engine gives the same graph
            found = tuple(sorted(to_python(term).split()))
        else:
            found = to_python(term)
        if i != indexes[0]:  # adoption IRIs are unique: caching them would only cost memory
            cache[term] = found
        return found

    for row in table.rows:
        values: list[Any] = [
            None if i is None or row[i] is None else (get(row[i]) or convert(i, row[i])) for i in indexes]
        (adoption, origin, origin_label, adopter, adopter_label, asset, asset_label, solution, solution_label, mode,
         status, start, end, sources) = values
        solution = solution or asset
        kind, within = kinds.get(str(adoption), (None, None)) if kinds else (None, None)
        yield Hop(adoption, origin, origin_label or origin, adopter, adopter_label or adopter, asset,
                  asset_label or asset, solution, solution_label or solution, mode, status, start, end, sources or (),
                  kind, within)


def node_attributes(table: Table | None) -> dict[str, dict[str, Any]]:
    """Node attributes (label, kind, state, state_label, mpsc) from ``queries/network_nodes.rq``."""
    if table is None:
        return {}
    nodes: dict[str, dict[str, Any]] = {}
    for row in table.records():
        attrs = nodes.setdefault(row["node"], {})
        for key, column in (("label", "label"), ("kind", "kind"), ("state", "state"), ("state_label", "stateLabel")):
            if row.get(column) is not None and key not in attrs:
                attrs[key] = row[column]
        attrs["mpsc"] = bool(attrs.get("mpsc")) or bool(row.get("mpsc"))
    return nodes


def _add_body(g: nx.Graph, iri: str, label: str, known: NodeInfo, **extra: Any) -> None:
    """Add (or complete) a public-body node with the attributes every graph shares; never a None value."""
    if iri in g:
        g.nodes[iri].update(extra)
        return
    attrs = dict(known.get(iri, {}))
    attrs.setdefault("label", label or iri)
    attrs.setdefault("kind", iri.rsplit("/", 2)[-2] if "/id/" in iri else "other")
    attrs.setdefault("mpsc", False)
    attrs.update(extra)
    g.add_node(iri, **{k: v for k, v in attrs.items() if v is not None})


# --------------------------------------------------------------------------------------------
# The adoption graph
# --------------------------------------------------------------------------------------------


def adoption_graph_from_hops(hops: Iterable[Hop], nodes: NodeInfo | None = None) -> nx.MultiDiGraph:
    """The adoption MultiDiGraph of ``hops`` (origin → adopter, one edge per adoption, keyed by its IRI)."""
    known = nodes or {}
    g: nx.MultiDiGraph[str] = nx.MultiDiGraph(name="adoption")

    def edges() -> Iterator[tuple[str, str, str, dict[str, Any]]]:
        for hop in hops:
            if hop.origin not in g:
                _add_body(g, hop.origin, hop.origin_label, known)
            if hop.adopter not in g:
                _add_body(g, hop.adopter, hop.adopter_label, known)
            attrs = {"adoption": hop.adoption, "asset": hop.asset, "asset_label": hop.asset_label,
                     "solution": hop.solution, "solution_label": hop.solution_label}
            for name in ("mode", "status", "start", "end", "kind", "within"):
                if (value := getattr(hop, name)) is not None:
                    attrs[name] = value
            if hop.sources:
                attrs["sources"] = " ".join(hop.sources)
            yield hop.origin, hop.adopter, hop.adoption, attrs

    # (u, v, key, data) tuples are what MultiDiGraph.add_edges_from takes; networkx-stubs type only (u, v[, data])
    g.add_edges_from(edges())  # type: ignore[arg-type]
    return g


def adoption_digraph(graph: Graph, *, with_node_attributes: bool = True) -> nx.MultiDiGraph:
    """The adoption network of ``graph``: nodes are public bodies, one edge per adoption.

    Nodes carry ``label``, ``kind`` (municipality, district, state, alliance, public-organisation, ...),
    ``state`` and ``state_label`` (federal state, when known) and ``mpsc`` (member of a model project).
    Edges carry ``kind`` (``transfer`` or ``joint-work``) and, for joint work, ``within`` (the group).
    """
    nodes = node_attributes(graph.query("network_nodes")) if with_node_attributes else {}
    kinds = adoption_kinds(graph.query("adoption_kinds"))
    return adoption_graph_from_hops(hops_from_table(graph.query("adoption_edges"), kinds), nodes)


def edge_hop(g: nx.MultiDiGraph, origin: str, adopter: str, key: str) -> Hop:
    """The :class:`Hop` an edge of the adoption graph stands for."""
    data = g.edges[origin, adopter, key]
    return Hop(
        adoption=data.get("adoption", key),
        origin=origin,
        origin_label=g.nodes[origin].get("label", origin),
        adopter=adopter,
        adopter_label=g.nodes[adopter].get("label", adopter),
        asset=data["asset"],
        asset_label=data.get("asset_label", data["asset"]),
        solution=data.get("solution", data["asset"]),
        solution_label=data.get("solution_label", data.get("solution", data["asset"])),
        mode=data.get("mode"),
        status=data.get("status"),
        start=data.get("start"),
        end=data.get("end"),
        sources=tuple(data.get("sources", "").split()),
        kind=data.get("kind"),
        within=data.get("within"),
    )


def iter_hops(g: nx.MultiDiGraph) -> Iterator[Hop]:
    """Every adoption of the graph as a :class:`Hop`, in edge order."""
    for origin, adopter, key in g.edges(keys=True):
        yield edge_hop(g, origin, adopter, key)


# --------------------------------------------------------------------------------------------
# Time-respecting paths
# --------------------------------------------------------------------------------------------


def _path_sort_key(path: Path) -> tuple[Any, ...]:
    return (len(path.hops), path.undated, [h.start or "" for h in path.hops], [h.adoption for h in path.hops])


def find_paths(g: nx.MultiDiGraph, source: str, target: str, *, cutoff: int = 6) -> list[Path]:
    """All simple time-respecting adoption paths from ``source`` to ``target``, shortest first.

    Paths that contain undated hops are kept (and marked :attr:`Path.undated`): their order in
    time is unknown, not wrong. Paths whose dated hops go back in time are left out. The search
    prunes as it goes (a hop back in time, a node already on the path, a node too far from the
    target for the remaining hops), so it does not enumerate every simple path first.
    """
    if source not in g or target not in g or source == target:
        return []
    distance = dict(nx.single_target_shortest_path_length(g, target, cutoff=cutoff))
    if source not in distance:
        return []
    not_before = dates.not_before
    found: list[tuple[tuple[str, str, str], ...]] = []
    on_path = {source}
    edges: list[tuple[str, str, str]] = []

    def extend(node: str, constraint: str | None) -> None:
        start: str | None
        for _, nxt, key, start in g.out_edges(node, keys=True, data="start"):
            remaining = distance.get(nxt)
            if nxt in on_path or remaining is None or len(edges) + 1 + remaining > cutoff:
                continue
            if start is not None and constraint is not None and not not_before(start, constraint):
                continue
            edges.append((node, nxt, key))
            if nxt == target:
                found.append(tuple(edges))
            else:
                on_path.add(nxt)
                extend(nxt, start if start is not None else constraint)
                on_path.discard(nxt)
            edges.pop()

    extend(source, None)
    paths = [Path(tuple(edge_hop(g, u, v, k) for u, v, k in edge_path)) for edge_path in found]
    return sorted(paths, key=_path_sort_key)


def paths_between(graph: Graph, source_name: str, target_name: str, *, cutoff: int = 6) -> tuple[str, str, list[Path]]:
    """Resolve two names to public bodies and return their adoption paths (NoPath if none)."""
    source = graph.resolve(source_name, PUBLIC_BODY_KINDS)
    target = graph.resolve(target_name, PUBLIC_BODY_KINDS)
    g = adoption_digraph(graph, with_node_attributes=False)
    paths = find_paths(g, source.iri, target.iri, cutoff=cutoff)
    if not paths:
        if source.iri not in g:
            reason = f"{source.label} <{source.iri}> takes part in no adoption"
        elif target.iri not in g:
            reason = f"{target.label} <{target.iri}> takes part in no adoption"
        elif nx.has_path(g, source.iri, target.iri):
            reason = "every chain of adoptions between them goes back in time"
        else:
            reason = "no chain of adoptions leads from one to the other"
        raise NoPath(f"no adoption path from {source.label} <{source.iri}> to {target.label} <{target.iri}>: {reason}")
    return source.iri, target.iri, paths


@dataclass(frozen=True)
class Arrival:
    """How a node is reached from an origin along time-respecting adoptions.

    ``constraint`` is the start date of the last dated hop of the best path (the most permissive
    one for going on), ``None`` when every hop so far is undated; ``undated`` is True when only
    chains with an undated hop lead there; ``path`` is the chain of adoption IRIs.
    """

    node: str
    hops: int
    constraint: str | None
    undated: bool
    path: tuple[str, ...]


def time_respecting_reach(g: nx.MultiDiGraph, origin: str) -> dict[str, Arrival]:
    """Every node reachable from ``origin`` by a time-respecting chain of adoptions.

    A label-correcting search: the constraint a node is reached with is the start of the last
    dated hop; the lexicographically smallest ISO constraint is the most permissive (a year
    allows every date inside it), so it is the one kept. Undated hops pass the constraint on
    unchanged. The search runs twice, over dated hops only and over all hops: a node reached only
    in the second run is marked ``undated`` (no fully dated chain leads there), and its path is
    the one through undated hops. About O(E log E) per run on realistic data.
    """
    if origin not in g:
        return {}
    dated = _search(g, origin, dated_only=True)
    every = _search(g, origin, dated_only=False)
    arrivals = {}
    for node in sorted(every):
        if node in dated:
            constraint, hops, path = dated[node]
            arrivals[node] = Arrival(node, hops, constraint or None, False, path)
        else:
            constraint, hops, path = every[node]
            arrivals[node] = Arrival(node, hops, constraint or None, True, path)
    return arrivals


def _search(g: nx.MultiDiGraph, origin: str, *, dated_only: bool) -> dict[str, tuple[str, int, tuple[str, ...]]]:
    """Most permissive (constraint, hops, path) per node reachable from ``origin``; see time_respecting_reach."""
    best: dict[str, tuple[str, int, tuple[str, ...]]] = {origin: ("", 0, ())}
    heap: list[tuple[str, int, str]] = [("", 0, origin)]
    not_before = dates.not_before
    while heap:
        constraint, hops, node = heapq.heappop(heap)
        current = best[node]
        if (constraint, hops) != current[:2]:
            continue
        start: str | None
        for _, adopter, key, start in g.out_edges(node, keys=True, data="start"):
            if start is None:
                if dated_only:
                    continue
                new = constraint
            elif constraint and not not_before(start, constraint):
                continue
            else:
                new = start
            seen = best.get(adopter)
            if seen is None or (new, hops + 1) < seen[:2]:
                best[adopter] = (new, hops + 1, (*current[2], key))
                heapq.heappush(heap, (new, hops + 1, adopter))
    del best[origin]
    return best


# --------------------------------------------------------------------------------------------
# The bipartite, operator and collaboration graphs
# --------------------------------------------------------------------------------------------


def bipartite_graph_from_hops(hops: Iterable[Hop], nodes: NodeInfo | None = None) -> nx.Graph:
    """Adopters (``bipartite=0``) linked to the solutions or modules they adopted (``bipartite=1``).

    An edge stands for one or more adoptions of that asset by that adopter: ``weight`` counts
    them, ``adoptions``/``statuses``/``start`` list them (space-separated, in adoption order).
    """
    known = nodes or {}
    g: nx.Graph[str] = nx.Graph(name="bipartite")
    for hop in hops:
        _add_body(g, hop.adopter, hop.adopter_label, known, bipartite=0, node_type="adopter")
        if hop.asset not in g:
            kind = "module" if hop.asset != hop.solution else "solution"
            g.add_node(hop.asset, label=hop.asset_label, kind=kind, node_type=kind, bipartite=1, solution=hop.solution,
                       solution_label=hop.solution_label, mpsc=False)
        if g.has_edge(hop.adopter, hop.asset):
            data = g.edges[hop.adopter, hop.asset]
            data["weight"] += 1
            data["adoptions"] += " " + hop.adoption
            data["statuses"] += " " + (hop.status or "unknown")
        else:
            g.add_edge(hop.adopter, hop.asset, weight=1, adoptions=hop.adoption, statuses=hop.status or "unknown",
                       **({"start": hop.start} if hop.start else {}))
    return g


def bipartite_graph(graph: Graph) -> nx.Graph:
    """The bipartite adopter — solution/module graph of ``graph``."""
    nodes = node_attributes(graph.query("network_nodes"))
    return bipartite_graph_from_hops(hops_from_table(graph.query("adoption_edges")), nodes)


OPERATOR_ROLES = ("operator", "maintainer")


def operator_graph_from_tables(
    roles: Table, hops: Iterable[Hop], nodes: NodeInfo | None = None,
    *, role_types: Iterable[str] = OPERATOR_ROLES,
) -> nx.MultiDiGraph:
    """Operator → solution/module (``relation`` = role type) → adopter (``relation`` = ``adopted``).

    An operator also gets a ``serves`` edge to each client a role names explicitly
    (``mpsc:forClient``). Adopters of a solution include adopters of its modules.
    """
    known = nodes or {}
    wanted = set(role_types)
    g: nx.MultiDiGraph[str] = nx.MultiDiGraph(name="operators")
    operated: set[str] = set()
    for row in roles.records():
        if row["roleType"] not in wanted:
            continue
        _add_body(g, row["agent"], row.get("agentLabel") or row["agent"], known, node_type="operator")
        asset = row["asset"]
        if asset not in g or g.nodes[asset].get("node_type") != "operator":
            kind = "module" if row.get("solution") and row["solution"] != asset else "solution"
            g.add_node(asset, label=row.get("assetLabel") or asset, kind=kind, node_type=kind, mpsc=False)
        operated.add(asset)
        attrs = {"relation": row["roleType"], "role": row["role"], "start": dates.iso(row.get("start")),
                 "end": dates.iso(row.get("end")), "sources": " ".join(sorted((row.get("sources") or "").split()))}
        g.add_edge(row["agent"], asset, key=row["role"], **{k: v for k, v in attrs.items() if v})
        if row.get("client"):
            _add_body(g, row["client"], row.get("clientLabel") or row["client"], known)
            g.nodes[row["client"]].setdefault("node_type", "client")
            g.add_edge(row["agent"], row["client"], key=f"{row['role']}#client", relation="serves", role=row["role"])
    for hop in hops:
        for asset in dict.fromkeys((hop.asset, hop.solution)):
            if asset in operated:
                _add_body(g, hop.adopter, hop.adopter_label, known)
                g.nodes[hop.adopter].setdefault("node_type", "adopter")
                attrs = {"relation": "adopted", "adoption": hop.adoption, "status": hop.status, "start": hop.start}
                g.add_edge(asset, hop.adopter, key=hop.adoption, **{k: v for k, v in attrs.items() if v})
    return g


def operator_graph(graph: Graph, *, role_types: Iterable[str] = OPERATOR_ROLES) -> nx.MultiDiGraph:
    """The operator graph of ``graph`` (roles of type operator and maintainer by default)."""
    nodes = node_attributes(graph.query("network_nodes"))
    return operator_graph_from_tables(graph.query("asset_roles"), hops_from_table(graph.query("adoption_edges")), nodes,
                                      role_types=role_types)


def collaboration_graph_from_table(memberships: Table, nodes: NodeInfo | None = None) -> nx.Graph:
    """Members linked when they share an alliance, development community or model project.

    ``weight`` counts the shared groups; ``groups`` lists their IRIs, ``group_kinds`` their kinds.
    A member of a group with no other member is still a node (degree 0).
    """
    known = nodes or {}
    members: dict[str, list[str]] = defaultdict(list)
    group_info: dict[str, tuple[str, str]] = {}
    g: nx.Graph[str] = nx.Graph(name="collaboration")
    for row in memberships.records():
        members[row["group"]].append(row["member"])
        group_info[row["group"]] = (row.get("groupLabel") or row["group"], row["groupKind"])
        _add_body(g, row["member"], row.get("memberLabel") or row["member"], known)
    for group, group_members in sorted(members.items()):
        label, kind = group_info[group]
        ordered = sorted(set(group_members))
        for i, a in enumerate(ordered):
            g.nodes[a]["groups"] = " ".join(filter(None, (g.nodes[a].get("groups"), group)))
            for b in ordered[i + 1:]:
                if g.has_edge(a, b):
                    data = g.edges[a, b]
                    data["weight"] += 1
                    data["groups"] += " " + group
                    data["group_labels"] += "; " + label
                    if kind not in data["group_kinds"].split():
                        data["group_kinds"] += " " + kind
                else:
                    g.add_edge(a, b, weight=1, groups=group, group_labels=label, group_kinds=kind)
    return g


def collaboration_graph(graph: Graph) -> nx.Graph:
    """The collaboration graph of ``graph`` (co-membership in alliances, communities, model projects)."""
    nodes = node_attributes(graph.query("network_nodes"))
    return collaboration_graph_from_table(graph.query("group_memberships"), nodes)


GRAPH_KINDS = ("adoption", "bipartite", "operators", "collaboration")


def build_graph(graph: Graph, kind: str) -> nx.Graph:
    """One of :data:`GRAPH_KINDS` built from ``graph``."""
    builders = {"adoption": adoption_digraph, "bipartite": bipartite_graph, "operators": operator_graph,
                "collaboration": collaboration_graph}
    if kind not in builders:
        from .errors import InputError

        raise InputError(f"unknown graph '{kind}' (known: {', '.join(GRAPH_KINDS)})")
    return builders[kind](graph)


# --------------------------------------------------------------------------------------------
# Export (GraphML, GEXF, node-link JSON)
# --------------------------------------------------------------------------------------------

EXPORT_FORMATS = ("graphml", "gexf", "json")


def _clean(value: Any) -> Any:
    """A value the GraphML/GEXF writers accept: str, int, float or bool (tuples joined by spaces)."""
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return " ".join(str(v) for v in value)
    return str(value)


#: edge attributes holding partial ISO dates, exported with ``_year`` and ``_precision`` companions
DATE_ATTRIBUTES = ("start", "end")


def _edge_attrs(data: Mapping[str, Any]) -> dict[str, Any]:
    """An edge's exportable attributes: plain values, and for each date its year (int) and precision."""
    attrs = {k: _clean(x) for k, x in data.items() if x is not None}
    for name in DATE_ATTRIBUTES:
        value = attrs.get(name)
        if isinstance(value, str) and (first := dates.period_start(value)) is not None:
            attrs[f"{name}_year"] = first.year
            attrs[f"{name}_precision"] = dates.precision(value)
    return attrs


def exportable(g: nx.Graph) -> nx.Graph:
    """A copy of ``g`` without None values and with only plain attribute types.

    networkx's GraphML and GEXF writers fail on None and infer one type per attribute key, so
    every key keeps one type. Dates stay ISO strings at the precision the source gives
    (``start``: ``2020`` or ``2020-12-22``): GraphML has no date type, and a full date would
    invent a day. Beside each, ``start_year`` (an integer every dated edge has, so Gephi can
    filter on a range) and ``start_precision`` (``year``, ``month`` or ``day``); the same for
    ``end``. Every node gets a ``label``.
    """
    out = g.__class__()
    out.graph.update({k: _clean(v) for k, v in g.graph.items() if v is not None})
    for node, data in g.nodes(data=True):
        attrs = {k: _clean(v) for k, v in data.items() if v is not None}
        attrs.setdefault("label", str(node))
        out.add_node(node, **attrs)
    if isinstance(g, nx.MultiGraph):
        for u, v, key, data in g.edges(keys=True, data=True):
            out.add_edge(u, v, key=key, **_edge_attrs(data))
    else:
        for u, v, data in g.edges(data=True):
            out.add_edge(u, v, **_edge_attrs(data))
    return out


def graph_bytes(g: nx.Graph, fmt: str) -> bytes:
    """``g`` serialised as GraphML, GEXF 1.2 or node-link JSON (UTF-8)."""
    import io
    import json

    clean = exportable(g)
    if fmt == "json":
        data = nx.node_link_data(clean, edges="edges")
        return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(clean, buffer, encoding="utf-8", named_key_ids=True)
    elif fmt == "gexf":
        nx.write_gexf(clean, buffer, encoding="utf-8", version="1.2draft")
    else:
        from .errors import InputError

        raise InputError(f"unknown export format '{fmt}' (known: {', '.join(EXPORT_FORMATS)})")
    return buffer.getvalue()


def read_graph(path: str, fmt: str) -> nx.Graph:
    """Read back a file written by :func:`graph_bytes` (tests and round trips)."""
    import json

    if fmt == "graphml":
        return nx.read_graphml(path)
    if fmt == "gexf":
        return nx.read_gexf(path)
    with open(path, encoding="utf-8") as handle:
        return nx.node_link_graph(json.load(handle), edges="edges")
