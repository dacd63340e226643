"""The geometry of the map the server draws itself: the outline of Germany, a projection, arcs.

The outline is read from the vendored, unmodified Natural Earth 1:50m countries TopoJSON of
``world-atlas`` (country id 276), the same file the browser's map reads, so the page without
JavaScript and the enhanced map show one Germany. The projection is the Lambert conformal conic with
standard parallels 48°40' and 53°40' and central meridian 10°30' E, usual for maps of Germany (the
browser uses d3-geo's ``geoConicConformal`` with the same parameters), fitted into the drawing.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

OUTLINE_FILE = Path(__file__).resolve().parents[1] / "static" / "vendor" / "world-atlas-2.0.2" / "countries-50m.json"
OUTLINE_URL = "/static/vendor/world-atlas-2.0.2/countries-50m.json"
GERMANY = "276"
PARALLELS = (48 + 2 / 3, 53 + 2 / 3)
CENTRAL_MERIDIAN = 10.5

Point = tuple[float, float]
Ring = list[Point]


@lru_cache(maxsize=1)
def germany_outline() -> tuple[Ring, ...]:
    """The rings (longitude, latitude) of Germany's outline, decoded from the TopoJSON's quantised arcs."""
    topology = json.loads(OUTLINE_FILE.read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    geometry = next(g for g in topology["objects"]["countries"]["geometries"] if str(g.get("id")) == GERMANY)
    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]

    def arc(index: int) -> Ring:
        x = y = 0
        points = []
        for dx, dy in topology["arcs"][index if index >= 0 else ~index]:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        return points if index >= 0 else points[::-1]

    rings = []
    for polygon in polygons:
        for ring_arcs in polygon:
            ring: Ring = []
            for index in ring_arcs:
                points = arc(index)
                ring.extend(points if not ring else points[1:])
            rings.append(ring)
    return tuple(rings)


class Projection:
    """Lambert conformal conic (sphere), scaled and shifted so that ``bounds`` fill ``width`` × ``height``."""

    def __init__(self, bounds: Sequence[Ring], width: float, height: float, margin: float = 8.0) -> None:
        phi1, phi2 = (math.radians(p) for p in PARALLELS)
        self.n = math.log(math.cos(phi1) / math.cos(phi2)) / math.log(
            math.tan(math.pi / 4 + phi2 / 2) / math.tan(math.pi / 4 + phi1 / 2)
        )
        self.f = math.cos(phi1) * math.tan(math.pi / 4 + phi1 / 2) ** self.n / self.n
        raw = [self._raw(p) for ring in bounds for p in ring]
        xs, ys = [p[0] for p in raw], [p[1] for p in raw]
        self.scale = min((width - 2 * margin) / (max(xs) - min(xs)), (height - 2 * margin) / (max(ys) - min(ys)))
        self.left = min(xs) - ((width - 2 * margin) / self.scale - (max(xs) - min(xs))) / 2 - margin / self.scale
        self.top = max(ys) + ((height - 2 * margin) / self.scale - (max(ys) - min(ys))) / 2 + margin / self.scale

    def _raw(self, point: Point) -> Point:
        lon, lat = point
        rho = self.f / math.tan(math.pi / 4 + math.radians(lat) / 2) ** self.n
        theta = self.n * math.radians(lon - CENTRAL_MERIDIAN)
        return rho * math.sin(theta), -rho * math.cos(theta)

    def __call__(self, point: Point) -> Point:
        x, y = self._raw(point)
        return round((x - self.left) * self.scale, 1), round((self.top - y) * self.scale, 1)


def outline_path(projection: Projection, rings: Sequence[Ring]) -> str:
    """SVG path data of ``rings``."""
    parts = []
    for ring in rings:
        points = [projection(p) for p in ring]
        parts.append("M" + "L".join(f"{x},{y}" for x, y in points) + "Z")
    return "".join(parts)


def arc_path(start: Point, end: Point, bend: float = 0.2) -> str:
    """A curve from ``start`` to ``end`` that bends to the right as it goes (so A→B and B→A stay apart);
    a flow within one place is a small loop above it."""
    (x1, y1), (x2, y2) = start, end
    dx, dy = x2 - x1, y2 - y1
    if math.hypot(dx, dy) < 1:
        return f"M{x1},{y1}C{x1 - 9},{y1 - 14} {x1 + 9},{y1 - 14} {x1},{y1}"
    cx, cy = round((x1 + x2) / 2 - dy * bend, 1), round((y1 + y2) / 2 + dx * bend, 1)
    return f"M{x1},{y1}Q{cx},{cy} {x2},{y2}"


def parse_point(wkt: str) -> Point | None:
    """(longitude, latitude) of a WKT ``POINT(lon lat)``; None for anything else."""
    text = wkt.strip()
    if not text.upper().startswith("POINT") or "(" not in text or not text.endswith(")"):
        return None
    try:
        lon, lat = (float(v) for v in text[text.index("(") + 1 : -1].split())
    except ValueError:
        return None
    return (lon, lat) if -180 <= lon <= 180 and -90 <= lat <= 90 else None
