"""The messages between the server and a query worker, one dataclass each with a ``Literal`` kind.

The server sends a :class:`Job` (or ``None`` to stop the worker). A worker answers a job with
exactly one of: :class:`Complete` (the whole result), :class:`StreamStart` followed by
:class:`Chunk` messages and :class:`StreamEnd` (a result too large for one message), :class:`Rows`
(solutions for a page the server renders), :class:`Updated`, or :class:`Failure`. A stream that
fails half-way ends with a :class:`Failure` instead of a :class:`StreamEnd`. Before any job a worker
says :class:`Ready` or, when it cannot open the store, :class:`Fatal`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

from ..sparql import Term

JobKind: TypeAlias = Literal["sparql", "api", "rows", "update", "check"]


@dataclass(frozen=True, slots=True)
class CaseCheck:
    """What a ``check`` job needs beside the case's Turtle: the project whose shapes apply, the case's own
    nodes (only findings about them count) and the language of the messages."""

    root: str
    focus: tuple[str, ...]
    lang: str = "de"


@dataclass(frozen=True, slots=True)
class Job:
    """One unit of work for a worker.

    kind: ``sparql`` (a protocol request, negotiated from ``accept``), ``api`` (a named query, plain
    JSON or CSV), ``rows`` (the solutions themselves, for pages and documents the server renders) or
    ``update``; or ``check``, a contributed case (Turtle in ``text``) checked against the shapes of
    ``check.root`` (:func:`mpsc_graph.contribcheck.check_case`), answered as rows of findings.
    """

    kind: JobKind
    text: str
    params: dict[str, Term] | None = None
    default_graph: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    accept: str | None = None
    media_type: str | None = None
    limit: int = 100_000
    offset: int = 0
    base_iri: str | None = None
    check: CaseCheck | None = None


@dataclass(frozen=True, slots=True)
class Ready:
    pid: int
    sandboxed: bool
    kind: Literal["ready"] = "ready"


@dataclass(frozen=True, slots=True)
class Fatal:
    message: str
    kind: Literal["fatal"] = "fatal"


@dataclass(frozen=True, slots=True)
class Complete:
    """A whole result in one message; ``truncated``: rows were cut off at the job's limit."""

    media_type: str
    body: bytes
    truncated: bool
    kind: Literal["complete"] = "complete"


@dataclass(frozen=True, slots=True)
class StreamStart:
    """The first chunk of a streamed result; ``truncated`` as far as known before writing (an API page)."""

    media_type: str
    body: bytes
    truncated: bool
    kind: Literal["start"] = "start"


@dataclass(frozen=True, slots=True)
class Chunk:
    body: bytes
    kind: Literal["chunk"] = "chunk"


@dataclass(frozen=True, slots=True)
class StreamEnd:
    rows: int
    truncated: bool
    kind: Literal["end"] = "end"


@dataclass(frozen=True, slots=True)
class Rows:
    """The solutions of a SELECT: variable names, and each row's terms (or None) in their order."""

    variables: list[str]
    rows: list[tuple[Any, ...]]
    truncated: bool
    kind: Literal["rows"] = "rows"


@dataclass(frozen=True, slots=True)
class Updated:
    kind: Literal["updated"] = "updated"


@dataclass(frozen=True, slots=True)
class Failure:
    """The job failed; ``status`` is the HTTP status its cause stands for (see :mod:`.errors`)."""

    status: int
    message: str
    kind: Literal["failure"] = "failure"


#: what a worker sends
WorkerMessage: TypeAlias = Ready | Fatal | Complete | StreamStart | Chunk | StreamEnd | Rows | Updated | Failure
