"""The security headers every page carries, from the server and from the static site's nginx snippet alike.

Scripts come only from the site itself (no inline script, no ``eval``), requests go only to it, and
no other site may frame a page. Inline styles are allowed: the static site's pages carry their
few style rules inline, and a style cannot run code.
"""

from __future__ import annotations

CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                           "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; "
                           "object-src 'none'; frame-ancestors 'none'")

SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Frame-Options", "DENY"),
)


def nginx_lines(indent: str = "    ") -> str:
    """The headers as nginx ``add_header`` lines (``always``: on error answers too)."""
    return "".join(f'{indent}add_header {name} "{value}" always;\n' for name, value in SECURITY_HEADERS)
