"""HTML pages (filled in below)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response


async def openapi(request: Request) -> Response:
    return PlainTextResponse("not implemented yet\n", 501)


landing = query_page = search = openapi
