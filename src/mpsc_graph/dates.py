"""Partial dates (``2024``, ``2024-10``, ``2024-10-01``) compared at the precision both share."""

from __future__ import annotations

from datetime import date
from typing import Any


def iso(value: Any) -> str | None:
    """The ISO text of a date-like value (date, xsd:gYear text, ...), or None when absent."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def compare(a: Any, b: Any) -> int | None:
    """-1, 0 or 1 comparing ``a`` with ``b`` on their shared precision; None if either is missing.

    ``compare("2024", "2024-10-01") == 0``: a year cannot be ordered against a day inside it.
    """
    left, right = iso(a), iso(b)
    if left is None or right is None:
        return None
    n = min(len(left), len(right))
    return (left[:n] > right[:n]) - (left[:n] < right[:n])


def not_before(later: Any, earlier: Any) -> bool | None:
    """True if ``later`` is not before ``earlier`` (at shared precision); None if either is undated."""
    result = compare(later, earlier)
    return None if result is None else result >= 0
