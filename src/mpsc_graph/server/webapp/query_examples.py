"""The query page's examples: each named query as a text that runs anywhere it is pasted.

A named query leans on the server: its prefixes are predefined there, its parameters are bound by the
API, and its comments explain choices made for the engine. The example shown to a reader instead
declares every prefix it uses, binds each parameter to the example value of its header (``VALUES`` at
the start of the outermost group), and leaves the comments out, so it runs unchanged on this page, on
another endpoint holding the data, or in a SPARQL editor that checks its syntax.
"""

from __future__ import annotations

import re

from ...errors import InputError
from ...namespaces import PREFIXES
from ...queries import NamedQuery

_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def _uses(text: str, prefix: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(prefix)}:", text) is not None


def example_text(query: NamedQuery) -> str:
    """The query's text with PREFIX lines for the prefixes it uses, its parameters bound to their examples,
    and no comment lines."""
    body = "\n".join(line for line in query.text.splitlines() if not line.lstrip().startswith("#")).strip()
    bindings = []
    for param in query.params:
        if not param.example:
            continue
        try:
            term = param.to_term(str(param.example))
        except InputError:  # an example the header got wrong: leave the parameter unbound
            continue
        bindings.append(f"VALUES ?_{param.name} {{ {term} }}")
    if bindings:
        where = _WHERE.search(body)
        if where:
            inserted = "".join(f"\n  {b}" for b in bindings)
            body = body[: where.end()] + inserted + body[where.end() :]
    declared = {m.group(1) for m in re.finditer(r"PREFIX\s+([\w-]*):", body, re.IGNORECASE)}
    prefixes = [f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items() if p not in declared and _uses(body, p)]
    return "\n".join([*prefixes, body]) + "\n"
