"""``/feeds/…`` of ``mpsc-graph serve --releases DIR``: the Atom feeds of the newest release.

Each release writes its feeds as of that release, so the newest release's ``feeds/`` folder holds
every entry of every release. The folder is looked up on each request, so a release written while
the server runs is served at once. Without ``--releases`` the answer is 404 saying so.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response

from ..server.config import config_of
from ..server.errors import NotFoundError
from .release import releases_in

ATOM_TYPE = "application/atom+xml; charset=utf-8"


def feed_file(root: Path, path: str) -> Path:
    """The feed file ``path`` names in the newest release below ``root``, never outside its feeds/."""
    names = releases_in(root)
    if not names:
        raise NotFoundError(f"no releases in {root.name}/ yet: write one with mpsc-graph release")
    feeds = (root / names[-1] / "feeds").resolve()
    target = (feeds / (path or "all.atom")).resolve()
    if feeds not in target.parents or target.suffix != ".atom" or not target.is_file():
        raise NotFoundError(f"no feed /feeds/{path}: feeds exist for the whole dataset (all.atom) and for each "
                            "solution and municipality a release changed (solution/KEY.atom, municipality/AGS.atom)")
    return target


async def feed(request: Request) -> Response:
    root = config_of(request).releases_dir
    if root is None:
        raise NotFoundError("feeds are off: this server was started without --releases DIR")
    target = feed_file(root, request.path_params.get("path", ""))
    return Response(target.read_bytes(), media_type=ATOM_TYPE)
