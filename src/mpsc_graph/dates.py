"""Partial dates (``2024``, ``2024-10``, ``2024-10-01``) compared at the precision both share.

Why partial: sources often date an adoption to a year or a month only (``xsd:gYear``,
``xsd:gYearMonth``), and the graph keeps the precision the source gives. Nothing here turns a
year into a day: ordering happens at the shared precision, and a count of days exists only
between two dates that are both known to the day (:func:`days_between`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

#: precisions of partial ISO dates, coarsest first
PRECISIONS = ("year", "month", "day")


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


def precision(value: Any) -> str | None:
    """``year``, ``month`` or ``day``: how precisely a source dates something (None when undated)."""
    text = iso(value)
    if text is None:
        return None
    return PRECISIONS[min(len(text.split("-")), 3) - 1]


def period_start(value: Any) -> date | None:
    """The first day of the period a partial date names (``2020`` → 2020-01-01), None if undated or invalid.

    For sorting and for a datetime column only: the day it returns is not a claim about when
    something happened (see :func:`precision`).
    """
    text = iso(value)
    if text is None:
        return None
    parts = text.split("-")
    try:
        return date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2][:2]) if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        return None


def days_between(earlier: Any, later: Any) -> int | None:
    """Days from ``earlier`` to ``later`` when both are dated to the day; None otherwise.

    ``days_between("2020", "2020-12-22")`` is None, not 356: the year says nothing about the day.
    """
    if precision(earlier) != "day" or precision(later) != "day":
        return None
    start, end = period_start(earlier), period_start(later)
    return None if start is None or end is None else (end - start).days


def years_between(earlier: Any, later: Any) -> int | None:
    """Calendar years from ``earlier``'s year to ``later``'s (every dated value has a year); None if undated.

    A difference of calendar years, not of elapsed time: ``years_between("2020-12-31", "2021")`` is 1.
    """
    start, end = period_start(earlier), period_start(later)
    return None if start is None or end is None else end.year - start.year
