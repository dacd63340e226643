"""Recommendations: which solutions and modules could a municipality reuse that it does not use yet?

For any municipality of the directory, each solution or module it neither made nor adopted is weighed by
reasons a smart-city office can check: production use by bodies of its Gemeindeverband, alliance or model
project, of its district, within a distance of its centre point, of its state, of its size class (the
BBSR's types by size, ``queries/readiness/size-classes.yaml``) or urbanisation; an open offer naming its
region; a thematic field shared with what it or its model project made; and the readiness criteria met.
Each reason has a weight in ``queries/readiness/recommend-weights.yaml`` (beside the criteria), so the
ranking can be discussed without Python; every reason names the bodies and sources behind it.

The facts come from named queries read once per graph (``production_uses``, ``municipality_profile``,
``asset_fields``, ``offers_by_region``, ``group_memberships``, ``solutions_of_municipality`` and the
readiness criteria); distances are great-circle kilometres between the directory's centre points,
computed here. The answer is deterministic: ties are ordered by label, then IRI.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import AmbiguousName, InputError
from .readiness import KIND_WORDS, criteria, default_as_of, readiness_all
from .safeyaml import YamlRefused, load_yaml

if TYPE_CHECKING:
    import pandas

    from .api import Graph

DIRECTORY_SOURCE = "https://w3id.org/mpsc-graph/id/source/destatis-gv-2020q4"
_POINT = re.compile(r"POINT\s*\(\s*([-0-9.eE]+)\s+([-0-9.eE]+)\s*\)")
_ORDER = ("group", "district", "neighbour", "offer_state", "state", "size", "urbanisation", "theme", "readiness")


def _load(path: Path) -> dict[str, Any]:
    try:
        loaded = load_yaml(path.read_text(encoding="utf-8"), str(path))[0]
    except (OSError, YamlRefused) as exc:
        raise InputError(f"cannot read {path.name}: {exc}", path=path) from None
    if not isinstance(loaded, dict):
        raise InputError("expected a mapping", path=path)
    return loaded


@dataclass(frozen=True)
class Settings:
    """The weights and size classes, read from their files beside the criteria."""

    weights: dict[str, float]
    fits: frozenset[str]
    max_count: int
    neighbour_km: float
    classes: list[tuple[str, str, str, int]]  # (key, German, English, minimum population), largest first
    size_source: str

    @classmethod
    def read(cls, queries_dir: Path) -> Settings:
        path = queries_dir / "readiness" / "recommend-weights.yaml"
        raw = _load(path)
        reasons = raw.get("reasons") or {}
        unknown = sorted(set(reasons) - set(_ORDER))
        missing = sorted(set(_ORDER) - set(reasons))
        if unknown or missing:
            raise InputError(
                f"reasons must be exactly {', '.join(_ORDER)} (unknown: {unknown}, missing: {missing})", path=path
            )
        weights = {key: float(value["weight"]) for key, value in reasons.items()}
        fits = frozenset(key for key, value in reasons.items() if value.get("fits"))
        sizes_path = queries_dir / "readiness" / "size-classes.yaml"
        sizes = _load(sizes_path)
        classes = sorted(
            ((str(c["key"]), str(c["de"]), str(c["en"]), int(c["min_population"])) for c in sizes.get("classes") or []),
            key=lambda c: -c[3],
        )
        if not classes:
            raise InputError("no size classes", path=sizes_path)
        source = sizes.get("source") or {}
        return cls(
            weights,
            fits,
            int(raw.get("max_count", 3)),
            float(raw.get("neighbour_km", 50)),
            classes,
            f"{source.get('publisher', '')}: {source.get('title', '')} <{source.get('url', '')}>",
        )

    def size_class(self, population: int | None) -> tuple[str, str, str, int] | None:
        if population is None:
            return None
        return next((c for c in self.classes if population >= c[3]), None)


def _point(wkt: Any) -> tuple[float, float] | None:
    found = _POINT.search(str(wkt or ""))
    return (float(found.group(1)), float(found.group(2))) if found else None


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (longitude, latitude) points, on a sphere of 6371 km."""
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _n(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


def _slug(iri: Any) -> str:
    return str(iri or "").rstrip("/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Reason:
    """One reason for a recommendation: its key, words, the bodies behind it and their sources."""

    key: str
    text_de: str
    text_en: str
    bodies: tuple[str, ...]
    sources: tuple[str, ...]
    points: float

    def text(self, lang: str) -> str:
        return self.text_de if lang == "de" else self.text_en


@dataclass(frozen=True)
class Recommendation:
    asset: str
    kind: str
    label: str
    score: float
    reasons: tuple[Reason, ...]


@dataclass
class Answer:
    """The recommendations for one municipality, with what it was compared on."""

    municipality: str
    label: str
    ags: str
    profile: dict[str, Any]
    as_of: date
    directory: str
    recommendations: list[Recommendation]
    why_none: str = ""
    in_use: list[str] = field(default_factory=list)

    def head(self, lang: str) -> list[str]:
        p = self.profile
        where = ", ".join(str(x) for x in (p.get("districtLabel"), p.get("stateLabel")) if x)
        size = p.get("sizeLabel_de" if lang == "de" else "sizeLabel_en") or ""
        people = f"{p['population']:,}" if p.get("population") is not None else "?"
        people = people.replace(",", ".") if lang == "de" else people
        inhabitants = "Einwohner" if lang == "de" else "inhabitants"
        title = "Empfehlungen für" if lang == "de" else "Recommendations for"
        lines = [
            f"{title} {self.label} (AGS {self.ags or '?'}; {where}; {people} {inhabitants}"
            + (f", {size})" if size else ")")
        ]
        if lang == "de":
            lines.append(
                f"Verzeichnis: {self.directory}; Einwohner Stand {p.get('populationDate') or '?'}; "
                f"Daten Stand {self.as_of.isoformat()}"
            )
        else:
            lines.append(
                f"Directory: {self.directory}; population as of {p.get('populationDate') or '?'}; "
                f"data as of {self.as_of.isoformat()}"
            )
        return lines

    def to_text(self, lang: str = "de", limit: int = 10) -> str:
        lines = [*self.head(lang), ""]
        if not self.recommendations:
            lines.append(self.why_none)
            return "\n".join(lines) + "\n"
        shown = self.recommendations[:limit]
        for n, rec in enumerate(shown, start=1):
            points = "Punkte" if lang == "de" else "points"
            kind = KIND_WORDS.get(rec.kind, (rec.kind, rec.kind))
            lines.append(f"{n}. {rec.label} ({kind[0 if lang == 'de' else 1]}), {points} {rec.score:g}")
            for reason in rec.reasons:
                src = f" [{', '.join(_slug(s) for s in reason.sources)}]" if reason.sources else ""
                lines.append(f"   - {reason.text(lang)} (+{reason.points:g}){src}")
        rest = len(self.recommendations) - len(shown)
        if rest > 0:
            lines.append(f"... {rest} {'weitere (--limit)' if lang == 'de' else 'more (--limit)'}")
        return "\n".join(lines) + "\n"

    def records(self, lang: str = "de") -> list[dict[str, Any]]:
        return [
            {
                "municipality": self.municipality,
                "rank": n,
                "asset": r.asset,
                "kind": r.kind,
                "label": r.label,
                "score": r.score,
                "reasons": " | ".join(x.text(lang) for x in r.reasons),
                "sources": " ".join(dict.fromkeys(s for x in r.reasons for s in x.sources)),
                "as_of": self.as_of.isoformat(),
            }
            for n, r in enumerate(self.recommendations, start=1)
        ]

    def to_json(self, lang: str = "de") -> str:
        return (
            json.dumps(
                {
                    "municipality": self.municipality,
                    "label": self.label,
                    "ags": self.ags,
                    "profile": {k: v for k, v in self.profile.items() if not k.startswith("_")},
                    "as_of": self.as_of.isoformat(),
                    "directory": self.directory,
                    "in_use": self.in_use,
                    "why_none": self.why_none or None,
                    "recommendations": [
                        {
                            "rank": n,
                            "asset": r.asset,
                            "kind": r.kind,
                            "label": r.label,
                            "score": r.score,
                            "reasons": [
                                {
                                    "reason": x.key,
                                    "text": x.text(lang),
                                    "points": x.points,
                                    "bodies": list(x.bodies),
                                    "sources": list(x.sources),
                                }
                                for x in r.reasons
                            ],
                        }
                        for n, r in enumerate(self.recommendations, start=1)
                    ],
                },
                ensure_ascii=False,
                indent=2,
                default=str,
            )
            + "\n"
        )

    def to_csv(self, lang: str = "de") -> str:
        out = io.StringIO()
        names = ["municipality", "rank", "asset", "kind", "label", "score", "reasons", "sources", "as_of"]
        writer = csv.DictWriter(out, fieldnames=names, lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.records(lang))
        if not self.recommendations:
            out.write(f"# {self.why_none}\n")
        return out.getvalue()

    def render(self, fmt: str, lang: str = "de", limit: int = 10) -> str:
        if fmt == "json":
            return self.to_json(lang)
        if fmt == "csv":
            return self.to_csv(lang)
        return self.to_text(lang, limit)


@dataclass(frozen=True)
class Use:
    """One production use of an asset, with the facts about its user that reasons compare."""

    asset: str
    user: str
    name: str
    sources: tuple[str, ...]
    values: dict[str, tuple[str, ...]]  # reason key → the user's values (district, state, size, urbanisation, groups)
    point: tuple[float, float] | None


#: the reasons read from production uses, compared by equal values
_COMPARED = ("group", "district", "state", "size", "urbanisation")


class Recommender:
    """The facts recommendations need, read once from a graph and indexed; :meth:`recommend` answers per municipality.

    Every production use is indexed by the values a municipality can share with its user (Gemeindeverband,
    alliance or model project, district, state, size class, urbanisation) and by a grid of its centre point,
    so one answer looks only at the uses that can give it a reason.
    """

    def __init__(self, graph: Graph, *, as_of: date | None = None) -> None:
        self.graph = graph
        self.as_of = as_of or default_as_of(graph)
        self.settings = Settings.read(graph.project.queries_dir)
        km = self.settings.neighbour_km
        self._cell = (max(km, 1.0) / 111.0, max(km, 1.0) / 60.0)  # degrees latitude, longitude (cos 57° ≈ 0.54)

    @cached_property
    def profiles(self) -> dict[str, dict[str, Any]]:
        return {str(r["_municipality"]): r for r in self.graph.query("municipality_profile").records()}

    @cached_property
    def groups(self) -> dict[str, set[str]]:
        """Alliances and model projects (hasMember) per member; Gemeindeverband memberships come from the profile."""
        found: dict[str, set[str]] = defaultdict(set)
        for row in self.graph.query("group_memberships").records():
            if row["groupKind"] != "community":
                found[str(row["member"])].add(str(row["group"]))
        return found

    @cached_property
    def group_labels(self) -> dict[str, str]:
        return {
            str(r["group"]): str(r.get("groupLabel") or _slug(r["group"]))
            for r in self.graph.query("group_memberships").records()
        }

    @cached_property
    def assets(self) -> tuple[dict[str, dict[str, str]], dict[str, set[str]], dict[str, set[str]]]:
        """Fields per asset (IRI → label), the assets each body or model project made, and modules per solution."""
        fields: dict[str, dict[str, str]] = defaultdict(dict)
        made: dict[str, set[str]] = defaultdict(set)
        modules: dict[str, set[str]] = defaultdict(set)
        for row in self.graph.query("asset_fields").records():
            asset = str(row["asset"])
            if row.get("field"):
                fields[asset][str(row["field"])] = str(row.get("fieldLabel") or _slug(row["field"]))
            for maker in (row.get("originator"), row.get("project")):
                if maker:
                    made[str(maker)].add(asset)
            if row.get("solution"):
                modules[str(row["solution"])].add(asset)
        return fields, made, modules

    @cached_property
    def in_use_by(self) -> dict[str, set[str]]:
        """Assets each body made, adopted (any status) or has operated for it."""
        found: dict[str, set[str]] = defaultdict(set)
        for row in self.graph.query("solutions_of_municipality").records():
            found[str(row["_body"])].add(str(row["asset"]))
        return found

    @cached_property
    def offers(self) -> dict[str, list[dict[str, Any]]]:
        """Open, not ended offers per eligible region."""
        found: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in self.graph.query("offers_by_region").records():
            end = str(row.get("end") or "")
            ended = bool(end) and end < self.as_of.isoformat()[: len(end)]
            if row.get("open") is not False and not ended:
                found[str(row["region"])].append(row)
        return found

    @cached_property
    def readiness_met(self) -> dict[str, list[str]]:
        met: dict[str, list[str]] = defaultdict(list)
        for row in readiness_all(self.graph, as_of=self.as_of):
            if row["outcome"] == "met":
                met[row["asset"]].append(str(row["criterion"]))
        return met

    @cached_property
    def criterion_titles(self) -> dict[str, tuple[str, str]]:
        """German and English title of each readiness criterion, by name."""
        return {c.name: (c.title_de, c.title_en) for c in criteria(self.graph.project.queries_dir)}

    @cached_property
    def directory(self) -> str:
        return self.graph.label(DIRECTORY_SOURCE) or "Gemeindeverzeichnis (Destatis)"

    def _cell_of(self, point: tuple[float, float]) -> tuple[int, int]:
        return (math.floor(point[1] / self._cell[0]), math.floor(point[0] / self._cell[1]))

    @cached_property
    def index(
        self,
    ) -> tuple[
        list[Use],
        dict[str, dict[str, dict[str, dict[str, list[int]]]]],
        dict[tuple[int, int], dict[str, list[int]]],
        dict[str, tuple[str, str]],
        dict[str, list[int]],
    ]:
        """Production uses; per reason key, value and asset the users (→ their use numbers); the centre grid; labels."""
        uses: list[Use] = []
        by: dict[str, dict[str, dict[str, dict[str, list[int]]]]] = {
            key: defaultdict(lambda: defaultdict(lambda: defaultdict(list))) for key in _COMPARED
        }
        grid: dict[tuple[int, int], dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        labels: dict[str, tuple[str, str]] = {}
        per_asset: dict[str, list[int]] = defaultdict(list)
        for row in self.graph.query("production_uses").records():
            asset, user = str(row["asset"]), str(row["user"])
            labels[asset] = (str(row.get("assetLabel") or _slug(asset)), str(row["assetKind"]))
            size = self.settings.size_class(int(row["population"])) if row.get("population") is not None else None
            groups = set(self.groups.get(user, set())) | {user}
            if row.get("association"):
                groups.add(str(row["association"]))
            values = {
                "group": tuple(sorted(groups)),
                "district": (str(row["district"]),) if row.get("district") else (),
                "state": (str(row["state"]),) if row.get("state") else (),
                "size": (size[0],) if size else (),
                "urbanisation": (str(row["urbanisation"]),) if row.get("urbanisation") else (),
            }
            use = Use(
                asset,
                user,
                str(row.get("userLabel") or _slug(user)),
                tuple(sorted(set(str(row.get("sources") or "").split()))),  # GROUP_CONCAT order differs by store
                values,
                _point(row.get("centre")),
            )
            number = len(uses)
            uses.append(use)
            per_asset[asset].append(number)
            for key, found in values.items():
                for value in found:
                    by[key][value][asset][user].append(number)
            if use.point:
                grid[self._cell_of(use.point)][user].append(number)
        return uses, by, grid, labels, per_asset

    def _own_values(
        self, municipality: str, profile: dict[str, Any], size: tuple[str, str, str, int] | None, own_groups: set[str]
    ) -> dict[str, tuple[str, ...]]:
        return {
            "group": tuple(sorted(own_groups)),
            "district": (str(profile["district"]),) if profile.get("district") else (),
            "state": (str(profile["state"]),) if profile.get("state") else (),
            "size": (size[0],) if size else (),
            "urbanisation": (str(profile["urbanisation"]),) if profile.get("urbanisation") else (),
        }

    def _neighbours(self, municipality: str, centre: tuple[float, float] | None) -> dict[str, dict[str, float]]:
        """Per asset, the users within neighbour_km of ``centre`` with their distance."""
        found: dict[str, dict[str, float]] = defaultdict(dict)
        if centre is None:
            return found
        uses, _by, grid, _labels, _per_asset = self.index
        row, col = self._cell_of(centre)
        for cell in ((row + i, col + j) for i in (-1, 0, 1) for j in (-1, 0, 1)):
            for user, numbers in grid.get(cell, {}).items():
                if user == municipality:
                    continue
                km = distance_km(centre, uses[numbers[0]].point)  # type: ignore[arg-type]
                if km <= self.settings.neighbour_km:
                    for n in numbers:
                        found[uses[n].asset][user] = km
        return found

    def recommend(self, municipality: str, *, limit: int | None = None) -> Answer:
        """Recommendations for the municipality IRI ``municipality`` (resolve names first); the best ``limit``
        (all when None), in the same order either way."""
        settings = self.settings
        _uses, by, _grid, labels, _per_asset = self.index
        fields, made, modules = self.assets
        profile = dict(self.profiles.get(municipality) or {})
        label = str(profile.get("label") or self.graph.label(municipality) or _slug(municipality))
        size = settings.size_class(profile.get("population"))
        if size:
            profile["sizeLabel_de"], profile["sizeLabel_en"] = size[1], size[2]
        own_groups = set(self.groups.get(municipality, set()))
        if profile.get("association"):
            own_groups.add(str(profile["association"]))
        profile["_groups"] = sorted(own_groups)
        used = set(self.in_use_by.get(municipality, set()))
        for group in own_groups:  # what its model project made is its own
            used |= made.get(group, set())
        used |= {m for solution in list(used) for m in modules.get(solution, set())}
        own_fields: dict[str, str] = {}
        for asset in made.get(municipality, set()) | {a for g in own_groups for a in made.get(g, set())}:
            own_fields |= fields.get(asset, {})
        values = self._own_values(municipality, profile, size, own_groups)
        # users per reason and asset (the municipality itself excluded)
        users: dict[str, dict[str, set[str]]] = {key: defaultdict(set) for key in _COMPARED}
        for key in _COMPARED:
            for value in values[key]:
                for asset, by_user in by[key].get(value, {}).items():
                    users[key][asset].update(by_user)
        near = self._neighbours(municipality, _point(profile.get("centre")))
        regions = [str(r) for r in (municipality, profile.get("district"), profile.get("state")) if r]
        offered: dict[str, list[tuple[dict[str, Any], str]]] = defaultdict(list)
        for region in regions:
            for offer in self.offers.get(region, []):
                offered[str(offer["asset"])].append((offer, region))
        themed = {a for a, f in fields.items() if set(f) & set(own_fields)} if own_fields else set()
        candidates = (set().union(*(users[k] for k in _COMPARED)) | set(near) | set(offered) | themed) - used
        w, cap = settings.weights, settings.max_count
        scored = []
        for asset in candidates:
            counts = {key: len(users[key].get(asset, set()) - {municipality}) for key in _COMPARED}
            counts["neighbour"] = len(near.get(asset, {}))
            counts["offer_state"] = len(offered.get(asset, ()))
            counts["theme"] = 1 if asset in themed else 0
            if not any(n for key, n in counts.items() if key in settings.fits):
                continue
            score = sum(w[key] * min(n, cap) for key, n in counts.items()) + w["readiness"] * len(
                self.readiness_met.get(asset, [])
            )
            scored.append((-round(score, 2), labels.get(asset, (self.graph.label(asset), ""))[0].casefold(), asset))
        scored.sort()
        chosen = scored if limit is None else scored[:limit]
        recommendations = []
        for _negative, _label, asset in chosen:
            reasons = self._reasons(asset, municipality, profile, size, users, near, offered, themed, own_fields)
            label_kind = labels.get(asset) or (
                self.graph.label(asset),
                "solution" if "/solution/" in asset else "module",
            )
            recommendations.append(
                Recommendation(
                    asset, label_kind[1], label_kind[0], round(sum(r.points for r in reasons), 2), tuple(reasons)
                )
            )
        why = "" if recommendations else self._why_none(label, used, profile)
        return Answer(
            municipality,
            label,
            str(profile.get("ags") or ""),
            profile,
            self.as_of,
            self.directory,
            recommendations,
            why,
            sorted(used),
        )

    def _why_none(self, label: str, used: set[str], profile: dict[str, Any]) -> str:
        in_production = set(self.index[4])
        if not in_production:
            return (
                f"Nichts empfohlen: der Graph kennt keine Lösung im Produktivbetrieb, mit der {label} verglichen "
                "werden könnte."
            )
        missing = [
            w
            for w, k in (("Einwohnerzahl", "population"), ("Mittelpunkt", "centre"), ("Land", "state"))
            if profile.get(k) is None
        ]
        gaps = f" Dem Verzeichnis fehlen für {label}: {', '.join(missing)}." if missing else ""
        return (
            f"Nichts empfohlen: von {len(in_production)} Lösungen und Modulen im Produktivbetrieb nutzt {label} "
            f"{len(used & in_production)} schon, und keine übrige wird von einer Stelle derselben Größenklasse, "
            "Urbanisierung, desselben Landes, Kreises oder Verbunds oder in der Nähe genutzt; kein offenes Angebot "
            f"nennt ihre Region, kein Themenfeld passt zu ihren eigenen Projekten.{gaps}"
        )

    def _reasons(
        self,
        asset: str,
        municipality: str,
        profile: dict[str, Any],
        size: tuple[str, str, str, int] | None,
        users: dict[str, dict[str, set[str]]],
        near: dict[str, dict[str, float]],
        offered: dict[str, list[tuple[dict[str, Any], str]]],
        themed: set[str],
        own_fields: dict[str, str],
    ) -> list[Reason]:
        settings = self.settings
        uses, _by, _grid, _labels, per_asset = self.index
        mine = [uses[n] for n in per_asset.get(asset, [])]
        names = {u.user: u.name for u in mine}
        groups_of = {u.user: set(u.values["group"]) for u in mine}
        sources_of: dict[str, list[str]] = defaultdict(list)
        for u in mine:
            sources_of[u.user] += [s for s in u.sources if s not in sources_of[u.user]]
        found: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {}
        own = set(profile.get("_groups", ()))
        for key in _COMPARED:
            bodies = sorted(users[key].get(asset, set()) - {municipality}, key=lambda b: (names.get(b, b), b))
            if not bodies:
                continue
            if key == "group":
                entries = []
                for b in bodies:
                    shared = sorted(groups_of.get(b, set()) & own)
                    words = ", ".join(self.group_labels.get(g) or self.graph.label(g) for g in shared)
                    entries.append((names.get(b, b), words, tuple(sources_of[b])))
                found[key] = entries
            else:
                found[key] = [(names.get(b, b), "", tuple(sources_of[b])) for b in bodies]
        if asset in near:
            found["neighbour"] = [
                (names.get(b, b), f"{km:.0f} km", tuple(sources_of[b]))
                for b, km in sorted(near[asset].items(), key=lambda item: (item[1], item[0]))
            ]
        if asset in offered:
            found["offer_state"] = [
                (
                    str(o.get("offerLabel") or _slug(o["offer"])),
                    self.graph.label(region),
                    tuple(sorted(set(str(o.get("sources") or "").split()))),
                )
                for o, region in offered[asset]
            ]
        if asset in themed:
            shared_fields = sorted(set(self.assets[0].get(asset, {})) & set(own_fields))
            found["theme"] = [(", ".join(own_fields[f] for f in shared_fields), "", ())]
        met = self.readiness_met.get(asset, [])
        reasons = []
        for key in _ORDER:
            if key == "readiness":
                if met:
                    points = settings.weights[key] * len(met)
                    titles = self.criterion_titles
                    de = ", ".join(titles.get(m, (m, m))[0] for m in met)
                    en = ", ".join(titles.get(m, (m, m))[1] for m in met)
                    reasons.append(
                        Reason(
                            key,
                            f"Nachnutzungsreife: {len(met)} Kriterien erfüllt ({de})",
                            f"reuse readiness: {len(met)} criteria met ({en})",
                            (),
                            (),
                            round(points, 2),
                        )
                    )
                continue
            entries = found.get(key) or []
            if not entries:
                continue
            bodies_named = tuple(dict.fromkeys(e[0] for e in entries))
            sources = tuple(dict.fromkeys(s for e in entries for s in e[2]))
            points = settings.weights[key] * min(len(entries), settings.max_count)
            de, en = self._words(key, entries, bodies_named, profile, size)
            reasons.append(Reason(key, de, en, bodies_named, sources, round(points, 2)))
        return reasons

    def _words(
        self,
        key: str,
        entries: list[tuple[str, str, tuple[str, ...]]],
        bodies: tuple[str, ...],
        profile: dict[str, Any],
        size: tuple[str, str, str, int] | None,
    ) -> tuple[str, str]:
        names = ", ".join(bodies)
        n = len(bodies)
        if key == "group":
            detail = ", ".join(dict.fromkeys(f"{e[0]} ({e[1]})" for e in entries))
            return (
                f"im Einsatz bei Mitgliedern desselben Verbunds: {detail}",
                f"in production with members of the same group: {detail}",
            )
        if key == "district":
            d = profile.get("districtLabel") or _slug(profile.get("district"))
            return (f"im Einsatz im selben Kreis ({d}): {names}", f"in production in the same district ({d}): {names}")
        if key == "neighbour":
            detail = ", ".join(
                dict.fromkeys(f"{e[0]} ({e[1]})" for e in sorted(entries, key=lambda e: float(e[1].split()[0])))
            )
            km = f"{self.settings.neighbour_km:g}"
            return (
                f"im Einsatz in der Nachbarschaft (bis {km} km): {detail}",
                f"in production nearby (within {km} km): {detail}",
            )
        if key == "state":
            s = profile.get("stateLabel") or _slug(profile.get("state"))
            return (
                f"im Einsatz bei {n} {_n(n, 'Stelle', 'Stellen')} desselben Landes ({s}): {names}",
                f"in production with {n} {_n(n, 'body', 'bodies')} of the same state ({s}): {names}",
            )
        if key == "size":
            assert size is not None
            return (
                f"im Einsatz bei {n} {_n(n, 'Kommune', 'Kommunen')} derselben Größenklasse ({size[1]}): {names}",
                f"in production with {n} {_n(n, 'municipality', 'municipalities')} "
                f"of the same size class ({size[2]}): {names}",
            )
        if key == "urbanisation":
            slug = _slug(profile.get("urbanisation"))
            u_de, u_en = profile.get("urbanisationLabel_de") or slug, profile.get("urbanisationLabel_en") or slug
            return (
                f"im Einsatz bei {n} {_n(n, 'Kommune', 'Kommunen')} desselben Verstädterungsgrads ({u_de}): {names}",
                f"in production with {n} {_n(n, 'municipality', 'municipalities')} "
                f"of the same degree of urbanisation ({u_en}): {names}",
            )
        if key == "offer_state":
            detail = ", ".join(dict.fromkeys(f"{e[0]} ({e[1]})" for e in entries))
            return (
                f"offenes Angebot für Stellen ihrer Region: {detail}",
                f"an open offer for bodies of its region: {detail}",
            )
        return (
            f"gleiches Themenfeld wie eigene Projekte: {names}",
            f"same thematic field as its own projects: {names}",
        )


def recommend_for(graph: Graph, name: str, *, as_of: date | None = None) -> Answer:
    """Recommendations for the municipality ``name`` (name, AGS or IRI; UnknownName/AmbiguousName)."""
    recommender = Recommender(graph, as_of=as_of)
    try:
        entity = graph.resolve(name, ("municipality",))
    except AmbiguousName as exc:  # the candidates with district and state, so a user can tell them apart
        described = []
        for iri, words in exc.candidates:
            p = recommender.profiles.get(iri, {})
            where = ", ".join(str(x) for x in (p.get("districtLabel"), p.get("stateLabel")) if x)
            described.append((iri, f"{words}; {where}" if where else words))
        raise AmbiguousName(name, described) from None
    return recommender.recommend(entity.iri)


def recommend(
    name: str, *, root: str | None = None, endpoint: str | None = None, as_of: date | str | None = None
) -> pandas.DataFrame:
    """Recommendations for a municipality as a DataFrame: rank, asset, label, score, reasons, sources."""
    import pandas

    from .api import Graph

    day = date.fromisoformat(as_of) if isinstance(as_of, str) else as_of
    answer = recommend_for(Graph.open(root, endpoint=endpoint), name, as_of=day)
    return pandas.DataFrame(answer.records())
