"""Paths shared by tests (importable because pytest puts tests/ on sys.path, see pyproject)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TEST_DATA = Path(__file__).resolve().parent / "data"
