"""Queries against a remote SPARQL endpoint (network only when the user passes ``--endpoint``).

Parameters are bound with a ``VALUES`` block built from typed terms and placed first in the WHERE
group (the remote counterpart of pyoxigraph's ``substitutions``; a trailing VALUES clause is
evaluated late by some engines, e.g. Virtuoso). Results come back as the same :class:`Table`.
"""

from __future__ import annotations

from collections.abc import Mapping

from pyoxigraph import BlankNode, Literal, NamedNode

from . import __version__
from .errors import MpscError, QueryFailed
from .namespaces import PREFIXES
from .results import Table, values_block
from .sparql import Term, bind_values_in_where, check_query

USER_AGENT = f"mpsc-graph/{__version__} (+https://w3id.org/mpsc-graph)"


def _prologue(text: str) -> str:
    """Declare the project's default prefixes the query relies on (remote engines lack them)."""
    declared = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items() if f"PREFIX {p}:" not in text)
    return declared + text


def _term(binding: Mapping[str, str]) -> Term:
    kind = binding["type"]
    if kind == "uri":
        return NamedNode(binding["value"])
    if kind == "bnode":
        return BlankNode(binding["value"])
    if "xml:lang" in binding:
        return Literal(binding["value"], language=binding["xml:lang"])
    if "datatype" in binding:
        return Literal(binding["value"], datatype=NamedNode(binding["datatype"]))
    return Literal(binding["value"])


def remote_select(endpoint: str, text: str, params: Mapping[str, Term] | None = None, *, timeout: int = 60) -> Table:
    """Run a SELECT on ``endpoint`` through SPARQLWrapper and return a :class:`Table`."""
    from SPARQLWrapper import JSON, POST, SPARQLWrapper  # imported lazily: only remote use needs it

    check_query(text)
    query = _prologue(text)
    if params:
        query = bind_values_in_where(query, values_block(sorted(params.items())))
    client = SPARQLWrapper(endpoint, agent=USER_AGENT)
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    client.setTimeout(timeout)
    client.setQuery(query)
    try:
        data = client.queryAndConvert()
    except Exception as exc:  # SPARQLWrapper raises many unrelated types; report them all alike
        raise QueryFailed(f"the endpoint {endpoint} answered with an error: {exc}") from exc
    if not isinstance(data, dict) or "results" not in data:
        raise MpscError(f"the endpoint {endpoint} did not return SPARQL JSON results")
    columns = tuple(data["head"]["vars"])
    rows = tuple(tuple(_term(b[c]) if c in b else None for c in columns) for b in data["results"]["bindings"])
    return Table(columns, rows)
