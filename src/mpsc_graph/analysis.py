"""Analyses of the adoption network, each returning plain data with a pandas DataFrame form.

Why plain data: the CLI prints it, notebooks show it as tables, tests compare it exactly; the
same result object serves all three. Every result names entities by label *and* IRI, and an
empty or disconnected case is an answer with a message (``Cascade.message``), not an exception
or a silent empty table.

The functions take graphs built by :mod:`mpsc_graph.network` (so they work the same on the
bundled data, an on-disk store or a remote endpoint) and never query the store themselves.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import networkx as nx

from .dates import days_between, period_start, precision, years_between
from .network import JOINT_WORK, TRANSFER, Arrival, Hop, edge_hop, iter_hops, time_respecting_reach

if TYPE_CHECKING:
    import pandas as pd

#: statuses every cascade reports, even when zero (others, such as "planned", are added when present)
STATUSES = ("trial", "production", "ended", "unknown")


def _frame(rows: Iterable[Any], columns: Iterable[str], row_type: type | None = None, *,
           date_columns: Iterable[str] = (), dtypes: dict[str, str] | None = None) -> pd.DataFrame:
    """Rows as a DataFrame whose dtypes come from ``row_type``'s annotations (and ``dtypes``), not the values.

    See :mod:`mpsc_graph.frames`: text is ``string`` with ``pd.NA`` for missing values, date
    columns get ``_date`` and ``_precision`` companions, an empty result has the same dtypes.
    """
    from .frames import field_dtypes, rows_frame

    records = [asdict(r) if hasattr(r, "__dataclass_fields__") else r for r in rows]
    types = (field_dtypes(row_type) if row_type else {}) | (dtypes or {})
    return rows_frame(records, list(columns), types, date_columns=date_columns)


def _label(g: nx.Graph, node: str) -> str:
    return g.nodes[node].get("label", node) if node in g else node


# --------------------------------------------------------------------------------------------
# Overview
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NetworkStats:
    """Size and shape of an adoption graph."""

    nodes: int
    adoptions: int
    origins: int
    adopters: int
    solutions: int
    assets: int
    components: int
    largest_component: int
    dated: int
    undated: int
    transfers: int
    joint_work: int
    by_status: dict[str, int]
    by_mode: dict[str, int]

    def frame(self) -> pd.DataFrame:
        rows = [{"measure": k, "value": v} for k, v in asdict(self).items() if not isinstance(v, dict)]
        rows += [{"measure": f"status {k}", "value": v} for k, v in self.by_status.items()]
        rows += [{"measure": f"mode {k}", "value": v} for k, v in self.by_mode.items()]
        return _frame(rows, ["measure", "value"], dtypes={"measure": "string", "value": "int64"})


def network_stats(g: nx.MultiDiGraph) -> NetworkStats:
    """Counts of the adoption graph ``g`` (components are weakly connected ones).

    ``transfers`` and ``joint_work`` count edges by their ``kind`` (queries/adoption_kinds.rq); an edge
    without a kind (a graph built from hops alone) is in neither.
    """
    components = [len(c) for c in nx.weakly_connected_components(g)] if len(g) else []
    starts = [d for _, _, d in g.edges(data="start")]
    kinds: list[str | None] = [kind for _, _, kind in g.edges(data="kind")]  # type: ignore[var-annotated]
    return NetworkStats(
        nodes=g.number_of_nodes(),
        adoptions=g.number_of_edges(),
        origins=sum(1 for n in g if g.out_degree(n) > 0),
        adopters=sum(1 for n in g if g.in_degree(n) > 0),
        solutions=len({d for _, _, d in g.edges(data="solution")}),
        assets=len({d for _, _, d in g.edges(data="asset")}),
        components=len(components),
        largest_component=max(components, default=0),
        dated=sum(1 for s in starts if s),
        undated=sum(1 for s in starts if not s),
        transfers=kinds.count(TRANSFER),
        joint_work=kinds.count(JOINT_WORK),
        by_status=dict(sorted(Counter(d or "unknown" for _, _, d in g.edges(data="status")).items())),
        by_mode=dict(sorted(Counter(d or "unknown" for _, _, d in g.edges(data="mode")).items())),
    )


# --------------------------------------------------------------------------------------------
# Diffusion cascade
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CascadeStep:
    """One adoption inside a cascade, with its distance from the cascade's root."""

    adoption: str
    origin: str
    origin_label: str
    adopter: str
    adopter_label: str
    asset: str
    asset_label: str
    depth: int
    mode: str | None
    status: str
    start: str | None
    end: str | None
    start_precision: str | None
    days_from_first: int | None
    years_from_first: int | None
    kind: str | None = None  # "transfer" or "joint-work" (queries/adoption_kinds.rq)
    within: str | None = None  # the group of joint work


@dataclass(frozen=True)
class Cascade:
    """How one solution (with its modules) or one module spread from its origin(s).

    ``depth`` is the longest shortest-distance from a root (1 = everyone adopted from the root
    directly); ``breadth`` the largest number of adopters at one depth; ``per_year`` counts
    adoptions by start year (``undated`` separately).

    Time since the first adoption keeps the precision of the sources. ``first_start`` is the
    earliest start date as the source gives it (a year that could contain an earlier day wins
    over that day: ``2020`` before ``2020-12-22``), with ``first_precision``. Each step's
    ``days_from_first`` is the number of days from ``first_start`` to its start only when *both*
    are dated to the day, and NA otherwise: a year or month never becomes its 1 January or first
    day. ``years_from_first`` is the difference of calendar years, defined for every dated step.
    """

    asset: str
    asset_label: str
    roots: tuple[tuple[str, str], ...]
    steps: tuple[CascadeStep, ...]
    depth: int
    breadth: int
    per_level: dict[int, int]
    per_year: dict[str, int]
    by_status: dict[str, int]
    first_start: str | None
    message: str
    tree: nx.DiGraph = field(repr=False, compare=False)

    @property
    def first_precision(self) -> str | None:
        """``year``, ``month`` or ``day``: how precisely the cascade's first adoption is dated."""
        return precision(self.first_start)

    @property
    def adopters(self) -> tuple[tuple[str, str], ...]:
        """Distinct adopters (IRI, label), ordered by label."""
        seen = {s.adopter: s.adopter_label for s in self.steps}
        return tuple(sorted(seen.items(), key=lambda item: (item[1], item[0])))

    @property
    def empty(self) -> bool:
        return not self.steps

    def frame(self) -> pd.DataFrame:
        """One row per adoption; ``start``/``end`` as text with ``_date`` and ``_precision`` companions."""
        return _frame(self.steps, CascadeStep.__dataclass_fields__, CascadeStep, date_columns=("start", "end"))

    def summary(self) -> dict[str, Any]:
        return {
            "asset": self.asset, "asset_label": self.asset_label,
            "roots": [{"iri": i, "label": label} for i, label in self.roots],
            "adoptions": len(self.steps), "adopters": len(self.adopters), "depth": self.depth,
            "breadth": self.breadth, "per_level": self.per_level, "per_year": self.per_year,
            "by_status": self.by_status, "first_start": self.first_start, "first_precision": self.first_precision,
            "message": self.message,
        }


def cascade(g: nx.MultiDiGraph, asset: str, asset_label: str | None = None) -> Cascade:
    """The diffusion cascade of ``asset`` (a solution includes adoptions of its modules).

    Roots are the origins no one in the cascade passed the asset to; if the cascade is a cycle,
    the origin of its earliest adoption. Depth per adopter is the shortest distance from a root.
    """
    hops = [
        edge_hop(g, u, v, k) for u, v, k, d in g.edges(keys=True, data=True)
        if d.get("asset") == asset or d.get("solution") == asset
    ]
    label = asset_label or next((h.solution_label if h.solution == asset else h.asset_label for h in hops), asset)
    tree = nx.DiGraph(name=f"cascade of {label}")
    if not hops:
        return Cascade(asset, label, (), (), 0, 0, {}, {}, dict.fromkeys(STATUSES, 0), None,
                       f"no adoptions of {label} <{asset}>", tree)
    for hop in hops:
        tree.add_node(hop.origin, label=hop.origin_label)
        tree.add_node(hop.adopter, label=hop.adopter_label)
        tree.add_edge(hop.origin, hop.adopter, **({"kind": hop.kind} if hop.kind else {}))
    roots = sorted(n for n in tree if tree.in_degree(n) == 0)
    if not roots:
        earliest = min(hops, key=lambda h: (h.start is None, h.start or "", h.adoption))
        roots = [earliest.origin]
    depth_of = dict.fromkeys(roots, 0)
    for root in roots:
        for node, distance in nx.single_source_shortest_path_length(tree, root).items():
            depth_of[node] = min(depth_of.get(node, distance), distance)
    for node, level in depth_of.items():
        tree.nodes[node]["depth"] = level
    firsts = [h.start for h in hops if h.start]
    # the earliest period start; on a tie the coarser date ("2020" before "2020-01-01"), which may be earlier
    first = min(firsts, key=lambda s: (period_start(s) or date.max, s)) if firsts else None
    steps = []
    for hop in sorted(hops, key=lambda h: (depth_of.get(h.adopter, 0), h.start is None,
                                            period_start(h.start) or date.max, h.adopter_label, h.adoption)):
        steps.append(CascadeStep(
            adoption=hop.adoption, origin=hop.origin, origin_label=hop.origin_label, adopter=hop.adopter,
            adopter_label=hop.adopter_label, asset=hop.asset, asset_label=hop.asset_label,
            depth=depth_of.get(hop.adopter, 0), mode=hop.mode, status=hop.status or "unknown", start=hop.start,
            end=hop.end, start_precision=precision(hop.start),
            days_from_first=days_between(first, hop.start), years_from_first=years_between(first, hop.start),
            kind=hop.kind, within=hop.within,
        ))
    adopter_levels = {s.adopter: s.depth for s in steps}
    per_level = dict(sorted(Counter(adopter_levels.values()).items()))
    years = Counter(s.start[:4] if s.start else "undated" for s in steps)
    per_year = dict(sorted(years.items(), key=lambda kv: (kv[0] == "undated", kv[0])))
    by_status = dict.fromkeys(STATUSES, 0) | dict(Counter(s.status for s in steps))
    depth = max(per_level, default=0)
    root_labels = ", ".join(_label(tree, r) for r in roots)
    joint = sum(1 for s in steps if s.kind == JOINT_WORK)
    kinds = f" ({len(steps) - joint} transfer(s), {joint} joint work)" if any(s.kind for s in steps) else ""
    message = (f"{label}: {len(steps)} adoption(s){kinds} by {len(adopter_levels)} adopter(s) from {root_labels}; "
               f"depth {depth}, breadth {max(per_level.values(), default=0)}")
    return Cascade(asset, label, tuple((r, _label(tree, r)) for r in roots), tuple(steps), depth,
                   max(per_level.values(), default=0), per_level, per_year, by_status, first, message, tree)


# --------------------------------------------------------------------------------------------
# Reach of an origin
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reached:
    """A node an origin's solutions reached: directly, through others, in time order or not."""

    node: str
    label: str
    direct: bool
    hops: int
    time_respecting: bool
    via_undated: bool
    assets: str
    path: str


@dataclass(frozen=True)
class Reach:
    """Who adopted from an origin directly, and who was reached through chains of adoptions.

    ``transitive`` counts every node reachable along adoption edges; ``time_respecting`` those
    reachable by a chain whose dated hops never go back in time (a chain with undated hops
    counts, and is flagged ``via_undated``).
    """

    origin: str
    origin_label: str
    reached: tuple[Reached, ...]
    message: str

    @property
    def direct(self) -> int:
        return sum(1 for r in self.reached if r.direct)

    @property
    def transitive(self) -> int:
        return len(self.reached)

    @property
    def time_respecting(self) -> int:
        """Reached by a chain no dated hop of which goes back in time (``fully_dated`` + ``via_undated``)."""
        return sum(1 for r in self.reached if r.time_respecting)

    @property
    def via_undated(self) -> int:
        """Reached in time order only through a chain with an undated hop: not contradicted, not confirmed."""
        return sum(1 for r in self.reached if r.time_respecting and r.via_undated)

    @property
    def fully_dated(self) -> int:
        """Reached by a time-respecting chain every hop of which has a start date."""
        return self.time_respecting - self.via_undated

    def frame(self) -> pd.DataFrame:
        return _frame(self.reached, Reached.__dataclass_fields__, Reached)

    def summary(self) -> dict[str, Any]:
        return {"origin": self.origin, "origin_label": self.origin_label, "direct": self.direct,
                "transitive": self.transitive, "time_respecting": self.time_respecting,
                "fully_dated": self.fully_dated, "via_undated": self.via_undated, "message": self.message}


def reach(g: nx.MultiDiGraph, origin: str, origin_label: str | None = None) -> Reach:
    """The reach of ``origin`` in the adoption graph ``g``."""
    label = origin_label or _label(g, origin)
    if origin not in g or g.out_degree(origin) == 0:
        return Reach(origin, label, (), f"no adoptions from {label} <{origin}>")
    distances = nx.single_source_shortest_path_length(g, origin)
    arrivals: dict[str, Arrival] = time_respecting_reach(g, origin)
    rows = []
    for node, hops in distances.items():
        if node == origin:
            continue
        arrival = arrivals.get(node)
        if hops == 1:
            assets = sorted({d.get("asset_label", d["asset"]) for d in g.get_edge_data(origin, node).values()})
        else:
            assets = []
        path = arrival.path if arrival else ()
        rows.append(Reached(node, _label(g, node), hops == 1, hops, arrival is not None,
                            bool(arrival and arrival.undated), "; ".join(assets), " ".join(path)))
    rows.sort(key=lambda r: (r.hops, r.label, r.node))
    result = Reach(origin, label, tuple(rows), "")
    message = (f"{label}: {result.direct} direct adopter(s), {result.transitive} reached in all, "
               f"{result.time_respecting} of them by time-respecting chains: {result.fully_dated} by fully dated "
               f"chains, {result.via_undated} only by chains with an undated hop (order in time unknown)")
    return Reach(origin, label, tuple(rows), message)


# --------------------------------------------------------------------------------------------
# Brokers, hubs, operators
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Broker:
    """A node's position: adoptions it passed on (out) and received (in), and its betweenness."""

    node: str
    label: str
    kind: str
    adoptions_out: int
    adoptions_in: int
    adopters: int
    origins: int
    betweenness: float


def brokers(g: nx.MultiDiGraph, *, k: int | None = None, seed: int = 42) -> list[Broker]:
    """Every node ranked by betweenness (broker), then by adoptions passed on (hub).

    Betweenness is computed on the simple directed graph (parallel adoptions count once),
    normalised; ``k`` samples that many sources for an approximation on large graphs.
    """
    if len(g) == 0:
        return []
    simple = nx.DiGraph()  # without edge data: copying a million attribute dicts costs more than the analysis
    simple.add_nodes_from(g)
    simple.add_edges_from(g.edges())
    sample = k if k is not None and k < len(simple) else None
    centrality = nx.betweenness_centrality(simple, k=sample, seed=seed if sample else None, normalized=True)
    rows = [
        Broker(n, _label(g, n), g.nodes[n].get("kind", ""), g.out_degree(n), g.in_degree(n), simple.out_degree(n),
               simple.in_degree(n), round(centrality.get(n, 0.0), 6))
        for n in g
    ]
    rows.sort(key=lambda b: (-b.betweenness, -b.adoptions_out, -b.adoptions_in, b.label, b.node))
    return rows


def brokers_frame(rows: list[Broker]) -> pd.DataFrame:
    return _frame(rows, Broker.__dataclass_fields__, Broker)


@dataclass(frozen=True)
class OperatorReach:
    """What an operator runs or maintains and whom that serves."""

    operator: str
    label: str
    roles: str
    assets: str
    adopters: int
    clients: int
    served: str


def operators_reach(og: nx.MultiDiGraph) -> list[OperatorReach]:
    """Per operator of the operator graph: role types, assets, adopters of those assets, named clients."""
    rows = []
    for node, data in og.nodes(data=True):
        if data.get("node_type") != "operator":
            continue
        roles: set[str] = set()
        assets: dict[str, str] = {}
        clients: set[str] = set()
        for _, target, edge in og.out_edges(node, data=True):
            if edge["relation"] == "serves":
                clients.add(target)
            else:
                roles.add(edge["relation"])
                assets[target] = _label(og, target)
        adopters = {v for a in assets for _, v, e in og.out_edges(a, data=True) if e.get("relation") == "adopted"}
        served = adopters | clients
        rows.append(OperatorReach(
            node, _label(og, node), " ".join(sorted(roles)), "; ".join(sorted(assets.values())), len(adopters),
            len(clients), "; ".join(sorted(_label(og, s) for s in served)),
        ))
    rows.sort(key=lambda r: (-(r.adopters + r.clients), r.label, r.operator))
    return rows


def operators_frame(rows: list[OperatorReach]) -> pd.DataFrame:
    return _frame(rows, OperatorReach.__dataclass_fields__, OperatorReach)


# --------------------------------------------------------------------------------------------
# Communities
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Community:
    """A group of nodes more densely linked by adoptions among themselves than with the rest."""

    number: int
    label: str
    size: int
    adoptions: int
    dominant_solution: str
    dominant_solution_label: str
    top_members: str
    members: tuple[tuple[str, str], ...]


def communities(g: nx.MultiDiGraph, *, method: str = "louvain", seed: int = 42, top: int = 3) -> list[Community]:
    """Communities of the undirected adoption graph (weights = number of adoptions between two nodes).

    Each is labelled by its dominant solution (the one most adoptions inside it are of) and its
    ``top`` highest-degree members. ``method`` is ``louvain`` (seeded, so repeatable) or ``greedy``
    (greedy modularity). Ties in degree are broken by label, then IRI.
    """
    if len(g) == 0:
        return []
    undirected = nx.Graph()
    undirected.add_nodes_from(g.nodes)
    for u, v in g.edges():
        if undirected.has_edge(u, v):
            undirected.edges[u, v]["weight"] += 1
        else:
            undirected.add_edge(u, v, weight=1)
    if method == "louvain":
        parts = nx.community.louvain_communities(undirected, weight="weight", seed=seed)
    elif method == "greedy":
        parts = nx.community.greedy_modularity_communities(undirected, weight="weight")
    else:
        from .errors import InputError

        raise InputError(f"unknown community method '{method}' (known: louvain, greedy)")
    result = []
    for part in parts:
        members = set(part)
        inside = [(u, v, d) for u, v, d in g.edges(data=True) if u in members and v in members]
        solutions = Counter((d.get("solution", ""), d.get("solution_label", "")) for _, _, d in inside)
        (solution, solution_label), _count = (
            min(solutions.items(), key=lambda kv: (-kv[1], kv[0][1])) if solutions else (("", ""), 0)
        )
        ranked = sorted(members, key=lambda n: (-g.degree(n), _label(g, n), n))
        top_labels = [_label(g, n) for n in ranked[:top]]
        name = f"{solution_label}: {', '.join(top_labels)}" if solution_label else ", ".join(top_labels)
        result.append(Community(0, name, len(members), len(inside), solution, solution_label, "; ".join(top_labels),
                                tuple((n, _label(g, n)) for n in ranked)))
    result.sort(key=lambda c: (-c.size, -c.adoptions, c.label))
    return [Community(i, c.label, c.size, c.adoptions, c.dominant_solution, c.dominant_solution_label, c.top_members,
                      c.members) for i, c in enumerate(result, 1)]


def communities_frame(rows: list[Community]) -> pd.DataFrame:
    data = [{k: v for k, v in asdict(c).items() if k != "members"} for c in rows]
    return _frame(data, [f for f in Community.__dataclass_fields__ if f != "members"], Community)


def community_of(rows: list[Community]) -> dict[str, int]:
    """Node IRI → community number."""
    return {node: c.number for c in rows for node, _ in c.members}


# --------------------------------------------------------------------------------------------
# Regional view
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Regional:
    """Adoptions within vs across federal states, and MPSC vs other adopters."""

    within_state: int
    across_states: int
    state_unknown: int
    flows: dict[tuple[str, str], int]
    mpsc_adopters: int
    other_adopters: int
    adoptions_by_mpsc_adopters: int
    adoptions_by_other_adopters: int
    by_solution: tuple[dict[str, Any], ...]

    def flows_frame(self) -> pd.DataFrame:
        """Origin state × adopter state counts (``unknown`` when a body has no state)."""
        rows = [{"origin_state": a, "adopter_state": b, "adoptions": n} for (a, b), n in self.flows.items()]
        return _frame(rows, ["origin_state", "adopter_state", "adoptions"],
                      dtypes={"origin_state": "string", "adopter_state": "string", "adoptions": "int64"})

    def frame(self) -> pd.DataFrame:
        """Per solution: adoptions within a state, across states, unknown; by MPSC and other adopters."""
        counts = ("within_state", "across_states", "state_unknown", "mpsc_adopters", "other_adopters")
        return _frame(self.by_solution, ["solution", "solution_label", *counts],
                      dtypes={"solution": "string", "solution_label": "string"} | dict.fromkeys(counts, "int64"))

    def summary(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if k not in ("flows", "by_solution")}


def regional(g: nx.MultiDiGraph) -> Regional:
    """The regional view of the adoption graph (needs node attributes ``state_label`` and ``mpsc``)."""
    flows: Counter[tuple[str, str]] = Counter()
    per_solution: dict[str, dict[str, Any]] = {}
    within = across = unknown = 0
    adopters: dict[str, bool] = {}
    adoptions_mpsc = adoptions_other = 0
    for hop in iter_hops(g):
        a = g.nodes[hop.origin].get("state_label")
        b = g.nodes[hop.adopter].get("state_label")
        flows[(a or "unknown", b or "unknown")] += 1
        row = per_solution.setdefault(hop.solution, {
            "solution": hop.solution, "solution_label": hop.solution_label, "within_state": 0, "across_states": 0,
            "state_unknown": 0, "mpsc_adopters": set(), "other_adopters": set()})
        if not a or not b:
            unknown += 1
            row["state_unknown"] += 1
        elif a == b:
            within += 1
            row["within_state"] += 1
        else:
            across += 1
            row["across_states"] += 1
        is_mpsc = bool(g.nodes[hop.adopter].get("mpsc"))
        adopters[hop.adopter] = is_mpsc
        row["mpsc_adopters" if is_mpsc else "other_adopters"].add(hop.adopter)
        if is_mpsc:
            adoptions_mpsc += 1
        else:
            adoptions_other += 1
    by_solution = tuple(
        {**row, "mpsc_adopters": len(row["mpsc_adopters"]), "other_adopters": len(row["other_adopters"])}
        for row in sorted(per_solution.values(), key=lambda r: (r["solution_label"], r["solution"]))
    )
    return Regional(
        within_state=within, across_states=across, state_unknown=unknown,
        flows=dict(sorted(flows.items(), key=lambda kv: (-kv[1], kv[0]))),
        mpsc_adopters=sum(adopters.values()), other_adopters=sum(1 for v in adopters.values() if not v),
        adoptions_by_mpsc_adopters=adoptions_mpsc, adoptions_by_other_adopters=adoptions_other,
        by_solution=by_solution,
    )


# --------------------------------------------------------------------------------------------
# Timeline
# --------------------------------------------------------------------------------------------


def adoptions_per_year(g: nx.MultiDiGraph, *, by: str = "solution_label") -> dict[str, dict[str, int]]:
    """Adoption counts per start year (``undated`` last) and per value of edge attribute ``by``."""
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for _, _, data in g.edges(data=True):
        year = data["start"][:4] if data.get("start") else "undated"
        table[year][str(data.get(by) or "unknown")] += 1
    years = sorted(table, key=lambda y: (y == "undated", y))
    return {year: dict(sorted(table[year].items())) for year in years}


def hop_rows(hops: Iterable[Hop]) -> pd.DataFrame:
    """Hops as a DataFrame (one row per adoption)."""
    rows = [{**h.as_dict(), "sources": " ".join(h.sources)} for h in hops]
    return _frame(rows, Hop.__slots__, Hop, date_columns=("start", "end"),  # type: ignore[attr-defined]
                  dtypes={"sources": "string"})

