"""The library's front door: a :class:`Graph` over a project, local or behind a SPARQL endpoint.

Notebooks, the CLI and the network module all go through it, so a named query runs the same way
against the bundled data and against a remote triplestore.
"""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pyoxigraph import Store

from .dataset import load_dataset, open_store
from .project import Project
from .queries import NamedQuery, get_query
from .remote import remote_select
from .resolve import Entity, Resolver, kind_and_key
from .results import Table
from .sparql import Term, run_query

if TYPE_CHECKING:
    import pandas


class Graph:
    """A project's dataset, queried locally (in memory or an on-disk store) or at an endpoint."""

    def __init__(self, project: Project, *, store: Store | None = None, endpoint: str | None = None) -> None:
        self.project = project
        self.endpoint = endpoint
        self._store = store

    @classmethod
    def open(
        cls,
        root: str | os.PathLike[str] | None = None,
        *,
        store_dir: str | os.PathLike[str] | None = None,
        endpoint: str | None = None,
    ) -> Graph:
        """Open the project at ``root`` (found as :meth:`Project.find` says when None): its on-disk store
        if given, a remote endpoint, or memory."""
        project = Project.find(root)
        store = open_store(Path(store_dir)) if store_dir else None
        return cls(project, store=store, endpoint=endpoint)

    @property
    def store(self) -> Store:
        """The local store, loaded from the project's files on first use."""
        if self._store is None:
            self._store = load_dataset(self.project)
        return self._store

    def named_query(self, name: str) -> NamedQuery:
        return get_query(self.project.queries_dir, name)

    def select(self, text: str, params: dict[str, Term] | None = None) -> Table:
        """Run a SELECT text through the one query function (or remotely) and return a table."""
        if self.endpoint:
            return remote_select(self.endpoint, text, params)
        solutions = run_query(self.store, text, params=params)
        return Table.from_solutions(solutions)  # type: ignore[arg-type]

    def query(self, name: str, **params: str | Term) -> Table:
        """Run the named query ``queries/{name}.rq`` with typed parameters."""
        named = self.named_query(name)
        return self.select(named.text, named.bind(dict(params)))

    def query_df(self, name: str, **params: str | Term) -> pandas.DataFrame:
        """The named query's result as a DataFrame with typed columns."""
        from .frames import table_to_frame

        return table_to_frame(self.query(name, **params))

    @cached_property
    def resolver(self) -> Resolver:
        return resolver_of(self.query("entity_index"))

    def resolve(self, name: str, kinds: tuple[str, ...] = ()) -> Entity:
        """The entity a label, key, slug or IRI denotes (AmbiguousName lists the candidates)."""
        return self.resolver.resolve(name, kinds)

    def label(self, iri: str) -> str:
        return self.resolver.label(iri)


def resolver_of(table: Table) -> Resolver:
    """The name resolver over the rows of the ``entity_index`` query (wherever they were run)."""
    entities = []
    for row in table:
        iri = row["entity"].value  # type: ignore[union-attr]
        kind, key = kind_and_key(iri)
        district, state = row["districtLabel"], row["stateLabel"]
        entities.append(Entity(iri, row["label"].value, kind, key,  # type: ignore[union-attr]
                               district.value if district is not None else "",
                               state.value if state is not None else ""))
    return Resolver(entities)


def query(name: str, *, root: str | None = None, endpoint: str | None = None, **params: Any) -> Table:
    """Run a named query on the bundled data (or ``endpoint``) and return a :class:`Table`."""
    return Graph.open(root, endpoint=endpoint).query(name, **params)


def query_df(name: str, *, root: str | None = None, endpoint: str | None = None, **params: Any) -> pandas.DataFrame:
    """Run a named query and return a pandas DataFrame with typed columns."""
    return Graph.open(root, endpoint=endpoint).query_df(name, **params)
