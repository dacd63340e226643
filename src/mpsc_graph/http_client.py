"""The one HTTP client of the commands that use the network: ``publish``, ``enrich``, ``import`` of URLs,
queries at ``--endpoint``.

Every request goes through :class:`HttpClient`, so all of them share the same rules:

- a user agent naming the project and its version (public endpoints such as Wikidata's ask for one);
- a timeout per request;
- a bounded number of retries for what may pass (timeouts, refused or broken connections, 429 and
  5xx answers), with a pause that doubles each time, or the pause the server asks for in
  ``Retry-After`` as long as it is no longer than ``max_wait`` (a longer one stops at once: the
  user learns when to try again instead of waiting for minutes);
- a size limit on every answer, checked while reading, so a wrong URL cannot fill the memory;
- only ``http:`` and ``https:`` URLs, for the first request and for every redirect.

Failures are exceptions whose type says what happened, each naming the URL; they are
:class:`~mpsc_graph.errors.MpscError`, so the CLI reports them in one line with exit code 2.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import httpx

from . import __version__
from .errors import MpscError


def user_agent(purpose: str = "") -> str:
    """``mpsc-graph/VERSION (PURPOSE; +project URL)``: who asks, and why, for the server's logs."""
    return f"mpsc-graph/{__version__} ({purpose + '; ' if purpose else ''}+https://w3id.org/mpsc-graph)"


USER_AGENT = user_agent()
#: Answers worth asking again: the server is busy, overloaded or briefly unreachable behind a proxy.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_SCHEMES = ("http", "https")


class HttpError(MpscError):
    """A request could not be completed; the message names the URL (exit code 2)."""

    def __init__(self, reason: str, *, url: str, what: str = "") -> None:
        where = f"{what} at {url}" if what else url
        super().__init__(f"{where}: {reason}")
        self.url = url
        self.reason = reason


class NotHttpUrl(HttpError):
    """The URL, or a redirect's target, is not an ``http:`` or ``https:`` URL."""


class TooManyRedirects(HttpError):
    """The redirects did not end within ``max_redirects``."""


class Unreachable(HttpError):
    """No connection could be made, or it broke, on every attempt."""


class TimedOut(HttpError):
    """The server did not answer within the timeout, on every attempt."""


class WaitTooLong(HttpError):
    """The server asked (``Retry-After``) to wait longer than the longest pause accepted."""

    def __init__(self, reason: str, *, url: str, what: str = "", seconds: float) -> None:
        super().__init__(reason, url=url, what=what)
        self.seconds = seconds


class ResponseTooLarge(HttpError):
    """The answer is larger than the size limit."""


class HttpStatusError(HttpError):
    """The server answered with an error status (after the retries, for a status worth retrying)."""

    def __init__(self, reason: str, *, url: str, what: str = "", status: int) -> None:
        super().__init__(reason, url=url, what=what)
        self.status = status


class AccessDenied(HttpStatusError):
    """The server refused the credentials, or their absence (HTTP 401 or 403)."""


@dataclass(frozen=True)
class HttpSettings:
    """How patient and how trusting a client is.

    ``timeout`` bounds each network step (connecting, each read, each write), as httpx does;
    ``retries`` counts the attempts after the first; the pause before retry ``n`` (from 0) is
    ``backoff * 2**n`` unless the server names one in ``Retry-After``; ``max_bytes`` bounds the
    body of an answer.
    """

    timeout: float = 60.0
    retries: int = 3
    backoff: float = 0.5
    max_wait: float = 120.0
    max_bytes: int = 50_000_000
    max_redirects: int = 5
    user_agent: str = USER_AGENT
    #: Short advice per status, added to its error message (e.g. which option to check for 401).
    hints: Mapping[int, str] = field(default_factory=dict)

    @property
    def attempts(self) -> int:
        return self.retries + 1


@dataclass(frozen=True)
class HttpReply:
    """A successful answer, read completely (within the size limit)."""

    url: str
    status: int
    headers: Mapping[str, str]
    content: bytes

    @property
    def media_type(self) -> str:
        """The media type of the body without parameters, lower case ('' when absent)."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def text(self) -> str:
        """The body decoded as UTF-8 (the encoding of every format this project reads)."""
        return self.content.decode("utf-8")


def retry_after(value: str | None, *, now: dt.datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    current = now or dt.datetime.now(dt.UTC)
    return max(0.0, (when - current).total_seconds())


def check_http_url(url: str, *, what: str = "") -> None:
    """Refuse anything but an absolute ``http:``/``https:`` URL with a host (raises :class:`NotHttpUrl`)."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise NotHttpUrl(f"not a valid URL ({exc})", url=url, what=what) from exc
    if parsed.scheme not in _SCHEMES or not parsed.host:
        raise NotHttpUrl("not an http(s) URL", url=url, what=what)


class HttpClient:
    """Requests with the project's user agent, timeout, bounded retries and size limit.

    ``sleep`` and ``transport`` exist for tests (no real pause, scripted answers); ``log`` hears
    one line before each retry.
    """

    def __init__(
        self,
        settings: HttpSettings | None = None,
        *,
        auth: httpx.Auth | None = None,
        sleep: Callable[[float], None] = time.sleep,
        log: Callable[[str], None] | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.settings = settings or HttpSettings()
        self.sleep = sleep
        self.log = log
        self._client = httpx.Client(
            auth=auth,
            timeout=self.settings.timeout,
            headers={"User-Agent": self.settings.user_agent},
            follow_redirects=True,
            max_redirects=self.settings.max_redirects,
            transport=transport,
            event_hooks={"request": [self._refuse_other_schemes]},
        )

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    @staticmethod
    def _refuse_other_schemes(request: httpx.Request) -> None:
        """Runs before every request, redirects included: a redirect to ``file:`` or ``ftp:`` stops here."""
        if request.url.scheme not in _SCHEMES:
            raise NotHttpUrl("a redirect leads to a URL that is not http(s)", url=str(request.url))

    def get(self, url: str, *, what: str = "", **kwargs: Any) -> HttpReply:
        return self.request("GET", url, what=what, **kwargs)

    def post(self, url: str, *, what: str = "", **kwargs: Any) -> HttpReply:
        return self.request("POST", url, what=what, **kwargs)

    def request(
        self,
        method: str,
        url: str,
        *,
        what: str = "",
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        content: bytes | None = None,
        data: Mapping[str, str | list[str]] | None = None,
    ) -> HttpReply:
        """Send one request (retrying what may pass) and return the whole answer, or raise an :class:`HttpError`.

        ``what`` names the request in messages ("PUT graph <…>"); ``url`` is always named too.
        """
        check_http_url(url, what=what)
        settings = self.settings
        for attempt in range(settings.attempts):
            last = attempt == settings.attempts - 1
            pause = settings.backoff * 2**attempt
            try:
                outcome = self._once(method, url, what, params, headers, content, data)
            except httpx.TimeoutException as exc:
                problem = f"timed out after {settings.timeout:g} s"
                if last:
                    raise TimedOut(f"{problem} ({_attempts(settings)})", url=url, what=what) from exc
            except httpx.TransportError as exc:  # refused, reset, DNS, protocol error: may pass
                problem = f"cannot connect ({exc.__class__.__name__}: {exc})"
                if last:
                    raise Unreachable(f"{problem} ({_attempts(settings)})", url=url, what=what) from exc
            else:
                if isinstance(outcome, HttpReply):
                    return outcome
                status, body, asked = outcome
                problem = f"HTTP {status}"
                if status not in RETRY_STATUSES or last:
                    raise _status_error(status, body, url, what, settings,
                                        f" ({_attempts(settings)})" if status in RETRY_STATUSES else "")
                if asked is not None:
                    if asked > settings.max_wait:
                        raise WaitTooLong(f"HTTP {status}, the server asks to wait {asked:.0f} s (more than the "
                                          f"{settings.max_wait:.0f} s accepted); try again later",
                                          url=url, what=what, seconds=asked)
                    pause = asked
            if self.log is not None:
                self.log(f"{what or url}: {problem}; waiting {pause:.1f} s before attempt {attempt + 2} of "
                         f"{settings.attempts}")
            self.sleep(pause)
        raise AssertionError("unreachable")  # pragma: no cover

    def _once(
        self,
        method: str,
        url: str,
        what: str,
        params: Mapping[str, str] | None,
        headers: Mapping[str, str] | None,
        content: bytes | None,
        data: Mapping[str, str | list[str]] | None,
    ) -> HttpReply | tuple[int, bytes, float | None]:
        """One attempt: the answer on success, else (status, start of the body, Retry-After seconds)."""
        limit = self.settings.max_bytes
        try:
            with self._client.stream(method, url, params=params, headers=headers, content=content,
                                     data=data) as response:
                if response.status_code >= 400:
                    return response.status_code, _head(response), retry_after(response.headers.get("retry-after"))
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise ResponseTooLarge(f"the answer has {int(declared):,} bytes, more than the limit of "
                                           f"{limit:,}", url=url, what=what)
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise ResponseTooLarge(f"the answer is larger than the limit of {limit:,} bytes",
                                               url=url, what=what)
                    chunks.append(chunk)
                return HttpReply(str(response.url), response.status_code, dict(response.headers), b"".join(chunks))
        except httpx.TooManyRedirects as exc:
            raise TooManyRedirects(f"more than {self.settings.max_redirects} redirects", url=url, what=what) from exc
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
            raise NotHttpUrl(f"not an http(s) URL ({exc})", url=url, what=what) from exc
        except NotHttpUrl as exc:  # raised by the request hook for a redirect's target
            raise NotHttpUrl(f"redirected to {exc.url}, which is not an http(s) URL", url=url, what=what) from exc


def _attempts(settings: HttpSettings) -> str:
    return f"{settings.attempts} attempt{'s' if settings.attempts != 1 else ''}"


def _head(response: httpx.Response, size: int = 2000) -> bytes:
    """The start of an error answer's body, for the message (never more than ``size`` bytes read)."""
    read = b""
    for chunk in response.iter_bytes():
        read += chunk
        if len(read) >= size:
            break
    return read[:size]


def _status_error(status: int, body: bytes, url: str, what: str, settings: HttpSettings,
                  tries: str) -> HttpStatusError:
    phrase = httpx.codes.get_reason_phrase(status)
    reason = f"HTTP {status}" + (f" {phrase}" if phrase else "") + tries
    if status in settings.hints:
        reason += f" ({settings.hints[status]})"
    said = " ".join(body.decode("utf-8", "replace").split())[:300]
    if said:
        reason += f"; the server said: {said}"
    kind = AccessDenied if status in (401, 403) else HttpStatusError
    return kind(reason, url=url, what=what, status=status)
