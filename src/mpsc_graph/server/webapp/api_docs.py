"""The web API's documentation as a page of the site, rendered on the server from the OpenAPI document.

The page reads the same document ``/api/openapi.json`` serves (:func:`..api.openapi_document`), so the
two cannot disagree. It is drawn here rather than by a documentation script such as Swagger UI: it
then works without JavaScript, under the site's Content-Security-Policy, in the site's navigation and
language, and asks no other host for anything (Swagger UI's validator badge would, unless configured
off). Each operation shows its parameters with their types and examples, a ready request with the
examples filled in, and a link to its query on the query page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from ..api import openapi_document
from ..site import page, view
from .words import words


@dataclass(frozen=True)
class Operation:
    name: str
    path: str
    summary: str
    tags: tuple[str, ...]
    parameters: tuple[dict[str, Any], ...]
    responses: tuple[tuple[str, str], ...]
    media: tuple[str, ...]

    @property
    def example(self) -> str:
        """The operation's address with every example value (and a small limit) filled in."""
        values = {p["name"]: str(p["example"]) for p in self.parameters if "example" in p}
        return self.path + "?" + urlencode({**values, "limit": "10"})

    @property
    def runnable(self) -> bool:
        """Whether the example request has every required parameter."""
        return all("example" in p for p in self.parameters if p.get("required"))


def operations(document: dict[str, Any]) -> list[Operation]:
    """The document's GET operations in path order."""
    found = []
    for path, item in sorted(document.get("paths", {}).items()):
        get = item.get("get") or {}
        ok = get.get("responses", {}).get("200", {})
        found.append(
            Operation(
                get.get("operationId", path),
                path,
                get.get("summary", ""),
                tuple(get.get("tags", ())),
                tuple(get.get("parameters", ())),
                tuple((code, r.get("description", "")) for code, r in sorted(get.get("responses", {}).items())),
                tuple(ok.get("content", {})),
            )
        )
    return found


def schema_text(schema: dict[str, Any]) -> str:
    """A parameter's schema in a few words: type, format or pattern, bounds and default."""
    parts = [schema.get("type", "string")]
    if "format" in schema:
        parts.append(f"({schema['format']})")
    if "pattern" in schema:
        parts.append(f"/{schema['pattern']}/")
    bounds = [f"{word} {schema[key]}" for key, word in (("minimum", "≥"), ("maximum", "≤")) if key in schema]
    if "default" in schema:
        bounds.append(f"= {schema['default']}")
    return " ".join(parts) + (f" [{', '.join(bounds)}]" if bounds else "")


async def api_docs(request: Request) -> Response:
    """``/api/docs``: how to call the web API, then every operation grouped by its first tag."""
    v = await view(request)
    document = openapi_document(request)
    found = operations(document)
    groups: dict[str, list[Operation]] = {}
    for operation in found:
        groups.setdefault(operation.tags[0] if operation.tags else "", []).append(operation)
    return page(
        request,
        "webapp/api_docs.html",
        v=v,
        w=words(v.lang),
        info=document.get("info", {}),
        version=document.get("openapi", ""),
        groups=sorted(groups.items()),
        count=len(found),
        schema_text=schema_text,
    )
