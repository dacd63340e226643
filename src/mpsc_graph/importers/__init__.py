"""Importers: read outside formats (publiccode.yml) into reviewable Turtle that follows docs/data-model.md."""

from __future__ import annotations
