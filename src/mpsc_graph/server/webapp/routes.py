"""The web application's routes, registered by :func:`mpsc_graph.server.app.create_app`."""

from __future__ import annotations

from starlette.routing import Route

from .profiles import solution_profile

ROUTES = [
    Route("/solution/{key}", solution_profile, name="solution_profile"),
    Route("/module/{key}", solution_profile, name="module_profile"),
]
