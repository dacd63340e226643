"""Exceptions a user can act on. The CLI turns them into a message and an exit code
(1 the check found problems, 2 could not run)."""

from __future__ import annotations

from collections.abc import Sequence


class MpscError(Exception):
    """Base class: a problem the user can fix, reported without a traceback."""

    #: exit code of the CLI: 2 = could not run (bad input, bad arguments)
    exit_code = 2


class InputError(MpscError):
    """A file or argument could not be read; the message names the file and line."""

    def __init__(self, message: str, *, path: object | None = None, line: int | None = None) -> None:
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(where + message)
        self.path = path
        self.line = line


class QueryRefused(MpscError):
    """A query was refused before running: SERVICE to an IRI not allowed, or an update."""


class QueryFailed(MpscError):
    """A query could not be parsed or evaluated; the message is the engine's."""


class MalformedQuery(QueryFailed):
    """A query or update is not valid SPARQL; the message says where (line and column)."""


class UnknownName(MpscError):
    """A name (label, key, slug or IRI) matched no entity: a bad argument, exit code 2."""


class AmbiguousName(MpscError):
    """A name matched several entities; the message lists every candidate."""

    def __init__(self, name: str, candidates: Sequence[tuple[str, str]]) -> None:
        lines = "\n".join(f"  {label} <{iri}>" for iri, label in candidates)
        super().__init__(f"'{name}' is ambiguous; use one of these IRIs or keys:\n{lines}")
        self.name = name
        self.candidates = list(candidates)


class NoPath(MpscError):
    """No adoption path connects the two entities asked for."""

    exit_code = 1
