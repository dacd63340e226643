"""Named queries: ``queries/NAME.rq`` files with a grlc-style ``#+`` YAML header
(the convention of grlc, which serves such a folder as a web API).

A header declares ``summary``, ``tags`` and typed ``params``; each parameter ``name`` is the
variable ``?_name`` in the query and must appear in its SELECT projection, so pyoxigraph can bind
it. Parameters may appear only in triple patterns (and the projection), never inside FILTER or BIND:
remotely they are bound by a VALUES block at the start of the WHERE group, and an expression in a
nested group would see them unbound. An optional parameter is simply a free variable when no value
is given. Values given as text (CLI, HTTP) are converted to typed terms here, with an error that names
the parameter and the type it expects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pyoxigraph import Literal, NamedNode

from .errors import InputError
from .namespaces import XSD
from .safeyaml import YamlRefused, load_yaml
from .sparql import Term

PARAM_TYPES = {
    "iri": "an IRI such as https://w3id.org/mpsc-graph/id/municipality/15002000",
    "string": "text",
    "integer": "a whole number",
    "decimal": "a number",
    "date": "a date YYYY-MM-DD",
    "year": "a year YYYY",
    "boolean": "true or false",
}


@dataclass(frozen=True)
class Param:
    """One declared parameter of a named query."""

    name: str
    type: str
    description: str = ""
    required: bool = True
    #: for IRI parameters: the entity kinds a name may resolve to (``municipality``, ``solution``, ...)
    kinds: tuple[str, ...] = ()
    #: a value that gives a non-empty answer on the bundled data (docs, OpenAPI, the binding test)
    example: str = ""

    def expects(self) -> str:
        """What a value must look like, for error messages: an IRI parameter names its own example."""
        if self.type == "iri" and self.example:
            return f"an IRI such as {self.example}"
        return PARAM_TYPES.get(self.type, self.type)

    def to_term(self, value: str) -> Term:
        """Convert a text value to the typed term the query expects."""
        value = value.strip()
        try:
            if self.type == "iri":
                if not re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|^`\\]*$", value):
                    raise ValueError
                return NamedNode(value)
            if self.type == "integer":
                return Literal(str(int(value)), datatype=NamedNode(XSD + "integer"))
            if self.type == "decimal":
                float(value)
                return Literal(value, datatype=NamedNode(XSD + "decimal"))
            if self.type == "date":
                return Literal(date.fromisoformat(value).isoformat(), datatype=NamedNode(XSD + "date"))
            if self.type == "year":
                if not re.fullmatch(r"\d{4}", value):
                    raise ValueError
                return Literal(value, datatype=NamedNode(XSD + "gYear"))
            if self.type == "boolean":
                if value.lower() not in ("true", "false"):
                    raise ValueError
                return Literal(value.lower(), datatype=NamedNode(XSD + "boolean"))
            return Literal(value)
        except ValueError:
            raise InputError(f"parameter '{self.name}' expects {self.expects()}, got '{value}'") from None


@dataclass(frozen=True)
class NamedQuery:
    """A query file with its header metadata."""

    name: str
    path: Path
    text: str
    summary: str
    tags: tuple[str, ...] = ()
    params: tuple[Param, ...] = field(default=())
    description: str = ""

    def param(self, name: str) -> Param:
        for param in self.params:
            if param.name == name:
                return param
        known = ", ".join(p.name for p in self.params) or "none"
        raise InputError(f"query '{self.name}' has no parameter '{name}' (parameters: {known})")

    def bind(self, values: dict[str, str | Term]) -> dict[str, Term]:
        """Typed bindings ``{"_name": term}`` for the given values; every required one present."""
        bindings: dict[str, Term] = {}
        for name, value in values.items():
            param = self.param(name)
            bindings["_" + name] = param.to_term(value) if isinstance(value, str) else value
        missing = [p.name for p in self.params if p.required and "_" + p.name not in bindings]
        if missing:
            expected = "; ".join(f"{p.name}: {p.expects()}" for p in self.params if p.name in missing)
            raise InputError(f"query '{self.name}' needs parameter(s) {expected}")
        return bindings


def parse_query_file(path: Path) -> NamedQuery:
    """Read one ``.rq`` file; a header that is not valid YAML is an error naming the file."""
    text = path.read_text(encoding="utf-8")
    header_lines = [line[2:] for line in text.splitlines() if line.startswith("#+")]
    try:
        meta = load_yaml("\n".join(header_lines), str(path))[0] or {}
    except YamlRefused as exc:
        raise InputError(f"query header: {exc.problem}", path=path) from None
    if not isinstance(meta, dict) or not meta.get("summary"):
        raise InputError("query header needs '#+ summary: ...'", path=path)
    params = []
    for entry in meta.get("params") or []:
        if not isinstance(entry, dict) or "name" not in entry:
            raise InputError("each '#+ params' entry needs a name and a type", path=path)
        kind = str(entry.get("type", "string"))
        if kind not in PARAM_TYPES:
            raise InputError(
                f"parameter '{entry['name']}' has unknown type '{kind}' (known: {', '.join(PARAM_TYPES)})", path=path
            )
        params.append(
            Param(
                str(entry["name"]),
                kind,
                str(entry.get("description", "")),
                bool(entry.get("required", True)),
                tuple(str(k) for k in entry.get("kinds") or ()),
                str(entry.get("example", "")),
            )
        )
    return NamedQuery(
        name=path.stem,
        path=path,
        text=text,
        summary=str(meta["summary"]).strip(),
        tags=tuple(str(t) for t in meta.get("tags") or ()),
        params=tuple(params),
        description=str(meta.get("description", "")).strip(),
    )


def catalogue(queries_dir: Path) -> dict[str, NamedQuery]:
    """Every named query of a project, by name."""
    return {path.stem: parse_query_file(path) for path in sorted(queries_dir.glob("*.rq"))}


def get_query(queries_dir: Path, name: str) -> NamedQuery:
    path = queries_dir / f"{name}.rq"
    if not path.is_file():
        known = ", ".join(sorted(catalogue(queries_dir))) or "none"
        raise InputError(f"no query named '{name}' (known: {known})")
    return parse_query_file(path)
