"""The web application's routes, registered by :func:`mpsc_graph.server.app.create_app`."""

from __future__ import annotations

from starlette.routing import Route

from .adoptions import adoption_list
from .api_docs import api_docs
from .catalogue import solution_catalogue
from .contribute import contribute
from .figures import figures_page
from .map import map_data, map_page
from .municipality import municipality_profile
from .profiles import solution_profile
from .recommendations import recommendations_page
from .start import start_page

ROUTES = [
    Route("/api/docs", api_docs, name="api_docs"),
    Route("/", start_page, name="landing"),
    Route("/solutions", solution_catalogue, name="solutions"),
    Route("/adoptions", adoption_list, name="adoptions"),
    Route("/figures", figures_page, name="figures"),
    Route("/map", map_page, name="map"),
    Route("/map/data.json", map_data, name="map_data"),
    Route("/solution/{key}", solution_profile, name="solution_profile"),
    Route("/module/{key}", solution_profile, name="module_profile"),
    Route("/municipality/{key}", municipality_profile, name="municipality_profile"),
    Route("/municipality/{key}/recommendations", recommendations_page, name="recommendations"),
    Route("/contribute", contribute, methods=["GET", "POST"], name="contribute"),
]
