"""Queries against a remote SPARQL endpoint (network only when the user passes ``--endpoint``).

The SPARQL 1.1 Protocol needs little of a client: POST the query as a form field, ask for
``application/sparql-results+json``, read the JSON into terms. That is done here on the project's
one HTTP client (:mod:`.http_client`), so a query at ``--endpoint`` gets the same user agent,
timeout, retries (``Retry-After`` honoured), size limit and error types as ``publish`` and
``enrich``. SPARQLWrapper, which did this before, had its own retry-less urllib client and raised
unrelated exception types; it is no longer a runtime dependency.

Parameters are bound with a ``VALUES`` block built from typed terms and placed first in the WHERE
group (the remote counterpart of pyoxigraph's ``substitutions``; a trailing VALUES clause is
evaluated late by some engines, e.g. Virtuoso). Results come back as the same :class:`Table`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pyoxigraph import BlankNode, Literal, NamedNode

from .errors import QueryFailed
from .http_client import HttpClient, HttpSettings
from .namespaces import PREFIXES
from .results import Table, values_block
from .sparql import Term, bind_values_in_where, check_query

SPARQL_JSON = "application/sparql-results+json"


def with_prefixes(text: str) -> str:
    """Declare the project's default prefixes the query relies on (remote engines lack them)."""
    declared = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items() if f"PREFIX {p}:" not in text)
    return declared + text


def json_term(binding: Mapping[str, str]) -> Term:
    """One value of SPARQL JSON results (``{"type": "uri", "value": …}``) as a pyoxigraph term."""
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


def table_from_json(data: Any, endpoint: str) -> Table:
    """SPARQL JSON results as a :class:`Table`; anything else is :class:`QueryFailed` naming the endpoint."""
    try:
        columns = tuple(data["head"]["vars"])
        rows = tuple(tuple(json_term(b[c]) if c in b else None for c in columns) for b in data["results"]["bindings"])
    except (KeyError, TypeError, ValueError) as exc:
        raise QueryFailed(f"{endpoint}: the answer is not SPARQL JSON results "
                          f"({exc.__class__.__name__}: {exc})") from exc
    return Table(columns, rows)


def remote_select(
    endpoint: str,
    text: str,
    params: Mapping[str, Term] | None = None,
    *,
    client: HttpClient | None = None,
    settings: HttpSettings | None = None,
) -> Table:
    """Run a SELECT on ``endpoint`` and return a :class:`Table`.

    ``client`` lets a command reuse its own (credentials, retry log); otherwise one is made with
    ``settings`` for this query.
    """
    check_query(text)
    query = with_prefixes(text)
    if params:
        query = bind_values_in_where(query, values_block(sorted(params.items())))
    own = client is None
    http = client if client is not None else HttpClient(settings)
    try:
        reply = http.post(endpoint, what="SPARQL query", data={"query": query},
                          headers={"Accept": f"{SPARQL_JSON}, application/json;q=0.9"})
    finally:
        if own:
            http.close()
    try:
        data = json.loads(reply.content)
    except (UnicodeDecodeError, ValueError) as exc:
        raise QueryFailed(f"{endpoint}: the answer ({reply.media_type or 'no media type'}) is not SPARQL JSON "
                          f"results: {exc}") from exc
    return table_from_json(data, endpoint)
