"""Gazetteer: free-text names of German public bodies to an AGS or a Kreisschlüssel, or a report.

Names in ``publiccode.yml`` ``usedBy`` lists and in sources are written by people: "Stadt Kiel",
"Gemeine Birkenwerder" (a typo), "Stadt Herzberg/Elster" for Herzberg (Elster), "Gemeinde
Rüdersdorf" for Rüdersdorf bei Berlin. This module turns such a name into exactly one municipality
or district, or says why it cannot: no match, or several candidates (listed). It never guesses:
a fuzzy match is accepted only when it is the single one within a small edit distance, and an
administrative association (Amt, Verbandsgemeinde, ...) is never replaced by its seat town.

The shipped list (``reference/gazetteer.csv`` inside the package, see its README) holds the
municipalities and districts of the project's ``data/`` tables with their sources; a project's own
tables are merged in at run time, so newly curated bodies resolve without a new release.
"""

from __future__ import annotations

import copy
import csv
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

from .errors import InputError
from .namespaces import entity_iri
from .project import Project

SHIPPED = "reference/gazetteer.csv"
COLUMNS = ("kind", "key", "name", "state", "sources")
KINDS = ("municipality", "district")

# Leading words that say what kind of body a name denotes; they are not part of the matched core.
MUNICIPALITY_PREFIXES = (
    "stadt", "gemeinde", "markt", "marktgemeinde", "hansestadt", "landeshauptstadt", "kreisstadt",
    "kreisfreie", "grosse", "universitaetsstadt", "ortsgemeinde", "einheitsgemeinde", "lutherstadt",
)
DISTRICT_PREFIXES = ("landkreis", "kreis", "stadtkreis")
ASSOCIATION_PREFIXES = (
    "amt", "verbandsgemeinde", "samtgemeinde", "verwaltungsgemeinschaft", "verwaltungsverband",
    "gemeindeverwaltungsverband",
)
# "Mitgliedsgemeinde in Verwaltungsgemeinschaft X" (a member municipality named X, as some lists write it).
_MEMBER = re.compile(
    r"^Mitgliedsgemeinde\s+in\s+(?:der\s+)?(?:Verwaltungsgemeinschaft|Verbandsgemeinde|Samtgemeinde)\s+", re.I
)
# Qualifiers written after a name: "Bernau bei Berlin", "Linz am Rhein", "Frankfurt (Oder)", "Falkenberg/Elster".
_SUFFIX = re.compile(r"\s+(?:bei|am|an der|an|im|in|ob der|i\.|a\.|a\.d\.|v\.d\.)\s+.+$")
_PAREN = re.compile(r"\s*\(([^)]*)\)\s*")


def fold(text: str) -> str:
    """Case, umlaut and accent folded text with punctuation turned into single spaces."""
    text = text.casefold().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def edit_distance(a: str, b: str, bound: int) -> int:
    """Levenshtein distance of ``a`` and ``b``, or ``bound + 1`` as soon as it must exceed ``bound``."""
    if abs(len(a) - len(b)) > bound:
        return bound + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > bound:
            return bound + 1
        previous = current
    return previous[-1]


def fuzzy_bound(core: str) -> int:
    """How many edits a name of this length may differ by: none for short names (too many neighbours)."""
    return 2 if len(core) >= 16 else 1 if len(core) >= 6 else 0


@dataclass(frozen=True)
class ParsedName:
    """A name split into the kind its prefix announces, its matchable core, and the core without qualifiers."""

    text: str
    kind: str | None  # municipality, district, association, or None when no prefix says
    core: str  # folded name without kind prefixes, qualifiers kept: "frankfurt oder"
    base: str  # core without qualifiers: "frankfurt"
    qualified: bool  # the name carries a qualifier (parentheses, "/X", "bei X", "am X", ...)
    notes: tuple[str, ...] = ()


def parse_name(text: str) -> ParsedName:
    """Read the kind prefix (tolerating one typo in a long prefix word), the core and the base of a name."""
    raw = _MEMBER.sub("Gemeinde ", text.strip())
    # Destatis style "Rendsburg, Stadt" → "Stadt Rendsburg".
    match = re.fullmatch(r"(.+?),\s*(Stadt|Gemeinde|Markt|Landkreis|Kreis)", raw)
    if match:
        raw = f"{match.group(2)} {match.group(1)}"
    words = raw.split()
    kind: str | None = None
    notes: list[str] = []
    while len(words) > 1:
        word = fold(words[0])
        found = _prefix_kind(word)
        if found is None and len(word) >= 5:
            for prefix in MUNICIPALITY_PREFIXES + DISTRICT_PREFIXES + ASSOCIATION_PREFIXES:
                if len(prefix) >= 5 and edit_distance(word, prefix, 1) <= 1:
                    found = _prefix_kind(prefix)
                    notes.append(f"prefix '{words[0]}' read as '{prefix}'")
                    break
        if found is None or (found == "association" and kind is not None):
            break  # "Gemeinde Amt Neuhaus": after a municipality prefix, "Amt" is part of the name
        kind = found if kind is None else kind
        words = words[1:]
    rest = " ".join(words)
    base_text = _PAREN.sub(" ", rest).strip()
    base_text = base_text.split("/")[0].strip() if "/" in base_text else base_text
    base_text = _SUFFIX.sub("", base_text)
    core, base = fold(rest), fold(base_text)
    return ParsedName(text, kind, core, base, core != base, tuple(notes))


def _prefix_kind(word: str) -> str | None:
    if word in MUNICIPALITY_PREFIXES:
        return "municipality"
    if word in DISTRICT_PREFIXES:
        return "district"
    if word in ASSOCIATION_PREFIXES:
        return "association"
    return None


@dataclass(frozen=True)
class Place:
    """One municipality (8-digit AGS) or district (5-digit Kreisschlüssel) under one of its names."""

    kind: str
    key: str
    name: str
    state: str
    sources: tuple[str, ...] = ()

    @property
    def iri(self) -> str:
        return entity_iri(self.kind, self.key)

    def describe(self) -> str:
        return f"{self.name} ({self.kind} {self.key}, state {self.state}) <{self.iri}>"


@dataclass(frozen=True)
class Resolution:
    """What a name resolved to: one place, several candidates, or nothing, with the reason."""

    name: str
    status: str  # resolved, ambiguous, unresolved
    place: Place | None = None
    candidates: tuple[Place, ...] = ()
    reason: str = ""
    notes: tuple[str, ...] = field(default=())

    @property
    def resolved(self) -> bool:
        return self.status == "resolved"

    def describe(self) -> str:
        if self.place is not None:
            extra = f" ({'; '.join(self.notes)})" if self.notes else ""
            return f"'{self.name}' → {self.place.describe()}{extra}"
        lines = [f"'{self.name}': {self.status}: {self.reason}"]
        lines += [f"    candidate: {c.describe()}" for c in self.candidates]
        return "\n".join(lines)


class Gazetteer:
    """Names of municipalities and districts, indexed for exact, qualifier-free and bounded fuzzy lookup."""

    def __init__(self, places: Iterable[Place]) -> None:
        self.places: list[Place] = []
        seen: set[tuple[str, str, str]] = set()
        self._core: dict[str, list[Place]] = defaultdict(list)
        self._base: dict[str, list[Place]] = defaultdict(list)
        for place in places:
            if place.kind not in KINDS:
                raise ValueError(f"unknown gazetteer kind '{place.kind}' for {place.key}")
            ident = (place.kind, place.key, place.name)
            if ident in seen:
                continue
            seen.add(ident)
            self.places.append(place)
            parsed = parse_name(place.name)
            self._core[parsed.core].append(place)
            self._base[parsed.base].append(place)

    state_hint: str | None = None

    def __len__(self) -> int:
        return len(self.places)

    def with_state_hint(self, state: str | None) -> Gazetteer:
        """The same gazetteer, whose :meth:`lookup` settles same-name bodies within ``state`` (2 digits)."""
        if state is not None and not re.fullmatch(r"\d{2}", state):
            raise InputError(f"a state is given by its 2-digit Länderschlüssel (e.g. 12), not '{state}'")
        hinted = copy.copy(self)
        hinted.state_hint = state
        return hinted

    def lookup(self, name: str) -> Resolution:
        """:meth:`resolve`; a name that is ambiguous in Germany is settled within the hinted state, if one is set."""
        result = self.resolve(name)
        if result.status == "ambiguous" and self.state_hint:
            narrowed = self.resolve(name, state=self.state_hint)
            if narrowed.place is not None:
                note = f"{len(result.candidates)} bodies of this name; the one in state {self.state_hint} as given"
                return replace(narrowed, notes=(*narrowed.notes, note))
        return result

    # -- construction -----------------------------------------------------------------------------------
    @classmethod
    def read_csv(cls, path: Path | str, text: str | None = None) -> Gazetteer:
        """A gazetteer from a CSV with the columns kind, key, name, state, sources (``;``-separated)."""
        return cls(_read_rows(path, text))

    @classmethod
    def shipped(cls) -> Gazetteer:
        """The list shipped with the package (see ``reference/README.md`` for its sources)."""
        resource = resources.files("mpsc_graph").joinpath(SHIPPED)
        return cls.read_csv(SHIPPED, resource.read_text(encoding="utf-8"))

    @classmethod
    def for_project(cls, project: Project | None) -> Gazetteer:
        """The shipped list plus the municipalities and districts of a project's ``data/`` tables."""
        places = list(cls.shipped().places)
        if project is not None:
            places += project_places(project)
        return cls(places)

    # -- lookup ---------------------------------------------------------------------------------------
    def resolve(self, name: str, *, state: str | None = None) -> Resolution:
        """Resolve ``name``; ``state`` (2-digit Länderschlüssel) narrows same-name bodies when known."""
        parsed = parse_name(name)
        notes = parsed.notes
        if not parsed.core:
            return Resolution(name, "unresolved", reason="empty name")

        def keep(places: Iterable[Place]) -> list[Place]:
            wanted = [p for p in places if (parsed.kind not in KINDS or p.kind == parsed.kind)]
            return [p for p in wanted if state is None or p.state == state]

        if parsed.kind == "association":
            # a municipality whose name starts with the word (Amt Neuhaus) is a candidate, as is a namesake town
            spelled = self._core.get(fold(name), []) + self._base.get(parsed.base, [])
            candidates = _unique(keep_any(spelled, state))
            return Resolution(
                name, "unresolved", candidates=tuple(candidates), notes=notes,
                reason="an administrative association (Amt, Verbandsgemeinde, ...) has no AGS; "
                "it is not replaced by a member or seat municipality",
            )
        levels: list[tuple[str, list[Place]]] = [("exact", keep(self._core.get(parsed.core, [])))]
        if not parsed.qualified:
            levels.append(("without qualifier", keep(self._base.get(parsed.base, []))))
        for level, found in levels:
            places = _prefer_city(_unique(found))
            if len(places) == 1:
                extra = (f"matched {level}",) if level != "exact" else ()
                return Resolution(name, "resolved", places[0], notes=(*notes, *extra))
            if len(places) > 1:
                return Resolution(name, "ambiguous", candidates=tuple(places), notes=notes,
                                  reason=f"{len(places)} bodies share this name; give the state or the key")
        if parsed.qualified:
            loose = _prefer_city(_unique(keep(self._base.get(parsed.base, []))))
            if loose:
                return Resolution(name, "unresolved", candidates=tuple(loose), notes=notes,
                                  reason="the qualifier matches no known name; candidates share the name without it")
        fuzzy = self._fuzzy(parsed, keep)
        if len(fuzzy) == 1:
            return Resolution(name, "resolved", fuzzy[0], notes=(*notes, "matched with a spelling difference"))
        if len(fuzzy) > 1:
            return Resolution(name, "ambiguous", candidates=tuple(fuzzy), notes=notes,
                              reason="several names are within the spelling tolerance")
        return Resolution(name, "unresolved", notes=notes, reason="no municipality or district of this name is known")

    def _fuzzy(self, parsed: ParsedName, keep: Callable[[Iterable[Place]], list[Place]]) -> list[Place]:
        bound = fuzzy_bound(parsed.core)
        if bound == 0:
            return []
        best: dict[int, list[Place]] = defaultdict(list)
        for core, places in self._core.items():
            if core[:1] != parsed.core[:1]:  # typos seldom hit the first letter; this keeps "Mhnsen" from "Ahnsen"
                continue
            distance = edit_distance(parsed.core, core, bound)
            if distance <= bound:
                best[distance].extend(keep(places))
        for distance in sorted(best):
            places = _prefer_city(_unique(best[distance]))
            if places:
                return places
        return []


def keep_any(places: Iterable[Place], state: str | None) -> list[Place]:
    return [p for p in places if state is None or p.state == state]


def _unique(places: Iterable[Place]) -> list[Place]:
    """One place per body (a body may be listed under several names), in key order."""
    by_body: dict[tuple[str, str], Place] = {}
    for place in places:
        by_body.setdefault((place.kind, place.key), place)
    return sorted(by_body.values(), key=lambda p: (p.kind, p.key))


def _prefer_city(places: list[Place]) -> list[Place]:
    """A kreisfreie Stadt is listed as municipality XXXXX000 and district XXXXX: one body, keep the municipality."""
    municipalities = {p.key for p in places if p.kind == "municipality"}
    return [p for p in places if not (p.kind == "district" and p.key + "000" in municipalities)]


def _read_rows(path: Path | str, text: str | None = None) -> Iterator[Place]:
    content = text if text is not None else Path(path).read_text(encoding="utf-8")
    reader = csv.DictReader(content.splitlines())
    if tuple(reader.fieldnames or ()) != COLUMNS:
        raise InputError(f"gazetteer columns must be {', '.join(COLUMNS)}", path=path, line=1)
    for row in reader:
        kind, key, state = row["kind"], row["key"], row["state"]
        pattern = r"\d{8}" if kind == "municipality" else r"\d{5}" if kind == "district" else None
        if pattern is None or not re.fullmatch(pattern, key) or not re.fullmatch(r"\d{2}", state) or not row["name"]:
            raise InputError(f"bad gazetteer row {row}", path=path, line=reader.line_num)
        yield Place(kind, key, row["name"], state, tuple(s for s in row["sources"].split(";") if s))


def project_places(project: Project) -> list[Place]:
    """The municipalities and districts declared in a project's ``data/municipalities.csv`` and ``districts.csv``."""
    places: list[Place] = []
    for stem, kind, key_column in (("municipalities", "municipality", "ags"), ("districts", "district", "key")):
        path = project.data_dir / f"{stem}.csv"
        if not path.is_file():
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                key, name = (row.get(key_column) or "").strip(), (row.get("name_de") or "").strip()
                if key and name:
                    sources = tuple(s.strip() for s in (row.get("sources") or "").split(";") if s.strip())
                    places.append(Place(kind, key, name, (row.get("state") or "").strip(), sources))
    return places


def write_shipped(project: Project, target: Path) -> int:
    """Regenerate the shipped CSV from a project's tables (sorted, stable); returns the number of rows."""
    places = sorted(project_places(project), key=lambda p: (p.kind, p.key, p.name))
    temporary = target.with_suffix(".tmp")
    with temporary.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for p in places:
            writer.writerow([p.kind, p.key, p.name, p.state, ";".join(p.sources)])
    temporary.replace(target)
    return len(places)


if __name__ == "__main__":  # python -m mpsc_graph.gazetteer [ROOT]: refresh the shipped list from data/
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2]
    out = Path(__file__).resolve().parent / SHIPPED
    print(f"wrote {write_shipped(Project.at(root), out)} rows to {out}")
