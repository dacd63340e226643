"""Only http(s) web addresses: a javascript:, data: or file: address is a violation, and the importer refuses it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from mpsc_graph.cli import main
from mpsc_graph.dataset import load_dataset
from mpsc_graph.fastvalidate import validate_fast
from mpsc_graph.project import Project
from mpsc_graph.validation import validate_store
from support import REPO

DATA = """
@prefix mpsc:   <https://w3id.org/mpsc-graph/ontology#> .
@prefix schema: <http://schema.org/> .
@prefix ex:     <https://example.org/> .
ex:a schema:url <javascript:alert(document.cookie)> .
ex:b schema:url <HTTPS://Example.org/upper> , <http://example.org/plain> .
ex:c schema:codeRepository <file:///etc/passwd> , <https://example.org/c.git> .
ex:d schema:codeRepository <data:text/html,hello> .
"""


@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
def test_non_web_addresses_are_violations(engine: str, make_project: Callable[..., Project]) -> None:
    project = make_project(links__ttl=DATA)
    store = load_dataset(project)
    validator = validate_fast if engine == "fast" else validate_store
    report = validator(store, project, lang="en")[0]
    patterns = [f for f in report.findings if f.constraint == "PatternConstraintComponent"]
    flagged = {(f.focus.rsplit("/", 1)[-1], f.value) for f in patterns}
    assert flagged == {("a", "javascript:alert(document.cookie)"), ("c", "file:///etc/passwd"),
                       ("d", "data:text/html,hello")}
    assert all("only http and https" in f.message for f in patterns)


@pytest.mark.parametrize(("key", "value"), [
    ("url", "javascript:alert(1)"),
    ("landingURL", "data:text/html,hello"),
    ("isBasedOn", "file:///srv/original.git"),
])
def test_import_refuses_non_web_addresses(key: str, value: str, shared: Path, tmp_path: Path) -> None:
    data = yaml.safe_load((shared / "conformance" / "publiccode" / "real-smart-village-app.yml").read_text("utf-8"))
    data[key] = value
    hostile = tmp_path / "publiccode.yml"
    hostile.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out.ttl"
    result = CliRunner().invoke(main, ["import", "publiccode", str(hostile), "--root", str(REPO), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert f"key '{key}': must be an http or https URL" in result.output or \
        f"key '{key}': must be the http or https URL" in result.output, result.output
    assert str(hostile) in result.output and "Traceback" not in result.output
    assert not out.exists()


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _page_of(types: list[str], email: str) -> str:
    """The entity page of one subject with the given classes that states ``schema:email <email>``."""
    from pyoxigraph import NamedNode

    from mpsc_graph.namespaces import BASE
    from mpsc_graph.server.entity_page import Labels, PageView, entity_facts, render_entity_page

    subject = BASE + "id/contact/example"
    rows = [(NamedNode(subject), NamedNode(RDF_TYPE), NamedNode(cls), None, None, None, None) for cls in types]
    rows.append((NamedNode(subject), NamedNode("http://schema.org/email"), NamedNode(email), None, None, None, None))
    view = PageView("en", Labels({}, {}), BASE + "id/", BASE + "ontology")
    return render_entity_page(view, entity_facts(subject, rows, [], []), "{}", "/doc/contact/example")


@pytest.mark.parametrize("cls", ["https://w3id.org/mpsc-graph/ontology#ContactPoint", "http://schema.org/ContactPoint"])
def test_a_contact_points_function_mailbox_is_a_mail_link(cls: str) -> None:
    assert 'href="mailto:info@example.org"' in _page_of([cls], "mailto:info@example.org")


@pytest.mark.parametrize("types", [[], ["https://w3id.org/mpsc-graph/ontology#Organisation"]])
def test_a_mail_address_on_anything_but_a_contact_point_is_no_link(types: list[str]) -> None:
    page = _page_of(types, "mailto:someone@example.org")
    assert "mailto:someone@example.org" in page  # shown, as the data says
    assert 'href="mailto:' not in page
