"""``/feeds/…`` of ``mpsc-graph serve --releases DIR``: the Atom feeds of the newest release.

Each release writes its own feeds as of that release, so the newest release's ``feeds/`` folder holds
every entry of every release. The folder is looked up on each request, so a release written while
the server runs is served at once. A solution, module or municipality no release has changed yet has
an empty feed (its page links it, and a reader subscribed to it sees the first change); a feed of
anything else is 404. Without ``--releases`` the answer is 404 saying so.
"""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import NamedNode
from starlette.requests import Request
from starlette.responses import Response

from ..server.config import config_of
from ..server.errors import NotFoundError
from ..server.site import run_named
from .feeds import atom_feed, feed_title
from .links import entity_feed
from .release import release_issued, releases_in

ATOM_TYPE = "application/atom+xml; charset=utf-8"


def newest_release(root: Path) -> Path:
    names = releases_in(root)
    if not names:
        raise NotFoundError(f"no releases in {root.name}/ yet: write one with mpsc-graph release")
    return root / names[-1]


def feed_file(root: Path, path: str) -> Path | None:
    """The feed file ``path`` names in the newest release below ``root``, never outside its feeds/;
    None when that release wrote no such feed."""
    feeds = (newest_release(root) / "feeds").resolve()
    target = (feeds / (path or "all.atom")).resolve()
    if feeds not in target.parents or target.suffix != ".atom" or not target.is_file():
        return None
    return target


async def feed(request: Request) -> Response:
    config = config_of(request)
    root = config.releases_dir
    if root is None:
        raise NotFoundError("feeds are off: this server was started without --releases DIR")
    path = request.path_params.get("path", "")
    target = feed_file(root, path)
    if target is not None:
        return Response(target.read_bytes(), media_type=ATOM_TYPE)
    iri = config.id_base + path.removesuffix(".atom")
    if entity_feed(iri, config.id_base) == path:
        found = await run_named(request, "entity_description", 1, entity=NamedNode(iri))
        if found.rows:
            updated = release_issued(newest_release(root)).isoformat()
            return Response(atom_feed(path, feed_title(path), [], updated), media_type=ATOM_TYPE)
    raise NotFoundError(
        f"no feed /feeds/{path}: feeds exist for the whole dataset (all.atom) and for each "
        "solution, module and municipality (solution/KEY.atom, module/KEY.atom, municipality/AGS.atom)"
    )
