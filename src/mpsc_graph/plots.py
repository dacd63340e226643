"""Pictures of the adoption network with matplotlib (Agg, no display needed).

Why a wrapper (:class:`Plot`): figures are drawn without pyplot, so nothing depends on the
backend a caller has configured; the same object saves a PNG for the CLI and shows itself as an
``image/png`` output in Jupyter (``_repr_png_``). Every picture has a title, labelled nodes or
axes and a legend that says what the colours mean.
"""

from __future__ import annotations

import io
import math
from collections import Counter
from dataclasses import dataclass

import networkx as nx
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .analysis import Cascade, adoptions_per_year, communities, community_of
from .network import JOINT_WORK

#: colours of adoption statuses (colour-blind-safe Okabe–Ito palette)
STATUS_COLOURS = {
    "production": "#009E73", "trial": "#E69F00", "ended": "#999999", "planned": "#56B4E9", "unknown": "#FFFFFF",
}
ROLE_COLOURS = {"origin": "#D55E00", "both": "#CC79A7", "adopter": "#0072B2"}
ROLE_NAMES = {"origin": "origin only (passes solutions on)", "both": "adopter and origin",
              "adopter": "adopter only"}
DPI = 110


@dataclass
class Plot:
    """A finished matplotlib figure: ``save(path)``, ``png()``; shown as a PNG in notebooks."""

    figure: Figure

    def png(self) -> bytes:
        return png_bytes(self)

    def save(self, path: str) -> None:
        with open(path, "wb") as handle:
            handle.write(self.png())

    def _repr_png_(self) -> bytes:
        return self.png()


def png_bytes(plot: Plot | Figure) -> bytes:
    """The picture as PNG bytes, rendered with the Agg canvas."""
    figure = plot.figure if isinstance(plot, Plot) else plot
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
    return buffer.getvalue()


def _short(text: str, width: int = 38) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# --------------------------------------------------------------------------------------------
# Cascade
# --------------------------------------------------------------------------------------------


def plot_cascade(result: Cascade) -> Plot:
    """The cascade as a left-to-right tree: root(s) left, adopters by depth, coloured by status.

    Each adopter is labelled with its start date (or "undated"); adopters at one depth are
    ordered by date, undated last. Joint work (inside one model project, alliance or
    Gemeindeverband) is drawn dashed, transfers solid; the subtitle counts both.
    """
    steps_by_adopter: dict[str, list] = {}
    for step in result.steps:
        steps_by_adopter.setdefault(step.adopter, []).append(step)
    levels: dict[int, list[str]] = {0: [iri for iri, _ in result.roots]}
    for adopter, steps in steps_by_adopter.items():
        levels.setdefault(min(s.depth for s in steps), []).append(adopter)
    positions: dict[str, tuple[float, float]] = {}
    tallest = max(len(nodes) for nodes in levels.values())
    for depth, nodes in levels.items():
        if depth:
            nodes.sort(key=lambda n: (steps_by_adopter[n][0].start is None, steps_by_adopter[n][0].start or "",
                                      steps_by_adopter[n][0].adopter_label))
        offset = (tallest - len(nodes)) / 2
        for i, node in enumerate(nodes):
            positions.setdefault(node, (depth * 3.0, -(offset + i)))
    height = max(3.5, 0.36 * tallest + 1.6)
    width = 4.0 + 3.2 * max(levels)
    figure = Figure(figsize=(min(max(width, 9.0), 18.0), min(height, 30.0)), layout="constrained")
    ax = figure.add_subplot()
    tree_edges: list[tuple[str, str, str | None]] = list(result.tree.edges(data="kind"))
    for origin, adopter, kind in tree_edges:
        if origin in positions and adopter in positions:
            (x0, y0), (x1, y1) = positions[origin], positions[adopter]
            ax.annotate("", xy=(x1 - 0.12, y1), xytext=(x0 + 0.12, y0),
                        arrowprops={"arrowstyle": "-|>", "color": "#777777", "lw": 0.8, "shrinkA": 4, "shrinkB": 4,
                                    "linestyle": "--" if kind == JOINT_WORK else "-"})
    labels = dict(result.roots)
    for iri, (x, y) in positions.items():
        if iri in labels and iri not in steps_by_adopter:
            ax.scatter([x], [y], s=260, c="#D55E00", edgecolors="black", zorder=3, marker="s")
            ax.text(x - 0.25, y, labels[iri], ha="right", va="center", fontsize=10, fontweight="bold")
            continue
        steps = steps_by_adopter[iri]
        status = steps[0].status
        ax.scatter([x], [y], s=140, c=STATUS_COLOURS.get(status, "#FFFFFF"), edgecolors="black", zorder=3)
        dates = ", ".join(s.start or "undated" for s in steps)
        modules = {s.asset_label for s in steps if s.asset != result.asset and s.asset_label != result.asset_label}
        extra = f" – {_short(', '.join(sorted(modules)), 30)}" if modules else ""
        ax.text(x + 0.2, y, f"{steps[0].adopter_label} ({dates}){extra}", ha="left", va="center", fontsize=9)
    ax.set_xlim(-3.0, 3.0 * max(levels) + 6.5)
    ax.set_ylim(-tallest + 0.3, 0.9)
    ax.axis("off")
    present = [s for s in STATUS_COLOURS if result.by_status.get(s)]
    handles = [Line2D([], [], marker="s", ls="", markersize=10, markerfacecolor="#D55E00", markeredgecolor="black",
                      label="origin")]
    handles += [Line2D([], [], marker="o", ls="", markersize=9, markerfacecolor=STATUS_COLOURS[s],
                       markeredgecolor="black", label=f"{s} ({result.by_status[s]})") for s in present]
    ax.legend(handles=handles, title="adopter status", loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    if any(s.kind == JOINT_WORK for s in result.steps):
        handles.append(Line2D([], [], color="#777777", ls="--", label="joint work"))
    years = ", ".join(f"{y}: {n}" for y, n in result.per_year.items())
    joint = sum(1 for s in result.steps if s.kind == JOINT_WORK)
    kinds = f"{len(result.steps) - joint} transfers, {joint} joint work · " if any(s.kind for s in result.steps) else ""
    figure.suptitle(f"Diffusion of {result.asset_label}", fontsize=13, fontweight="bold")
    ax.set_title(f"{len(result.adopters)} adopters, depth {result.depth}, breadth {result.breadth} · {kinds}"
                 f"adoptions per start year: {years}", fontsize=9)
    return Plot(figure)


# --------------------------------------------------------------------------------------------
# Whole network
# --------------------------------------------------------------------------------------------


def _role(g: nx.MultiDiGraph, node: str) -> str:
    out, inc = g.out_degree(node) > 0, g.in_degree(node) > 0
    return "both" if out and inc else "origin" if out else "adopter"


def plot_network(g: nx.MultiDiGraph, *, color_by: str = "role", label_top: int = 12, seed: int = 7) -> Plot:
    """The adoption network: node size by adoptions, colour by role, federal state or community.

    Origins, brokers, adopters of several solutions and the ``label_top`` best-connected nodes are
    labelled; every other node is
    a dot (the full list is a table or an export away).
    """
    simple: nx.Graph[str] = nx.Graph(g.to_undirected())
    layout = packed_layout(simple, seed=seed)
    xs = [p[0] for p in layout.values()]
    ys = [p[1] for p in layout.values()]
    aspect = (max(ys) - min(ys) + 0.5) / (max(xs) - min(xs) + 0.5) if layout else 1.0
    figure = Figure(figsize=(14, min(max(14 * aspect * 0.8, 6.0), 14.0)), layout="constrained")
    ax = figure.add_subplot()
    degree = dict(g.degree())
    if color_by == "state":
        states = sorted({g.nodes[n].get("state_label", "unknown") for n in g})
        palette = _palette(len(states))
        colour_of = {s: palette[i] for i, s in enumerate(states)}
        node_key = {n: g.nodes[n].get("state_label", "unknown") for n in g}
        legend_title = "federal state"
        names = {s: s for s in states}
    elif color_by == "community":
        found = communities(g)
        membership = community_of(found)
        palette = _palette(len(found))
        colour_of = {c.number: palette[i] for i, c in enumerate(found)}
        node_key = {n: membership.get(n, 0) for n in g}
        legend_title = "community (dominant solution)"
        names = {c.number: f"{c.number}: {_short(c.dominant_solution_label or c.label, 34)}" for c in found}
    else:
        colour_of = dict(ROLE_COLOURS)
        node_key = {n: _role(g, n) for n in g}
        legend_title = "role in the adoption network"
        names = dict(ROLE_NAMES)
    edge_kinds: list[tuple[str, str, str | None]] = list(g.edges(data="kind"))
    joint_pairs = {frozenset((u, v)) for u, v, kind in edge_kinds if kind == JOINT_WORK}
    transfer_pairs = {frozenset((u, v)) for u, v, kind in edge_kinds if kind != JOINT_WORK}
    for u, v in simple.edges():
        (x0, y0), (x1, y1) = layout[u], layout[v]
        only_joint = frozenset((u, v)) in joint_pairs and frozenset((u, v)) not in transfer_pairs
        ax.plot([x0, x1], [y0, y1], color="#BBBBBB", lw=0.7, zorder=1, ls="--" if only_joint else "-")
    nodes = list(g)
    ax.scatter([layout[n][0] for n in nodes], [layout[n][1] for n in nodes],
               s=[30 + 18 * degree[n] for n in nodes], c=[colour_of[node_key[n]] for n in nodes],
               edgecolors="black", linewidths=0.5, zorder=2)
    ranked = sorted(nodes, key=lambda n: (-g.out_degree(n), -degree[n], g.nodes[n].get("label", n)))
    labelled = set(ranked[:label_top]) | {n for n in nodes if g.out_degree(n) > 0 or g.in_degree(n) > 1}
    texts = []
    for n in sorted(labelled, key=ranked.index):  # most important first: they keep the place above their node
        weight = "bold" if g.out_degree(n) > 0 else "normal"
        texts.append(ax.annotate(_short(g.nodes[n].get("label", n), 30), layout[n], xytext=(0, 6),
                                 textcoords="offset points", fontsize=8, ha="center", va="bottom", fontweight=weight,
                                 zorder=3, bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none",
                                                 "alpha": 0.7}))
    used = Counter(node_key.values())
    handles = [Patch(facecolor=colour_of[k], edgecolor="black", label=f"{names[k]} ({used[k]})")
               for k in colour_of if used.get(k)]
    ax.legend(handles=handles, title=legend_title, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False,
              fontsize=8, title_fontsize=9)
    ax.axis("off")
    figure.suptitle("Adoption network: who adopted solutions from whom", fontsize=14, fontweight="bold")
    joint = sum(1 for _, _, k in edge_kinds if k == JOINT_WORK)
    kinds = (f" ({g.number_of_edges() - joint} transfers, {joint} joint work: dashed)"
             if any(k is not None for _, _, k in edge_kinds) else "")
    ax.set_title(f"{g.number_of_nodes()} public bodies, {g.number_of_edges()} adoptions{kinds} · node size = adoptions "
                 "given and received · bold labels = origins; also labelled: adopters of several solutions", fontsize=9)
    _spread_labels(figure, texts)
    return Plot(figure)


#: where a node's label may go, tried in order: (offset in points, horizontal and vertical alignment)
LABEL_PLACES = (((0, 6), "center", "bottom"), ((0, -7), "center", "top"), ((7, 0), "left", "center"),
                ((-7, 0), "right", "center"), ((0, 16), "center", "bottom"), ((0, -17), "center", "top"),
                ((9, 9), "left", "bottom"), ((-9, -9), "right", "top"), ((-9, 9), "right", "bottom"),
                ((9, -9), "left", "top"))


def _spread_labels(figure: Figure, texts: list) -> None:
    """Move each label to the first of :data:`LABEL_PLACES` where it overlaps no label placed before it.

    Greedy and cheap (labels are few): a label that fits nowhere keeps its first place. The
    figure is laid out once first, so the extents measured are the ones drawn.
    """
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    placed: list = []
    for text in texts:
        for offset, ha, va in LABEL_PLACES:
            text.set_position(offset)
            text.set_ha(ha)
            text.set_va(va)
            box = text.get_window_extent(renderer).expanded(1.05, 1.1)
            if not any(box.overlaps(other) for other in placed):
                break
        else:
            (offset, ha, va) = LABEL_PLACES[0]
            text.set_position(offset)
            text.set_ha(ha)
            text.set_va(va)
            box = text.get_window_extent(renderer)
        placed.append(box)


def packed_layout(g: nx.Graph, *, seed: int = 7, gap: float = 0.5) -> dict[str, tuple[float, float]]:
    """A spring layout per connected component, components shelf-packed in rows, largest first.

    One spring layout of a disconnected graph throws small components to the edges and squeezes
    the large one into the middle; laying them out apart keeps every component readable.
    """
    parts = sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), c[0]))
    boxes = []
    for index, part in enumerate(parts):
        size = math.sqrt(len(part)) * (0.45 if index == 0 else 0.3) + 0.15
        if len(part) == 1:
            positions = {part[0]: (0.0, 0.0)}
        else:
            sub = g.subgraph(part)
            spring = nx.spring_layout(sub, seed=seed, scale=size, k=3.0 / math.sqrt(len(part)), iterations=500)
            positions = {n: (float(p[0]), float(p[1])) for n, p in spring.items()}
        xs = [p[0] for p in positions.values()]
        ys = [p[1] for p in positions.values()]
        boxes.append(({n: (x - min(xs), y - max(ys)) for n, (x, y) in positions.items()},
                      max(xs) - min(xs), max(ys) - min(ys)))
    if not boxes:
        return {}
    row_width = max(boxes[0][1], math.sqrt(sum((w + gap) * (h + gap) for _, w, h in boxes)) * 1.15)
    layout: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for positions, width, height in boxes:
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y - row_height - gap, 0.0
        for node, (px, py) in positions.items():
            layout[node] = (x + px, y + py)
        x += width + gap
        row_height = max(row_height, height)
    return layout


def _palette(n: int) -> list[str]:
    """``n`` distinguishable colours (tab20, then repeated in hsv)."""
    from matplotlib import colormaps

    if n <= 20:
        cmap = colormaps["tab20"]
        return [cmap(i / 20) for i in range(n)]  # type: ignore[misc]
    cmap = colormaps["hsv"]
    return [cmap(i / n) for i in range(n)]  # type: ignore[misc]


# --------------------------------------------------------------------------------------------
# Timeline
# --------------------------------------------------------------------------------------------


def plot_timeline(g: nx.MultiDiGraph, *, by: str = "solution") -> Plot:
    """Adoptions per start year as stacked bars by solution, status or mode; undated ones in their own bar."""
    attribute = {"solution": "solution_label", "status": "status", "mode": "mode"}.get(by, by)
    table = adoptions_per_year(g, by=attribute)
    years = [y for y in table if y != "undated"]
    span = [str(y) for y in range(int(years[0]), int(years[-1]) + 1)] if years else []
    columns = [*span, "undated"] if "undated" in table else span
    categories = sorted({c for counts in table.values() for c in counts},
                        key=lambda c: (-sum(t.get(c, 0) for t in table.values()), c))
    if by == "status":
        colours = {c: STATUS_COLOURS.get(c, "#CCCCCC") for c in categories}
    else:
        palette = _palette(len(categories))
        colours = {c: palette[i] for i, c in enumerate(categories)}
    figure = Figure(figsize=(max(8.0, 0.7 * len(columns) + 5), 5.5))
    ax = figure.add_subplot()
    bottoms = [0] * len(columns)
    for category in categories:
        heights = [table.get(col, {}).get(category, 0) for col in columns]
        ax.bar(range(len(columns)), heights, bottom=bottoms, color=colours[category], edgecolor="black",
               linewidth=0.4, label=_short(category, 45))
        bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
    for i, total in enumerate(bottoms):
        if total:
            ax.text(i, total + 0.3, str(total), ha="center", va="bottom", fontsize=8)
    if "undated" in columns:
        ax.axvspan(len(columns) - 1.5, len(columns) - 0.5, color="#EEEEEE", zorder=0)
    ax.set_xticks(range(len(columns)), columns, rotation=45 if len(columns) > 12 else 0)
    ax.set_xlabel("start year of the adoption (undated: no start date in any source)")
    ax.set_ylabel("adoptions")
    ax.set_ylim(0, max(bottoms, default=0) * 1.12 + 1)
    ax.legend(title=by, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    figure.suptitle(f"Adoptions per year by {by}", fontsize=13, fontweight="bold")
    dated = sum(bottoms[:-1]) if "undated" in columns else sum(bottoms)
    ax.set_title(f"{g.number_of_edges()} adoptions, {dated} with a start date", fontsize=9)
    return Plot(figure)
