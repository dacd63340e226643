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
from .readiness import default_as_of, readiness_all
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
            raise InputError(f"reasons must be exactly {', '.join(_ORDER)} (unknown: {unknown}, missing: {missing})",
                             path=path)
        weights = {key: float(value["weight"]) for key, value in reasons.items()}
        fits = frozenset(key for key, value in reasons.items() if value.get("fits"))
        sizes_path = queries_dir / "readiness" / "size-classes.yaml"
        sizes = _load(sizes_path)
        classes = sorted(((str(c["key"]), str(c["de"]), str(c["en"]), int(c["min_population"]))
                          for c in sizes.get("classes") or []), key=lambda c: -c[3])
        if not classes:
            raise InputError("no size classes", path=sizes_path)
        source = sizes.get("source") or {}
        return cls(weights, fits, int(raw.get("max_count", 3)), float(raw.get("neighbour_km", 50)), classes,
                   f"{source.get('publisher', '')}: {source.get('title', '')} <{source.get('url', '')}>")

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
        people = f"{p['population']:,}".replace(",", ".") if p.get("population") is not None else "?"
        inhabitants = "Einwohner" if lang == "de" else "inhabitants"
        title = "Empfehlungen für" if lang == "de" else "Recommendations for"
        lines = [f"{title} {self.label} (AGS {self.ags or '?'}; {where}; {people} {inhabitants}"
                 + (f", {size})" if size else ")")]
        if lang == "de":
            lines.append(f"Verzeichnis: {self.directory}; Einwohner Stand {p.get('populationDate') or '?'}; "
                         f"Daten Stand {self.as_of.isoformat()}")
        else:
            lines.append(f"Directory: {self.directory}; population as of {p.get('populationDate') or '?'}; "
                         f"data as of {self.as_of.isoformat()}")
        return lines

    def to_text(self, lang: str = "de", limit: int = 10) -> str:
        lines = self.head(lang) + [""]
        if not self.recommendations:
            lines.append(self.why_none)
            return "\n".join(lines) + "\n"
        shown = self.recommendations[:limit]
        for n, rec in enumerate(shown, start=1):
            points = "Punkte" if lang == "de" else "points"
            lines.append(f"{n}. {rec.label} ({rec.kind}), {points} {rec.score:g}")
            for reason in rec.reasons:
                src = f" [{', '.join(_slug(s) for s in reason.sources)}]" if reason.sources else ""
                lines.append(f"   - {reason.text(lang)} (+{reason.points:g}){src}")
        rest = len(self.recommendations) - len(shown)
        if rest > 0:
            lines.append(f"... {rest} {'weitere (--limit)' if lang == 'de' else 'more (--limit)'}")
        return "\n".join(lines) + "\n"

    def records(self, lang: str = "de") -> list[dict[str, Any]]:
        return [{"municipality": self.municipality, "rank": n, "asset": r.asset, "kind": r.kind, "label": r.label,
                 "score": r.score, "reasons": " | ".join(x.text(lang) for x in r.reasons),
                 "sources": " ".join(dict.fromkeys(s for x in r.reasons for s in x.sources)),
                 "as_of": self.as_of.isoformat()}
                for n, r in enumerate(self.recommendations, start=1)]

    def to_json(self, lang: str = "de") -> str:
        return json.dumps({
            "municipality": self.municipality, "label": self.label, "ags": self.ags,
            "profile": {k: v for k, v in self.profile.items() if not k.startswith("_")},
            "as_of": self.as_of.isoformat(), "directory": self.directory, "in_use": self.in_use,
            "why_none": self.why_none or None,
            "recommendations": [{
                "rank": n, "asset": r.asset, "kind": r.kind, "label": r.label, "score": r.score,
                "reasons": [{"reason": x.key, "text": x.text(lang), "points": x.points, "bodies": list(x.bodies),
                             "sources": list(x.sources)} for x in r.reasons]}
                for n, r in enumerate(self.recommendations, start=1)],
        }, ensure_ascii=False, indent=2, default=str) + "\n"

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


class Recommender:
    """The facts recommendations need, read once from a graph; :meth:`recommend` answers per municipality."""

    def __init__(self, graph: Graph, *, as_of: date | None = None) -> None:
        self.graph = graph
        self.as_of = as_of or default_as_of(graph)
        self.settings = Settings.read(graph.project.queries_dir)

    @cached_property
    def uses(self) -> dict[str, list[dict[str, Any]]]:
        """Production uses per asset."""
        found: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in self.graph.query("production_uses").records():
            found[str(row["asset"])].append(row)
        return found

    @cached_property
    def labels(self) -> dict[str, tuple[str, str]]:
        """(label, kind) of every solution and module with production use or a field."""
        known = {str(r["asset"]): (str(r.get("assetLabel") or _slug(r["asset"])), str(r["assetKind"]))
                 for rows in self.uses.values() for r in rows}
        return known

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
        return {str(r["group"]): str(r.get("groupLabel") or _slug(r["group"]))
                for r in self.graph.query("group_memberships").records()}

    @cached_property
    def fields(self) -> tuple[dict[str, dict[str, str]], dict[str, set[str]]]:
        """Fields per asset (IRI → label), and the assets each body or model project made."""
        per_asset: dict[str, dict[str, str]] = defaultdict(dict)
        made: dict[str, set[str]] = defaultdict(set)
        for row in self.graph.query("asset_fields").records():
            asset = str(row["asset"])
            if row.get("field"):
                per_asset[asset][str(row["field"])] = str(row.get("fieldLabel") or _slug(row["field"]))
            for maker in (row.get("originator"), row.get("project")):
                if maker:
                    made[str(maker)].add(asset)
        return per_asset, made

    @cached_property
    def offers(self) -> dict[str, list[dict[str, Any]]]:
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
    def directory(self) -> str:
        return self.graph.label(DIRECTORY_SOURCE) or "Gemeindeverzeichnis (Destatis)"

    def in_use(self, municipality: str, groups: set[str]) -> set[str]:
        """Assets the municipality made or adopted (any status), and the modules of the solutions among them."""
        rows = self.graph.query("solutions_of_municipality", body=municipality).records()
        used = {str(r["asset"]) for r in rows}
        _per_asset, made = self.fields
        for group in groups:  # what its model project made is its own
            used |= made.get(group, set())
        modules = {str(r["asset"]) for rows in self.uses.values() for r in rows
                   if r["assetKind"] == "module"}
        return used | {m for m in modules if any(m.startswith(u.replace("/solution/", "/module/")) for u in used)}

    def recommend(self, municipality: str) -> Answer:
        """Recommendations for the municipality IRI ``municipality`` (resolve names first)."""
        settings = self.settings
        profile = dict(self.profiles.get(municipality) or {})
        label = str(profile.get("label") or self.graph.label(municipality) or _slug(municipality))
        size = settings.size_class(profile.get("population"))
        if size:
            profile["sizeLabel_de"], profile["sizeLabel_en"] = size[1], size[2]
        own_groups = set(self.groups.get(municipality, set()))
        if profile.get("association"):
            own_groups.add(str(profile["association"]))
        used = self.in_use(municipality, own_groups)
        centre = _point(profile.get("centre"))
        per_asset_fields, made = self.fields
        own_fields: dict[str, str] = {}
        for asset in made.get(municipality, set()) | {a for g in own_groups for a in made.get(g, set())}:
            own_fields |= per_asset_fields.get(asset, {})
        regions = [r for r in (municipality, profile.get("district"), profile.get("state")) if r]
        candidates = sorted(set(self.uses) | {str(o["asset"]) for r in regions for o in self.offers.get(str(r), [])}
                            | {a for a, f in per_asset_fields.items() if set(f) & set(own_fields)})
        recommendations = []
        for asset in candidates:
            if asset in used:
                continue
            reasons = self._reasons(asset, municipality, profile, size, own_groups, centre, own_fields, regions)
            if not any(r.key in settings.fits for r in reasons):
                continue
            label_kind = self.labels.get(asset) or (self.graph.label(asset), "solution" if "/solution/" in asset
                                                    else "module")
            score = round(sum(r.points for r in reasons), 2)
            recommendations.append(Recommendation(asset, label_kind[1], label_kind[0], score, tuple(reasons)))
        recommendations.sort(key=lambda r: (-r.score, r.label.casefold(), r.asset))
        why = ""
        if not recommendations:
            why = self._why_none(label, used, profile)
        return Answer(municipality, label, str(profile.get("ags") or ""), profile, self.as_of, self.directory,
                      recommendations, why, sorted(used))

    def _why_none(self, label: str, used: set[str], profile: dict[str, Any]) -> str:
        total = len(self.uses)
        if not total:
            return (f"Nichts empfohlen: der Graph kennt keine Lösung im Produktivbetrieb, mit der {label} verglichen "
                    "werden könnte.")
        missing = [w for w, k in (("Einwohnerzahl", "population"), ("Mittelpunkt", "centre"), ("Land", "state"))
                   if profile.get(k) is None]
        gaps = f" Dem Verzeichnis fehlen für {label}: {', '.join(missing)}." if missing else ""
        return (f"Nichts empfohlen: von {total} Lösungen und Modulen im Produktivbetrieb nutzt {label} "
                f"{len(used & set(self.uses))} schon, und keine übrige wird von einer Stelle derselben Größenklasse, "
                "Urbanisierung, desselben Landes, Kreises oder Verbunds oder in der Nähe genutzt; kein offenes Angebot "
                f"nennt ihre Region, kein Themenfeld passt zu ihren eigenen Projekten.{gaps}")

    def _reasons(self, asset: str, municipality: str, profile: dict[str, Any],
                 size: tuple[str, str, str, int] | None, own_groups: set[str], centre: tuple[float, float] | None,
                 own_fields: dict[str, str], regions: list[Any]) -> list[Reason]:
        settings = self.settings
        found: dict[str, list[tuple[str, str, tuple[str, ...]]]] = defaultdict(list)  # key → (body, words, sources)
        for use in self.uses.get(asset, []):
            user = str(use["user"])
            if user == municipality:
                continue
            name = str(use.get("userLabel") or _slug(user))
            sources = tuple(str(use.get("sources") or "").split())
            user_groups = set(self.groups.get(user, set())) | ({str(use["association"])} if use.get("association") else set())
            shared = sorted((own_groups & user_groups) | (own_groups & {user}))
            if shared:
                found["group"].append((name, ", ".join(self.group_labels.get(g) or self.graph.label(g) for g in shared),
                                       sources))
            if profile.get("district") and str(profile["district"]) == str(use.get("district") or ""):
                found["district"].append((name, "", sources))
            other = _point(use.get("centre"))
            if centre and other and user != municipality:
                km = distance_km(centre, other)
                if km <= settings.neighbour_km:
                    found["neighbour"].append((name, f"{km:.0f} km", sources))
            if profile.get("state") and str(profile["state"]) == str(use.get("state") or ""):
                found["state"].append((name, "", sources))
            if size and use.get("population") is not None and settings.size_class(int(use["population"])) == size:
                found["size"].append((name, "", sources))
            if profile.get("urbanisation") and str(profile["urbanisation"]) == str(use.get("urbanisation") or ""):
                found["urbanisation"].append((name, "", sources))
        for region in regions:
            for offer in self.offers.get(str(region), []):
                if str(offer["asset"]) == asset:
                    found["offer_state"].append((str(offer.get("offerLabel") or _slug(offer["offer"])),
                                                 self.graph.label(str(region)), tuple(str(offer.get("sources") or "").split())))
        shared_fields = sorted(set(self.fields[0].get(asset, {})) & set(own_fields))
        if shared_fields:
            found["theme"].append((", ".join(own_fields[f] for f in shared_fields), "", ()))
        met = self.readiness_met.get(asset, [])
        reasons = []
        for key in _ORDER:
            if key == "readiness":
                if met:
                    points = settings.weights[key] * len(met)
                    reasons.append(Reason(key, f"Nachnutzungsreife: {len(met)} Kriterien erfüllt ({', '.join(met)})",
                                          f"reuse readiness: {len(met)} criteria met ({', '.join(met)})", (), (),
                                          round(points, 2)))
                continue
            entries = found.get(key)
            if not entries:
                continue
            bodies = tuple(dict.fromkeys(e[0] for e in entries))
            sources = tuple(dict.fromkeys(s for e in entries for s in e[2]))
            points = settings.weights[key] * min(len(bodies), settings.max_count)
            de, en = self._words(key, entries, bodies, profile, size)
            reasons.append(Reason(key, de, en, bodies, sources, round(points, 2)))
        return reasons

    def _words(self, key: str, entries: list[tuple[str, str, tuple[str, ...]]], bodies: tuple[str, ...],
               profile: dict[str, Any], size: tuple[str, str, str, int] | None) -> tuple[str, str]:
        names = ", ".join(bodies)
        n = len(bodies)
        if key == "group":
            detail = ", ".join(dict.fromkeys(f"{e[0]} ({e[1]})" for e in entries))
            return (f"im Einsatz bei Mitgliedern desselben Verbunds: {detail}",
                    f"in production with members of the same group: {detail}")
        if key == "district":
            d = profile.get("districtLabel") or _slug(profile.get("district"))
            return (f"im Einsatz im selben Kreis ({d}): {names}", f"in production in the same district ({d}): {names}")
        if key == "neighbour":
            detail = ", ".join(dict.fromkeys(f"{e[0]} ({e[1]})" for e in sorted(entries, key=lambda e: float(e[1].split()[0]))))
            km = f"{self.settings.neighbour_km:g}"
            return (f"im Einsatz in der Nachbarschaft (bis {km} km): {detail}",
                    f"in production nearby (within {km} km): {detail}")
        if key == "state":
            s = profile.get("stateLabel") or _slug(profile.get("state"))
            return (f"im Einsatz bei {n} {_n(n, 'Stelle', 'Stellen')} desselben Landes ({s}): {names}",
                    f"in production with {n} {_n(n, 'body', 'bodies')} of the same state ({s}): {names}")
        if key == "size":
            assert size is not None
            return (f"im Einsatz bei {n} {_n(n, 'Kommune', 'Kommunen')} derselben Größenklasse ({size[1]}): {names}",
                    f"in production with {n} {_n(n, 'municipality', 'municipalities')} of the same size class ({size[2]}): {names}")
        if key == "urbanisation":
            u = _slug(profile.get("urbanisation"))
            return (f"im Einsatz bei {n} {_n(n, 'Kommune', 'Kommunen')} desselben Urbanisierungsgrads ({u}): {names}",
                    f"in production with {n} {_n(n, 'municipality', 'municipalities')} of the same degree of urbanisation ({u}): {names}")
        if key == "offer_state":
            detail = ", ".join(dict.fromkeys(f"{e[0]} ({e[1]})" for e in entries))
            return (f"offenes Angebot für Stellen ihrer Region: {detail}",
                    f"an open offer for bodies of its region: {detail}")
        return (f"gleiches Themenfeld wie eigene Projekte: {names}", f"same thematic field as its own projects: {names}")


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


def recommend(name: str, *, root: str | None = None, endpoint: str | None = None,
              as_of: date | str | None = None) -> pandas.DataFrame:
    """Recommendations for a municipality as a DataFrame: rank, asset, label, score, reasons, sources."""
    import pandas

    from .api import Graph

    day = date.fromisoformat(as_of) if isinstance(as_of, str) else as_of
    answer = recommend_for(Graph.open(root, endpoint=endpoint), name, as_of=day)
    return pandas.DataFrame(answer.records())
