"""Hostile data and hostile URLs in a real browser: Debian's Chromium against a real server on loopback.

The store is the small fixture project plus ``tests/data/browser/hostile-links.ttl``: ``javascript:``,
``data:`` and ``mailto:`` IRIs, IRIs with a quote, markup in labels and titles. On every page type no
link may have a scheme but ``http:``, ``https:`` (and ``mailto:`` for a contact point's mailbox), no
element may carry an event-handler attribute, and clicking every link must run no script: a
``window.__pwned`` marker stays unset and no alert opens. (The Content-Security-Policy would also stop
a ``javascript:`` link from running; the link checks make sure the pages do not lean on it.)

The query page must take no endpoint from its URL: opened as ``/query#endpoint=<a second loopback
listener>&query=…`` it sends nothing there, on load or when run, and nothing at all on load.
"""

from __future__ import annotations

import shutil
import socket
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlparse

import pytest

from browsing import BROWSER_NEEDED, sent_requests
from mpsc_graph.dataset import build_store
from mpsc_graph.project import Project
from mpsc_graph.server import running
from support import REPO, TEST_DATA, small_project

pytestmark = BROWSER_NEEDED
pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e .[dev])")

HOSTILE = TEST_DATA / "browser" / "hostile-links.ttl"

#: path → hostile text the page must show (as text), so that the checks below have something to find
PAGES = {
    "/": "mpsc-graph",
    "/solutions": "A'postrophe <script>window.__pwned='solution'</script>",
    "/solution/osca": "javascript:window.__pwned='url'",
    "/solution/hostile": "javascript:window.__pwned='solution-url'",
    "/adoptions": "javascript:window.__pwned='adopter'",
    "/doc/solution/osca": "It's <img src=x onerror=window.__pwned='title'>",
    "/doc/source/hostile": "It's a <script>window.__pwned='label'</script> source",
    "/doc/contact/hostile": "Kontakt ' <i>x</i>",
    "/doc/adoption/hostile": "It's <b>an adoption</b>",
    "/search?q=postrophe": "A'postrophe <script>",
}

#: every link of the page: its href attribute, the scheme the browser reads from it; every event-handler attribute
INSPECT = """
const links = Array.from(document.querySelectorAll('a[href], area[href]')).map(
    a => ({href: a.getAttribute('href'), protocol: a.protocol}));
const handlers = [];
for (const element of document.querySelectorAll('*')) {
  for (const attribute of element.attributes) {
    if (attribute.name.toLowerCase().startsWith('on')) { handlers.push(element.tagName + ' ' + attribute.name); }
  }
}
return {links: links, handlers: handlers};
"""

#: click every link; following http(s) and mailto links is prevented (this is a test without network),
#: anything else is left to run. Then wait a moment for a javascript: URL's task and read the marker.
CLICK_ALL = """
const done = arguments[arguments.length - 1];
document.addEventListener('click', event => {
  const a = event.target.closest('a');
  if (a && ['http:', 'https:', 'mailto:'].includes(a.protocol)) { event.preventDefault(); }
}, true);
const links = Array.from(document.querySelectorAll('a[href]'));
for (const a of links) { a.click(); }
setTimeout(() => done({clicked: links.length, pwned: String(window.__pwned)}), 300);
"""


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``mpsc-graph serve`` on the small fixture project with the hostile values added."""
    folder = tmp_path_factory.mktemp("browser-hostile")
    root = small_project(folder / "project")
    shutil.copy(HOSTILE, root / "data" / HOSTILE.name)
    store = build_store(Project.at(root), folder / "store").store_dir
    with running(REPO, store_dir=store, extra_args=["--workers", "4"], log_file=folder / "server.log") as base:
        yield base


def no_alert(driver: Any) -> bool:
    from selenium.common.exceptions import NoAlertPresentException

    try:
        driver.switch_to.alert.dismiss()
    except NoAlertPresentException:
        return True
    return False


def assert_links_are_safe(driver: Any, mail: frozenset[str] | set[str] = frozenset()) -> int:
    """No link with another scheme than http(s) (mailto: only to ``mail``), no handler attribute, and
    clicking every link runs no script. Returns the number of links clicked."""
    found = driver.execute_script(INSPECT)
    unsafe = [
        link
        for link in found["links"]
        if link["protocol"] not in ("http:", "https:") and not (link["protocol"] == "mailto:" and link["href"] in mail)
    ]
    assert not unsafe, unsafe
    assert not [link for link in found["links"] if link["href"] in ("", "None")], "a link to nowhere"
    assert not found["handlers"], found["handlers"]
    clicked = driver.execute_async_script(CLICK_ALL)
    assert clicked["pwned"] == "undefined"
    assert no_alert(driver)
    return int(clicked["clicked"])


@pytest.mark.parametrize("path", list(PAGES))
def test_hostile_values_are_shown_as_text_and_no_link_runs_script(page: Any, hostile_server: str, path: str) -> None:
    from selenium.webdriver.common.by import By

    page.get(hostile_server + path)
    text = page.find_element(By.TAG_NAME, "body").text
    assert PAGES[path] in text, text[:800]
    mail = {"mailto:info@example.org"} if path == "/doc/contact/hostile" else set()
    assert assert_links_are_safe(page, mail) > 5
    assert page.execute_script("return String(window.__pwned)") == "undefined"


def test_a_mail_address_is_a_link_on_the_contact_point_only(page: Any, hostile_server: str) -> None:
    page.get(hostile_server + "/doc/contact/hostile")
    hrefs = [link["href"] for link in page.execute_script(INSPECT)["links"]]
    assert "mailto:info@example.org" in hrefs
    page.get(hostile_server + "/doc/solution/osca")
    assert not [
        href for href in (link["href"] for link in page.execute_script(INSPECT)["links"]) if href.startswith("mailto:")
    ]


HOSTILE_IRIS = (
    'SELECT ?o WHERE { ?s ?p ?o FILTER(isIRI(?o) && (STRSTARTS(STR(?o), "javascript:") '
    '|| STRSTARTS(STR(?o), "data:") || STRSTARTS(STR(?o), "mailto:") || CONTAINS(STR(?o), "\'"))) }'
)


def run_on_query_page(driver: Any, text: str) -> list[Any]:
    """Put ``text`` in the query page's form, run it and wait for the result table's rows."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.execute_script("document.getElementById('query').value = arguments[0]", text)
    driver.find_element(By.CSS_SELECTOR, "#query-form button[type=submit]").click()
    WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#results table tr td"))
    rows: list[Any] = driver.find_elements(By.CSS_SELECTOR, "#results table tr")
    return rows


def test_the_query_pages_result_table_links_only_web_addresses(page: Any, hostile_server: str) -> None:
    from selenium.webdriver.common.by import By

    page.get(hostile_server + "/query")
    rows = run_on_query_page(page, HOSTILE_IRIS)
    table = page.find_element(By.ID, "results").text
    assert "javascript:window.__pwned='url'" in table and "https://example.org/it's'onmouseover=" in table
    assert len(rows) > 8
    hrefs = [link["href"] for link in page.execute_script(INSPECT)["links"]]
    assert "https://example.org/it's'onmouseover='window.__pwned=1'" in hrefs  # the whole IRI, one attribute
    assert_links_are_safe(page)


class CountingListener:
    """A second loopback host (127.0.0.2) that counts the connections made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.2", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.sock.accept()
            except OSError:
                continue
            self.accepted += 1
            connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self.sock.close()


@pytest.fixture(scope="module")
def elsewhere() -> Iterator[CountingListener]:
    try:
        listener = CountingListener()
    except OSError as exc:  # pragma: no cover - every Linux answers on all of 127/8
        pytest.skip(f"cannot listen on 127.0.0.2: {exc}")
    yield listener
    listener.close()


@pytest.mark.parametrize("form", ["#endpoint={endpoint}&query={query}", "?endpoint={endpoint}&query={query}"])
def test_the_query_page_takes_no_endpoint_from_its_url(
    page: Any, hostile_server: str, elsewhere: CountingListener, form: str
) -> None:
    endpoint = f"http://127.0.0.2:{elsewhere.port}/sparql"
    query = "SELECT * WHERE { ?s ?p ?o } LIMIT 3"
    page.get("about:blank")  # a new document, not a fragment change of the last one
    sent_requests(page)  # empty the log
    before = elsewhere.accepted
    page.get(hostile_server + "/query" + form.format(endpoint=quote(endpoint, safe=""), query=quote(query)))
    page.execute_async_script("setTimeout(arguments[arguments.length - 1], 500)")
    on_load = sent_requests(page)
    assert {urlparse(url).hostname for _, url in on_load if url.startswith("http")} == {"127.0.0.1"}, on_load
    assert [(method, url) for method, url in on_load if method != "GET" or "/sparql" in url] == [], on_load
    run_on_query_page(page, query)
    ran = sent_requests(page)
    assert [urlparse(url).netloc for method, url in ran if method == "POST"] == [urlparse(hostile_server).netloc]
    assert elsewhere.accepted == before == 0
