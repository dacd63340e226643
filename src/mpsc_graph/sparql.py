"""The one query function (DESIGN §1): every query of every entry point runs through here.

Before a query reaches the engine it is inspected: SPARQL Update is refused, and so is ``SERVICE``
to any IRI not on the caller's allow-list (pyoxigraph would otherwise really fetch the URL, a
server-side request forgery hole). Parameters are bound as terms (pyoxigraph ``substitutions``
locally, an appended ``VALUES`` block remotely), never formatted into the text. The default graph
is the union of all named graphs unless the request or the query names its own dataset.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
    Store,
    Variable,
)

from .errors import QueryFailed, QueryRefused
from .namespaces import PREFIXES

Term = NamedNode | Literal | BlankNode
QueryResult = QuerySolutions | QueryBoolean | QueryTriples

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00C0-\uFFFF]+)
  | (?P<pname>(?:[A-Za-z\u00C0-\uFFFF][\w.\-\u00C0-\uFFFF]*)?:[\w.\-:%\\\u00C0-\uFFFF]*)
  | (?P<name>[A-Za-z_][A-Za-z0-9_\-]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

QUERY_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
UPDATE_FORMS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}


@dataclass(frozen=True)
class QueryShape:
    """What a query text is, as far as the guard needs to know before running it."""

    form: str  # SELECT, ASK, CONSTRUCT, DESCRIBE, UPDATE or UNKNOWN
    services: tuple[str | None, ...]  # target IRIs of SERVICE clauses; None for a variable target
    has_dataset: bool = False  # the query names its own dataset with FROM / FROM NAMED

    @property
    def is_update(self) -> bool:
        return self.form == "UPDATE"


def _tokens(text: str) -> list[tuple[str, str]]:
    out = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind not in ("ws", "comment"):
            out.append((kind, match.group()))
    return out


@functools.lru_cache(maxsize=1024)
def inspect_query(text: str) -> QueryShape:
    """The form of a query and the targets of its SERVICE clauses, from a lexical scan.

    Cached by text: a server sees the same query texts again and again (the result is immutable).

    Strings, IRIs and comments are tokenised first, so the word SERVICE inside a literal or an
    IRI is not mistaken for the keyword; prefixed names are expanded with the query's own
    ``PREFIX`` declarations and the project's default prefixes.
    """
    tokens = _tokens(text)
    prefixes = dict(PREFIXES)
    base = ""
    form = "UNKNOWN"
    services: list[str | None] = []
    has_dataset = False
    i = 0
    while i < len(tokens):
        kind, value = tokens[i]
        word = value.upper() if kind == "name" else ""
        if word == "PREFIX" and i + 2 < len(tokens) and tokens[i + 1][0] == "pname" and tokens[i + 2][0] == "iri":
            prefixes[tokens[i + 1][1].rstrip(":")] = tokens[i + 2][1][1:-1]
            i += 3
            continue
        if word == "BASE" and i + 1 < len(tokens) and tokens[i + 1][0] == "iri":
            base = tokens[i + 1][1][1:-1]
            i += 2
            continue
        if form == "UNKNOWN" and word in QUERY_FORMS:
            form = word
        elif form == "UNKNOWN" and word in UPDATE_FORMS:
            form = "UPDATE"
        if word == "FROM":
            has_dataset = True
        if word == "SERVICE":
            j = i + 1
            if j < len(tokens) and tokens[j][0] == "name" and tokens[j][1].upper() == "SILENT":
                j += 1
            services.append(_service_target(tokens[j] if j < len(tokens) else ("other", ""), prefixes, base))
        i += 1
    return QueryShape(form, tuple(services), has_dataset)


def _service_target(token: tuple[str, str], prefixes: Mapping[str, str], base: str) -> str | None:
    kind, value = token
    if kind == "iri":
        iri = value[1:-1]
        return iri if re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:", iri) else base + iri
    if kind == "pname":
        prefix, _, local = value.partition(":")
        return prefixes.get(prefix, "") + local if prefix in prefixes else value
    return None


def bind_values_in_where(text: str, block: str) -> str:
    """Insert a ``VALUES`` block as the first element of the query's WHERE group.

    There it joins before the group's FILTERs and OPTIONALs, as a substitution would, and
    engines that evaluate a trailing VALUES clause late (Virtuoso) still restrict by it.
    The position is found on tokens, so braces inside strings, IRIs or comments do not count.
    """
    where_seen = False
    for match in _TOKEN.finditer(text):
        kind, value = match.lastgroup, match.group()
        if kind == "name" and value.upper() == "WHERE":
            where_seen = True
        elif kind == "other" and value == "{" and (where_seen or "WHERE" not in text.upper()):
            return text[: match.end()] + "\n" + block + text[match.end() :]
    raise QueryFailed("cannot bind parameters: the query has no WHERE group")


def check_query(text: str, allow_service: Iterable[str] = (), *, allow_update: bool = False) -> QueryShape:
    """Refuse updates (unless allowed) and SERVICE to any IRI not on the allow-list."""
    shape = inspect_query(text)
    if shape.is_update and not allow_update:
        raise QueryRefused("SPARQL Update is not allowed: this endpoint is read-only")
    allowed = set(allow_service)
    for target in shape.services:
        if target is None:
            raise QueryRefused("SERVICE with a variable target is not allowed")
        if target not in allowed:
            raise QueryRefused(f"SERVICE <{target}> is not allowed (allow it with --allow-service {target})")
    return shape


def run_query(
    store: Store,
    text: str,
    *,
    params: Mapping[str, Term] | None = None,
    allow_service: Iterable[str] = (),
    default_graph: Sequence[str] | None = None,
    named_graphs: Sequence[str] | None = None,
    base_iri: str | None = None,
) -> QueryResult:
    """Run a read query on a local store, after the guard; the result streams from pyoxigraph.

    ``params`` bind variables by name (``{"_origin": NamedNode(...)}``); pyoxigraph binds only
    variables of the SELECT projection (DESIGN §2). With ``default_graph`` (a protocol
    ``default-graph-uri``) the union default graph is replaced by exactly those graphs.
    ``base_iri`` resolves relative IRIs (the server passes its endpoint URL, as the protocol tests expect).
    """
    shape = check_query(text, allow_service)
    options: dict[str, object] = {"prefixes": PREFIXES}
    if default_graph:
        options["default_graph"] = [NamedNode(g) for g in default_graph]
    elif not shape.has_dataset:  # pyoxigraph ignores FROM when the union option is set
        options["use_default_graph_as_union"] = True
    if named_graphs:
        options["named_graphs"] = [NamedNode(g) for g in named_graphs]
    if base_iri:
        options["base_iri"] = base_iri
    if params:
        options["substitutions"] = {Variable(name): term for name, term in params.items()}
    try:
        return store.query(text, **options)  # type: ignore[arg-type]
    except SyntaxError as exc:
        raise QueryFailed(f"malformed query: {exc}") from exc
    except (OSError, RuntimeError, ValueError) as exc:
        raise QueryFailed(f"query failed: {exc}") from exc


def run_update(store: Store, text: str, *, allow_service: Iterable[str] = ()) -> None:
    """Run a SPARQL Update on a writable store (only the server's --allow-update mode calls this)."""
    check_query(text, allow_service, allow_update=True)
    try:
        store.update(text)
    except SyntaxError as exc:
        raise QueryFailed(f"malformed update: {exc}") from exc
