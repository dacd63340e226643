"""Name resolution inside the graph: label, key (AGS, Kreisschlüssel), slug or IRI to one entity.

Exact matches win over normalised ones (case, umlaut transliteration, "Stadt"/"Landkreis"
prefixes, parenthesised qualifiers); more than one match at the best level is an
:class:`AmbiguousName` error listing every candidate, never a guess. At the normalised level a
name also matches the labels it begins as whole words: dropping "(Oder)" from "Frankfurt (Oder)"
must not make "Frankfurt" mean it while "Frankfurt am Main" exists.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .errors import AmbiguousName, UnknownName
from .namespaces import ID

PUBLIC_BODY_KINDS = ("municipality", "district", "state", "alliance", "organisation")
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
    """``Frankfurt (Oder) (municipality 12053000)``: the label with the key a user can type instead."""
    return f"{entity.label} ({entity.kind} {entity.key})" if entity.key else f"{entity.label} ({entity.kind})"


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
