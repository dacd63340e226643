"""Errors a request can end in, each a type that carries its HTTP status.

Route handlers and the worker pool raise these; one exception handler (:func:`.app.create_app`)
turns every one into a plain-text answer ``Error: <message>`` with the class's status and headers.
A handler therefore never returns an error response itself, and no code decides a status by
reading a message.
"""

from __future__ import annotations

from typing import ClassVar


class HttpError(Exception):
    """Base class: the request cannot be answered as asked; ``status`` says why in HTTP terms."""

    status: ClassVar[int] = 500
    #: headers sent with the error answer (e.g. ``Allow`` for 405, ``Retry-After`` for 503)
    headers: ClassVar[tuple[tuple[str, str], ...]] = ()


class BadRequestError(HttpError):
    """The request breaks the protocol, a parameter is wrong, or the query is malformed or refused."""

    status = 400


class UnauthorizedError(HttpError):
    """An update came without the right bearer token."""

    status = 401
    headers = (("WWW-Authenticate", 'Bearer realm="mpsc-graph"'),)


class ForbiddenError(HttpError):
    """An update sent to a read-only endpoint."""

    status = 403


class NotFoundError(HttpError):
    """No such named query, document or ontology representation."""

    status = 404


class MethodNotAllowedError(HttpError):
    """A method other than GET, HEAD or POST at ``/sparql``."""

    status = 405
    headers = (("Allow", "GET, HEAD, POST"),)


class NotAcceptableError(HttpError):
    """No media type the client accepts is offered; the message lists those that are."""

    status = 406
    headers = (("Vary", "Accept"),)


class PayloadTooLargeError(HttpError):
    """The request body is larger than ``--max-body``."""

    status = 413


class UnsupportedMediaTypeError(HttpError):
    """A POST body in a media type or charset the protocol does not allow."""

    status = 415


class QueryFailedError(HttpError):
    """The engine failed on a well-formed query, or the worker running it died."""

    status = 500


class UnavailableError(HttpError):
    """The server cannot answer now; the same request may succeed shortly."""

    status = 503
    headers = (("Retry-After", "1"),)


class QueryTimeoutError(UnavailableError):
    """The query outlived ``--timeout`` before its first result; its worker was killed and replaced."""


class ServiceBusyError(UnavailableError):
    """No worker became free within ``--timeout``."""


class QueryTooLargeError(HttpError):
    """The query needed more memory than ``--max-memory`` allows a worker; retrying cannot help."""

    status = 507


#: the error type a worker's status stands for (a worker reports a status, the server raises its type)
BY_STATUS: dict[int, type[HttpError]] = {error.status: error for error in (
    BadRequestError, UnauthorizedError, ForbiddenError, NotFoundError, NotAcceptableError, QueryFailedError,
    UnavailableError, QueryTooLargeError)}


def error_for(status: int, message: str) -> HttpError:
    """The exception for a status a worker reported (an unknown status is a server error)."""
    return BY_STATUS.get(status, QueryFailedError)(message)
