"""The one YAML loader: every YAML input (publiccode.yml files, query headers) is read through here.

YAML read from a file or URL someone else wrote is untrusted, and a plain ``yaml.safe_load`` lets it
cost arbitrary time and memory: a 502-byte file of nested aliases ("billion laughs") expands to
billions of nodes, and 100,000 nested ``[`` overflow Python's recursion limit. The inputs this
project reads never need the YAML features behind those costs, so the loader refuses them outright
rather than trying to meter them:

* **anchors and aliases** (``&name`` and ``*name``, and so the ``<<`` merge key): refused wherever
  they appear, before any node is built;
* **nesting** deeper than :data:`MAX_DEPTH` mappings and sequences (publiccode.yml needs 5);
* **size**: files larger than :data:`MAX_BYTES` (the same limit applies to a URL's body), text that
  is not UTF-8, and characters YAML does not allow (NUL and other binary content).

Each refusal is a :class:`YamlRefused` (an :class:`~mpsc_graph.errors.InputError`, exit code 2)
whose message names the file and, where YAML knows it, the line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent, CollectionStartEvent, NodeEvent

from .errors import InputError

#: largest YAML input read, in bytes (a publiccode.yml is a few KB; the largest known is under 100 KB)
MAX_BYTES = 2_000_000
#: deepest nesting of mappings and sequences (publiccode.yml: 5 levels, e.g. maintenance/contacts[0]/name)
MAX_DEPTH = 32


class YamlRefused(InputError):
    """A YAML input was refused before it was built: anchors, aliases, nesting, size, or not text."""

    def __init__(self, problem: str, *, path: object | None = None, line: int | None = None) -> None:
        super().__init__(problem, path=path, line=line)
        self.problem = problem


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader with anchors and aliases refused and nesting counted as nodes are composed.

    The checks run on parser events, before the composer recurses into a node, so neither an
    alias expansion nor deep recursion ever starts.
    """

    def __init__(self, stream: str, max_depth: int) -> None:
        super().__init__(stream)
        self._depth = 0
        self._max_depth = max_depth

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            raise _refusal("aliases (*name) are not allowed", event)
        if isinstance(event, NodeEvent) and event.anchor is not None:
            raise _refusal(f"anchors (&{event.anchor}) are not allowed", event)
        if not isinstance(event, CollectionStartEvent):
            return super().compose_node(parent, index)
        self._depth += 1
        if self._depth > self._max_depth:
            raise _refusal(f"nested deeper than {self._max_depth} levels", event)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _Refusal(yaml.YAMLError):
    def __init__(self, problem: str, line: int | None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.line = line


def _refusal(problem: str, event: yaml.Event) -> _Refusal:
    mark = event.start_mark
    return _Refusal(problem, mark.line + 1 if mark is not None else None)


def load_yaml(text: str, origin: str, *, max_depth: int = MAX_DEPTH) -> tuple[Any, yaml.Node | None]:
    """The data of one YAML document and its node tree (for the line of every key), within the bounds.

    Raises :class:`YamlRefused` naming ``origin`` (and the line) for text beyond the bounds or not
    valid YAML.
    """
    if len(text) > MAX_BYTES:  # characters: at least as many bytes
        raise YamlRefused(f"larger than {MAX_BYTES} bytes; refused", path=origin)
    try:
        loader = _BoundedLoader(text, max_depth)  # the reader refuses NUL and other non-printable characters here
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise YamlRefused(f"not valid YAML: unacceptable character #x{exc.character:04x} "
                          "(binary content is refused)", path=origin, line=line) from None
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except _Refusal as exc:
        raise YamlRefused(f"not accepted YAML: {exc.problem}", path=origin, line=exc.line) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise YamlRefused(f"not valid YAML: {getattr(exc, 'problem', None) or exc}", path=origin,
                          line=mark.line + 1 if mark else None) from None
    finally:
        loader.dispose()
    return data, node


def read_text(path: str | Path, *, max_bytes: int = MAX_BYTES) -> str:
    """A local file's text, refused when larger than ``max_bytes`` or not UTF-8 (as a URL's body is)."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        raise YamlRefused(f"cannot read: {exc.strerror}", path=path) from None
    return decode(raw, path, max_bytes=max_bytes)


def decode(raw: bytes, origin: str | Path, *, max_bytes: int = MAX_BYTES) -> str:
    """Bytes of a YAML input (file or URL body) as text, refused when too large or not UTF-8."""
    if len(raw) > max_bytes:
        raise YamlRefused(f"larger than {max_bytes} bytes; refused", path=origin)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise YamlRefused(f"not UTF-8 text (byte {exc.start}: {exc.reason}); binary content is refused",
                          path=origin) from None
