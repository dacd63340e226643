"""The one query function: every query of every entry point runs through here.

Before a query reaches the engine it is inspected: SPARQL Update is refused, and so is ``SERVICE``
to any IRI not on the caller's allow-list (pyoxigraph would otherwise really fetch the URL, a
server-side request forgery hole). Parameters are bound as terms (pyoxigraph ``substitutions``
locally, an appended ``VALUES`` block remotely), never formatted into the text. The default graph
is the union of all named graphs unless the request or the query names its own dataset.

The guard also bounds a query's size and shape, because pyoxigraph's parser and planner recurse
on the query's structure and overflow the thread's stack (SIGSEGV: the process dies, nothing a
Python handler can catch) long before any time or memory limit applies. Measured with pyoxigraph
0.5.13 on an 8 MiB stack (the main thread's, and every thread's: glibc gives threads the stack
limit as their size; the server's query workers are forked processes running queries on their
main thread; ``benchmarks/query_crash_thresholds.py`` repeats the measurement), a query dies at

* 960 nested function calls (``STR(STR(...))``), 2,202 nested groups ``{{...}}``, 2,546 nested
  subqueries, 4,687 nested parentheses, 13,875 nested path parentheses;
* flat chains of 9,375 ``!`` (9,387 tokens), 6,937 ``+`` (13,886 tokens), 2,625 ``MINUS``
  (15,758 tokens), 10,937 ``|`` path alternatives (21,880 tokens), 9,375 ``||`` or ``&&``
  (28,134 tokens), 6,562 ``UNION`` (39,376 tokens).

Hence, with a margin of at least 4x: at most :data:`MAX_QUERY_DEPTH` levels of ``{}``, ``()`` and
``[]`` together (960 / 4 = 240 would do for the stack; 64 because nested collections and blank
nodes cost parse time cubic in their depth: 2 s at 64 levels, 45 s at 200) and at most
:data:`MAX_QUERY_TOKENS` tokens (9,387 / 4, rounded down; the project's largest named query has 367).

Long chains of some operators cost time cubic in their length well before they crash: 200 path
steps take 4 s to plan, 500 take a minute; 100 ``OPTIONAL`` clauses 1.3 s, 500 over a minute.
So a third bound, :data:`MAX_QUERY_OPERATORS`, counts operators (``/ | ^ + - * ! = < > &`` and their
two-character forms such as ``||`` or ``<=`` once each), ``UNION``, ``OPTIONAL`` and ``MINUS``: at
most 128, where the slowest chain plans in about 2 s (the project's busiest named query has 35).
A query beyond any bound is refused with :class:`~mpsc_graph.errors.QueryRefused` naming the bound.

Not bounded here: the planner's cost for many triple patterns joined in one group (64 patterns
0.7 s, 128 patterns 12 s), which stays within the bounds; the server's ``--timeout`` ends such a
query, a local caller waits for it.
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

from .errors import MalformedQuery, QueryFailed, QueryRefused
from .namespaces import PREFIXES

Term = NamedNode | Literal | BlankNode
QueryResult = QuerySolutions | QueryBoolean | QueryTriples

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*(?:(?:\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})[^<>"{}|^`\\\x00-\x20]*)*>)
  | (?P<var>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)
  | (?P<pname>(?:[A-Za-z\u00C0-\uFFFF][\w.\-\u00B7\u00C0-\uFFFF]*)?:
               [\w.\-:%\u00B7\u00C0-\uFFFF]*(?:\\[_~.\-!$&'()*+,;=/?\#@%][\w.\-:%\u00B7\u00C0-\uFFFF]*)*)
  | (?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_\-]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

#: deepest nesting of ``{}``, ``()`` and ``[]`` together that reaches the engine (see the module docstring)
MAX_QUERY_DEPTH = 64
#: most operators, path steps and UNION / OPTIONAL / MINUS clauses in one query
MAX_QUERY_OPERATORS = 128
#: most tokens (names, variables, IRIs, literals, punctuation; not whitespace or comments) in one query
MAX_QUERY_TOKENS = 2_000

_OPERATORS = set("/|^+-*!=<>&")
_CLAUSES = {"UNION", "OPTIONAL", "MINUS"}
QUERY_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
UPDATE_FORMS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}


@dataclass(frozen=True)
class QueryShape:
    """What a query text is, as far as the guard needs to know before running it."""

    form: str  # SELECT, ASK, CONSTRUCT, DESCRIBE, UPDATE or UNKNOWN
    services: tuple[str | None, ...]  # target IRIs of SERVICE clauses; None where not an absolute IRI
    has_dataset: bool = False  # the query names its own dataset with FROM / FROM NAMED
    loads: tuple[str | None, ...] = ()  # source IRIs of an update's LOAD operations (fetched by the engine)
    tokens: int = 0  # number of tokens, counted up to MAX_QUERY_TOKENS + 1 (the scan stops there)
    depth: int = 0  # deepest nesting of {}, () and [] together
    operators: int = 0  # operators (a run such as || or <= once), path steps, UNION, OPTIONAL and MINUS

    @property
    def is_update(self) -> bool:
        return self.form == "UPDATE"


def _tokens(text: str, limit: int = MAX_QUERY_TOKENS) -> list[tuple[str, str]]:
    """The query's tokens as the engine reads them, without whitespace and comments.

    The scan stops after ``limit`` + 1 tokens: a longer query is refused for its size anyway, and
    a megabyte of text costs no more than a refused query should.

    One case of the SPARQL grammar depends on context: ``<`` is less-than inside an expression
    after an operand (``FILTER(?o<1)``) and starts an IRI everywhere else. Reading an IRI where the
    engine reads an operator would hide whatever follows from the guard (``FILTER(?o<1)SERVICE#>``
    and a newline make the engine see a SERVICE clause and the naive scan one IRI), so the scan
    keeps track of which parentheses hold expressions: those of FILTER, BIND, HAVING, function
    calls, the SELECT projection and GROUP/ORDER BY; parentheses in graph patterns are
    collections and paths, where ``<`` can only start an IRI.
    """
    if "(" not in text:  # no parenthesis, no expression: every "<" starts an IRI; the plain scan suffices
        plain: list[tuple[str, str]] = []
        for found in _TOKEN.finditer(text):
            if found.lastgroup not in ("ws", "comment"):
                plain.append((found.lastgroup or "other", found.group()))
                if len(plain) > limit:
                    break
        return plain
    out: list[tuple[str, str]] = []
    frames: list[str] = []  # "pattern" for { }, "expression" or "list" for ( )
    clause = ""  # "select" from SELECT to its WHERE or {, "modifiers" after GROUP BY / ORDER BY / HAVING
    position = 0
    while position < len(text):
        in_expression = bool(frames) and frames[-1] == "expression"
        if text[position] == "<" and in_expression and _ends_with_operand(out):
            out.append(("other", "<"))  # less-than (or the start of <=)
            position += 1
            continue
        match = _TOKEN.match(text, position)
        assert match is not None  # the last alternative matches any character
        position = match.end()
        kind, value = match.lastgroup or "other", match.group()
        if kind in ("ws", "comment"):
            continue
        if value == "(":
            frames.append(_parenthesis(out, in_expression, clause))
        elif value == ")" and frames and frames[-1] != "pattern":
            frames.pop()
        elif value == "{":
            frames.append("pattern")
            clause = ""
        elif value == "}":
            while frames and frames.pop() != "pattern":
                pass
            clause = ""
        elif kind == "name" and not (out and out[-1][1] == "@"):  # a language tag is no keyword
            word = value.upper()
            if word == "SELECT":
                clause = "select"
            elif word in ("BY", "HAVING"):
                clause = "modifiers"
            elif word in ("WHERE", "LIMIT", "OFFSET", "VALUES"):
                clause = ""
        out.append((kind, value))
        if len(out) > limit:
            break
    return out


def _ends_with_operand(before: list[tuple[str, str]]) -> bool:
    """Whether an expression's last token is a complete operand, so that ``<`` next is less-than."""
    if not before:
        return False
    kind, value = before[-1]
    if kind in ("var", "iri", "pname", "string", "number") or value == ")":
        return True
    if value == ">" and [v for _, v in before[-3:]] == [")", ">", ">"]:  # the end of a triple term <<( ... )>>
        return True
    return kind == "name" and _is_literal_word(before)  # keywords such as DISTINCT are no operand


def _is_literal_word(before: list[tuple[str, str]]) -> bool:
    """Whether the last token, a name, is part of a literal: true, false, or a language tag ("a"@en)."""
    return before[-1][1].lower() in ("true", "false") or (len(before) > 1 and before[-2][1] == "@")


def _parenthesis(before: list[tuple[str, str]], in_expression: bool, clause: str) -> str:
    """Whether a ``(`` after the tokens ``before`` opens an expression or a list (collection, path, VALUES)."""
    if in_expression or clause:
        return "expression"
    if not before:
        return "list"
    kind, value = before[-1]
    if kind == "name":
        listing = _is_literal_word(before) or value == "a" or value.upper() == "VALUES"
        return "list" if listing else "expression"  # FILTER, BIND, STR, ...
    if kind in ("iri", "pname") and len(before) > 1 and before[-2][0] == "name" and before[-2][1].upper() == "FILTER":
        return "expression"  # FILTER <function>(...)
    return "list"


@functools.lru_cache(maxsize=1024)
def inspect_query(text: str) -> QueryShape:
    """The form of a query and the targets of its SERVICE clauses and LOAD operations, from a lexical scan.

    Cached by text: a server sees the same query texts again and again (the result is immutable).

    Strings, IRIs and comments are tokenised first, so the word SERVICE inside a literal or an
    IRI is not mistaken for the keyword; prefixed names are expanded with the query's own
    ``PREFIX`` declarations and the project's default prefixes.
    """
    tokens = _tokens(text)
    depth = deepest = operators = 0
    after_operator = False
    for kind, value in tokens:
        if kind == "other" and value in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "other" and value in "})]" and depth:
            depth -= 1
        operator = kind == "other" and value in _OPERATORS
        if (operator and not after_operator) or (kind == "name" and value.upper() in _CLAUSES):
            operators += 1
        after_operator = operator
    prefixes = dict(PREFIXES)
    form = "UNKNOWN"
    services: list[str | None] = []
    loads: list[str | None] = []
    has_dataset = False
    i = 0
    while i < len(tokens):
        kind, value = tokens[i]
        word = value.upper() if kind == "name" else ""
        if word == "PREFIX" and i + 2 < len(tokens) and tokens[i + 1][0] == "pname" and tokens[i + 2][0] == "iri":
            prefixes[tokens[i + 1][1].rstrip(":")] = tokens[i + 2][1][1:-1]
            i += 3
            continue
        if form == "UNKNOWN" and word in QUERY_FORMS:
            form = word
        elif form == "UNKNOWN" and word in UPDATE_FORMS:
            form = "UPDATE"
        if word == "FROM":
            has_dataset = True
        if word in ("SERVICE", "LOAD"):
            j = i + 1
            if j < len(tokens) and tokens[j][0] == "name" and tokens[j][1].upper() == "SILENT":
                j += 1
            following = tokens[j] if j < len(tokens) else ("other", "")
            silent_glued = following[0] in ("name", "pname") and following[1].upper().startswith("SILENT")
            target = None if silent_glued else _service_target(following, prefixes)  # SILENT:x is SILENT + :x
            (services if word == "SERVICE" else loads).append(target)
        elif value[:1] in "SsLl" and (keyword := _glued_keyword(kind, value, tokens[i - 1] if i else None)):
            (services if keyword == "SERVICE" else loads).append(None)
        i += 1
    return QueryShape(form, tuple(services), has_dataset, tuple(loads), len(tokens), deepest, operators)


def _glued_keyword(kind: str, value: str, previous: tuple[str, str] | None) -> str | None:
    """SERVICE or LOAD run together with what follows it (``SERVICESILENT<x>``, ``SERVICE:x``).

    The engine matches keywords without a word boundary and reads these as the keyword and its
    target; the scan sees one name. They count as the keyword with a target it cannot check.
    """
    if kind not in ("name", "pname") or (previous is not None and previous[1] == "@"):  # not a language tag
        return None
    head = value.partition(":")[0].upper()
    for keyword in ("SERVICE", "LOAD"):
        if head.startswith(keyword) and (head != keyword or kind == "pname"):
            return keyword
    return None


def _service_target(token: tuple[str, str], prefixes: Mapping[str, str]) -> str | None:
    """The absolute IRI a SERVICE or LOAD names; None for a variable or a relative IRI (the engine
    resolves it against a base, which a string join would get wrong: refused, not guessed)."""
    kind, value = token
    if kind == "iri":
        iri = _unescape(value[1:-1])
        return iri if re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:", iri) else None
    if kind == "pname":
        prefix, _, local = value.partition(":")
        return prefixes.get(prefix, "") + local if prefix in prefixes else value
    return None


def _unescape(iri: str) -> str:
    """An IRI with its \\u and \\U escapes resolved, as the engine resolves them."""
    return re.sub(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})", lambda m: chr(int(m.group(1) or m.group(2), 16)), iri)


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
    """Refuse queries beyond the size and depth bounds, updates (unless allowed), and SERVICE or LOAD
    of any IRI not on the allow-list."""
    shape = inspect_query(text)
    if shape.tokens > MAX_QUERY_TOKENS:  # first: the scan stopped there and saw no SERVICE beyond
        raise QueryRefused(f"the query is longer than {MAX_QUERY_TOKENS} tokens (the bound on query size: "
                           "longer queries can crash the query engine)")
    if shape.depth > MAX_QUERY_DEPTH:
        raise QueryRefused(f"the query nests {{}}, () and [] {shape.depth} levels deep; at most {MAX_QUERY_DEPTH} "
                           "are allowed (the bound on query depth: deeper queries can crash the query engine)")
    if shape.operators > MAX_QUERY_OPERATORS:
        raise QueryRefused(f"the query has {shape.operators} operators, path steps and UNION/OPTIONAL/MINUS "
                           f"clauses; at most {MAX_QUERY_OPERATORS} are allowed (the bound on query operators: "
                           "longer chains cost the query engine minutes)")
    if shape.is_update and not allow_update:
        raise QueryRefused("SPARQL Update is not allowed: this endpoint is read-only")
    allowed = set(allow_service)
    for target in shape.services:
        if target is None:
            raise QueryRefused("SERVICE with a variable or relative target is not allowed")
        if target not in allowed:
            raise QueryRefused(f"SERVICE <{target}> is not allowed (allow it with --allow-service {target})")
    for target in shape.loads:  # LOAD fetches its source as SERVICE does; the same allow-list applies
        if target is None:
            raise QueryRefused("LOAD from a relative or unreadable source is not allowed")
        if target not in allowed:
            raise QueryRefused(f"LOAD <{target}> is not allowed: the server fetches only IRIs allowed "
                               f"with --allow-service")
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
    variables of the SELECT projection (pyoxigraph 0.5). With ``default_graph`` (a protocol
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
        raise MalformedQuery(f"malformed query: {exc}") from exc
    except (OSError, RuntimeError, ValueError) as exc:
        raise QueryFailed(f"query failed: {exc}") from exc


def run_update(store: Store, text: str, *, allow_service: Iterable[str] = ()) -> None:
    """Run a SPARQL Update on a writable store (only the server's --allow-update mode calls this)."""
    check_query(text, allow_service, allow_update=True)
    try:
        store.update(text)
    except SyntaxError as exc:
        raise MalformedQuery(f"malformed update: {exc}") from exc
