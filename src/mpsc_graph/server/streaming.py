"""Streaming serializers: query results written in chunks, with a row limit.

pyoxigraph serializes a whole result in one call, which can neither stop at a row limit nor hand
chunks to another process as they are produced. SELECT results are therefore written here row by
row (SPARQL JSON, XML, CSV, TSV as the W3C result formats define them); RDF graphs go through
``pyoxigraph.serialize`` over a row-limited iterator. Every writer writes to a :class:`ChunkSink`,
which passes bytes on in chunks of at most ``chunk_size`` (and at least every ``flush_seconds``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, islice
from json.encoder import encode_basestring as _quote  # C-accelerated JSON string escaping
from typing import IO, cast
from xml.sax.saxutils import escape, quoteattr

from pyoxigraph import BlankNode, Literal, NamedNode, QueryBoolean, Triple, serialize

from ..namespaces import PREFIXES, XSD
from .conneg import CSV, JSON, RDF_FORMATS, RESULT_FORMATS, SPARQL_JSON, SPARQL_XML, TSV

XSD_STRING = XSD + "string"
#: Rows taken from the engine and written at a time.
BATCH_ROWS = 256
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class ChunkSink:
    """A binary file-like object that hands its bytes to ``emit`` in bounded chunks.

    A serializer's ``flush()`` (pyoxigraph calls it when it is done) emits nothing by itself: a
    result that fits one chunk then stays whole, to be sent as one message (:meth:`take`), instead
    of going out as a stream of one chunk. :meth:`drain` emits what is left at the end.
    """

    def __init__(self, emit: Callable[[bytes], None], chunk_size: int = 32_768, flush_seconds: float = 0.5) -> None:
        self._emit = emit
        self._buffer = bytearray()
        self._chunk_size = chunk_size
        self._flush_seconds = flush_seconds
        self._last = time.monotonic()
        self.bytes_written = 0

    def write(self, data: bytes | str) -> int:
        if isinstance(data, str):
            data = data.encode("utf-8")
        self._buffer += data
        self.bytes_written += len(data)
        self.flush()
        return len(data)

    def take(self) -> bytes:
        """Everything buffered and not yet emitted (for a result small enough to send in one piece)."""
        data = bytes(self._buffer)
        self._buffer.clear()
        return data

    def flush(self) -> None:
        """The file-like flush: emit only when a chunk is due (full, or ``flush_seconds`` since the last)."""
        overdue = bool(self._flush_seconds) and time.monotonic() - self._last > self._flush_seconds
        if len(self._buffer) >= self._chunk_size or overdue:
            self.drain()

    def drain(self) -> None:
        """Emit everything buffered, in chunks of at most ``chunk_size``."""
        while self._buffer:
            piece = bytes(self._buffer[: self._chunk_size])
            del self._buffer[: self._chunk_size]
            self._emit(piece)
        self._last = time.monotonic()


class Limited:
    """Wraps an iterator, yields at most ``limit`` items after skipping ``offset``; records a cut-off.

    Writers take the items in batches (:meth:`batches`): a Python generator step per row costs as
    much as writing the row, and the rows of a batch are joined into one string and one write.
    """

    def __init__(self, items: Iterable, limit: int, offset: int = 0) -> None:
        self._items = iter(items)
        self._limit = limit
        self._offset = offset
        self.count = 0
        self.truncated = False

    def batches(self, size: int = BATCH_ROWS) -> Iterator[list]:
        items = self._items
        if self._offset and sum(1 for _ in islice(items, self._offset)) < self._offset:
            return
        while self.count < self._limit:
            batch = list(islice(items, min(size, self._limit - self.count)))
            if not batch:
                return
            self.count += len(batch)
            yield batch
        if next(items, None) is not None:
            self.truncated = True

    def __iter__(self) -> Iterator:
        return chain.from_iterable(self.batches())


def _batches(rows: Iterable, size: int = BATCH_ROWS) -> Iterator[list]:
    if isinstance(rows, Limited):
        yield from rows.batches(size)
        return
    items = iter(rows)
    while batch := list(islice(items, size)):
        yield batch


def _json_term(term: NamedNode | Literal | BlankNode) -> str:
    """One RDF term as a SPARQL JSON object, built as text (C string escaping; no dict per term)."""
    if type(term) is NamedNode:
        return '{"type":"uri","value":' + _quote(term.value) + "}"
    if type(term) is Literal:
        if term.language:
            return '{"type":"literal","value":' + _quote(term.value) + ',"xml:lang":' + _quote(term.language) + "}"
        datatype = term.datatype.value
        if datatype != XSD_STRING:
            return '{"type":"literal","value":' + _quote(term.value) + ',"datatype":' + _quote(datatype) + "}"
        return '{"type":"literal","value":' + _quote(term.value) + "}"
    if type(term) is BlankNode:
        return '{"type":"bnode","value":' + _quote(term.value) + "}"
    return '{"type":"triple","value":' + _quote(str(term)) + "}"  # RDF 1.2 triple terms: not used here


def _xml_term(term: NamedNode | Literal | BlankNode) -> str:
    if isinstance(term, NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def _csv_value(term: NamedNode | Literal | BlankNode | None) -> str:
    if term is None:
        return ""
    value = f"_:{term.value}" if isinstance(term, BlankNode) else term.value
    if any(c in value for c in ',"\n\r'):
        value = '"' + value.replace('"', '""') + '"'
    return value


def _tsv_value(term: NamedNode | Literal | BlankNode | None) -> str:
    if term is None:
        return ""
    return str(term).replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def write_solutions(sink: ChunkSink, variables: Sequence[str], rows: Iterable, media_type: str) -> None:
    """Write SELECT solutions in ``media_type``; each row holds its terms (or None) in the order of ``variables``."""
    if media_type == SPARQL_JSON:
        names = json.dumps(list(variables), separators=(",", ":"))
        sink.write('{"head":{"vars":' + names + '},"results":{"bindings":[')
        keys = [_quote(v) + ":" for v in variables]
        separator = ""
        for batch in _batches(rows):
            sink.write(separator + ",".join(
                "{" + ",".join(key + _json_term(t) for key, t in zip(keys, row, strict=True) if t is not None) + "}"
                for row in batch))
            separator = ","
        sink.write("]}}")
    elif media_type == SPARQL_XML:
        sink.write('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>')
        sink.write("".join(f"<variable name={quoteattr(v)}/>" for v in variables) + "</head><results>")
        openings = [f"<binding name={quoteattr(v)}>" for v in variables]
        for batch in _batches(rows):
            sink.write("".join(
                "<result>" + "".join(opening + _xml_term(t) + "</binding>"
                                     for opening, t in zip(openings, row, strict=True) if t is not None) + "</result>"
                for row in batch))
        sink.write("</results></sparql>\n")
    elif media_type == CSV:
        sink.write(",".join(variables) + "\r\n")
        for batch in _batches(rows):
            sink.write("".join(",".join(_csv_value(t) for t in row) + "\r\n" for row in batch))
    elif media_type == TSV:
        sink.write("\t".join("?" + v for v in variables) + "\n")
        for batch in _batches(rows):
            sink.write("".join("\t".join(_tsv_value(t) for t in row) + "\n" for row in batch))
    elif media_type == JSON:  # the named-query API's plain records
        sink.write("[")
        separator = ""
        for batch in _batches(rows):
            sink.write(separator + ",".join(
                json.dumps({v: (f"_:{t.value}" if isinstance(t, BlankNode) else t.value)
                            for v, t in zip(variables, row, strict=True) if t is not None}, ensure_ascii=False)
                for row in batch))
            separator = ","
        sink.write("]")
    else:  # pragma: no cover - conneg only offers the types above
        raise ValueError(f"no SELECT serializer for {media_type}")


def write_boolean(sink: ChunkSink, result: QueryBoolean | bool, media_type: str) -> None:
    value = bool(result)
    if media_type == SPARQL_JSON:
        sink.write('{"head":{},"boolean":' + ("true" if value else "false") + "}")
    elif media_type == SPARQL_XML:
        sink.write('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
                   f"<boolean>{'true' if value else 'false'}</boolean></sparql>\n")
    elif media_type in RESULT_FORMATS or media_type == JSON:
        sink.write("true" if value else "false")
    else:  # pragma: no cover
        raise ValueError(f"no boolean serializer for {media_type}")


def write_triples(sink: ChunkSink, triples: Iterable[Triple], media_type: str) -> None:
    """Write triples in an RDF syntax (prefixes of the project for Turtle and RDF/XML)."""
    prefixes = dict(PREFIXES)
    prefixes.update({"id": "https://w3id.org/mpsc-graph/id/", "void": "http://rdfs.org/ns/void#",
                     "sd": "http://www.w3.org/ns/sparql-service-description#"})
    # pyoxigraph only calls write and flush on its output, which a ChunkSink has
    serialize(triples, cast("IO[bytes]", sink), RDF_FORMATS[media_type], prefixes=prefixes)


__all__ = ["ChunkSink", "Limited", "write_boolean", "write_solutions", "write_triples"]
