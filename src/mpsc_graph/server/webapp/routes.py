"""The web application's routes, registered by :func:`mpsc_graph.server.app.create_app`."""

from __future__ import annotations

from starlette.routing import Route

from .adoptions import adoption_list
from .catalogue import solution_catalogue
from .contribute import contribute
from .profiles import solution_profile

ROUTES = [
    Route("/solutions", solution_catalogue, name="solutions"),
    Route("/adoptions", adoption_list, name="adoptions"),
    Route("/solution/{key}", solution_profile, name="solution_profile"),
    Route("/module/{key}", solution_profile, name="module_profile"),
    Route("/contribute", contribute, methods=["GET", "POST"], name="contribute"),
]
