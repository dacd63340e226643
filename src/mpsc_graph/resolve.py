"""The one name resolver: names of entities and of German public bodies to one IRI, or a clear error.

Two front-ends share this module. :class:`Resolver` looks up any labelled entity of the graph by
label, key (AGS, Kreisschlüssel, Gemeindeverband key), slug or IRI for ``paths``, ``query --param``
and the API: exact matches win over normalised ones (case, umlaut transliteration,
"Stadt"/"Landkreis" prefixes, parenthesised qualifiers); more than one match at the best level is an
:class:`AmbiguousName` error listing every candidate with its kind, district and state, never a
guess. At the normalised level a name also matches the labels it begins as whole words: dropping
"(Oder)" from "Frankfurt (Oder)" must not make "Frankfurt" mean it while "Frankfurt am Main" exists.

:class:`Gazetteer` resolves the free-text names people write in ``publiccode.yml`` ``usedBy``
lists and sources ("Stadt Kiel", "Gemeine Birkenwerder", "Stadt Herzberg/Elster", "Amt Schlieben")
for ``import``. Its places are the municipalities, districts and Gemeindeverbände of the project's
tables, the official municipality directory included, so every German municipality resolves. It
never guesses either: a fuzzy match is accepted only when it is the single one within a small edit
distance, and a Gemeindeverband (Amt, Verbandsgemeinde, ...) is never replaced by its seat town.
"""

from __future__ import annotations

import copy
import csv
import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from .errors import AmbiguousName, InputError, UnknownName
from .namespaces import ID, entity_iri
from .project import Project

PUBLIC_BODY_KINDS = ("municipality", "district", "municipal-association", "state", "alliance", "organisation")
#: The kinds of place the gazetteer knows and the IRI segment of each.
IRI_SEGMENTS = {"municipality": "municipality", "district": "district", "association": "municipal-association"}
KINDS = tuple(IRI_SEGMENTS)
_PREFIXES = re.compile(
    r"^(stadt|gemeinde|markt|landkreis|kreis|amt|samtgemeinde|verbandsgemeinde|hansestadt|lutherstadt|bezirk)\s+"
)


@dataclass(frozen=True)
class Entity:
    """An entity of the graph with the words it can be found by."""

    iri: str
    label: str
    kind: str
    key: str
    district: str = ""  # label of the district a municipality or Gemeindeverband belongs to
    state: str = ""  # label of the federal state


def kind_and_key(iri: str) -> tuple[str, str]:
    """``municipality``, ``15002000`` for ``…/id/municipality/15002000`` (concepts keep their scheme)."""
    if not iri.startswith(ID):
        return "", iri
    kind, _, key = iri[len(ID) :].partition("/")
    return kind, key


def normalise(name: str) -> str:
    """Case-, accent- and prefix-insensitive form of a name ("Stadt Halle (Saale)" → "halle")."""
    text = name.casefold().strip()
    text = text.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"\s*\([^)]*\)", "", text)
    text = re.sub(r"\s*/.*$", "", text) if "/" in text and not text.startswith("http") else text
    text = _PREFIXES.sub("", text)
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def _described(entity: Entity) -> str:
    """``Osnabrück (municipality 03404000, Niedersachsen)``: the label with the key a user can type
    instead, the district and the state that tell same-name bodies apart."""
    where = ", ".join(part for part in (entity.district, entity.state) if part)
    key = f" {entity.key}" if entity.key else ""
    return f"{entity.label} ({entity.kind}{key}{', ' + where if where else ''})"


class Resolver:
    """Looks names up among a fixed set of entities (built from the ``entity_index`` query)."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        self._by_iri: dict[str, Entity] = {}
        self._exact: dict[str, set[str]] = defaultdict(set)
        self._loose: dict[str, set[str]] = defaultdict(set)
        for entity in entities:
            self._by_iri.setdefault(entity.iri, entity)
            for word in (entity.label, entity.key, f"{entity.kind}/{entity.key}"):
                self._exact[word.casefold()].add(entity.iri)
            self._loose[normalise(entity.label)].add(entity.iri)

    def _loose_matches(self, loose: str) -> set[str]:
        """Entities whose normalised label is ``loose`` or begins with it as whole words."""
        if not loose:
            return set()
        found = set(self._loose.get(loose, ()))
        for word, iris in self._loose.items():
            if word.startswith(loose + " "):
                found |= iris
        return found

    def label(self, iri: str) -> str:
        entity = self._by_iri.get(iri)
        return entity.label if entity else iri

    def entity(self, iri: str) -> Entity | None:
        return self._by_iri.get(iri)

    def resolve(self, name: str, kinds: Iterable[str] = ()) -> Entity:
        """The one entity ``name`` denotes, optionally restricted to some kinds."""
        wanted = set(kinds)

        def keep(iris: set[str]) -> list[str]:
            return sorted(i for i in iris if not wanted or self._by_iri[i].kind in wanted)

        if name in self._by_iri and keep({name}):
            return self._by_iri[name]
        for candidates in (
            keep(self._exact.get(name.casefold().strip(), set())),
            keep(self._loose_matches(normalise(name))),
        ):
            if len(candidates) == 1:
                return self._by_iri[candidates[0]]
            if len(candidates) > 1:
                raise AmbiguousName(name, [(i, _described(self._by_iri[i])) for i in candidates])
        scope = f" among {', '.join(sorted(wanted))}" if wanted else ""
        close = self.suggest(name, wanted)
        hint = f"; did you mean {' or '.join(_described(self._by_iri[i]) for i in close)}?" if close else ""
        raise UnknownName(f"no entity named '{name}'{scope}; try a label, key (AGS), slug or IRI{hint}")

    def suggest(self, name: str, kinds: Iterable[str] = (), limit: int = 3) -> list[str]:
        """IRIs of up to ``limit`` entities whose label is close to ``name`` (typos: 'Paderbron', 'Halle Saale')."""
        wanted = set(kinds)
        labels: dict[str, set[str]] = defaultdict(set)
        for entity in self._by_iri.values():
            if not wanted or entity.kind in wanted:
                labels[entity.label.casefold()].add(entity.iri)
                labels[normalise(entity.label)].add(entity.iri)
        found: list[str] = []
        for query in (name.casefold().strip(), normalise(name)):
            for match in difflib.get_close_matches(query, list(labels), n=limit, cutoff=0.8):
                found += sorted(labels[match] - set(found))
        return found[:limit]


# --------------------------------------------------------------------------- free-text names for import

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
    district: str = ""  # Kreisschlüssel of the district a municipality or Gemeindeverband belongs to

    @property
    def iri(self) -> str:
        return entity_iri(IRI_SEGMENTS[self.kind], self.key)

    def describe(self) -> str:
        district = f", district {self.district}" if self.district else ""
        return f"{self.name} ({self.kind} {self.key}{district}, state {self.state}) <{self.iri}>"


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
    def for_project(cls, project: Project | None) -> Gazetteer:
        """The municipalities, districts and Gemeindeverbände of a project's ``data/`` tables: the official
        directory (``directory.csv``) and the curated ``municipalities.csv`` and ``districts.csv``."""
        return cls(project_places(project) if project is not None else [])

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
            # "Amt Schlieben" is the Gemeindeverband, never its seat town Schlieben
            associations = [p for p in keep_any(self._core.get(parsed.core, []), state) if p.kind == "association"]
            if len(_unique(associations)) == 1:
                return Resolution(name, "resolved", _unique(associations)[0], notes=notes)
            spelled = self._core.get(fold(name), []) + self._base.get(parsed.base, [])
            candidates = _unique(keep_any(spelled, state))
            return Resolution(
                name, "ambiguous" if len(associations) > 1 else "unresolved", candidates=tuple(candidates),
                notes=notes, reason="no single Gemeindeverband (Amt, Verbandsgemeinde, ...) of this name is known; "
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


def project_places(project: Project) -> list[Place]:
    """The bodies of a project's ``data/`` tables under their German names: the official directory
    (every municipality, district and Gemeindeverband) and the curated tables, whose names may differ
    ("Lutherstadt Eisleben"); a body listed under two names is found by both."""
    places: list[Place] = []
    tables = (("directory", "", "key"), ("municipalities", "municipality", "ags"), ("districts", "district", "key"))
    for stem, fixed_kind, key_column in tables:
        path = project.data_dir / f"{stem}.csv"
        if not path.is_file():
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                kind = fixed_kind or (row.get("kind") or "").strip()
                key, name = (row.get(key_column) or "").strip(), (row.get("name_de") or "").strip()
                if key and name and kind in KINDS:
                    sources = tuple(s.strip() for s in (row.get("sources") or "").split(";") if s.strip())
                    district = (row.get("district") or "").strip()
                    if kind == "association":
                        district = key[:5]
                    places.append(Place(kind, key, name, (row.get("state") or "").strip(), sources, district))
    return places
