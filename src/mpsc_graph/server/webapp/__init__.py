"""The web application's pages for people who decide on reuse: solution profiles and (in time) the
catalogue, adoptions, municipality profiles, figures and map. Each page runs named queries from
``queries/`` through the server's worker pool, like every other route, and renders a template of its
own under ``templates/`` with the server's base layout."""
