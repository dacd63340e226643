// The offline query page: send the query to /sparql with fetch and show the result as a table.
(function () {
  "use strict";
  var form = document.getElementById("query-form");
  var textarea = document.getElementById("query");
  var example = document.getElementById("example");
  var accept = document.getElementById("accept");
  var status = document.getElementById("status");
  var results = document.getElementById("results");
  // the named queries as examples: a JSON data block of the page (no inline script, for the CSP)
  var examples = JSON.parse(document.getElementById("examples").textContent || "{}");

  example.addEventListener("change", function () {
    if (examples[example.value]) {
      textarea.value = examples[example.value];
    }
  });

  function cell(term) {
    var td = document.createElement("td");
    if (!term) { return td; }
    // only http(s) IRIs become links: the data may carry javascript: or data: IRIs
    if (term.type === "uri" && /^https?:/i.test(term.value)) {
      var a = document.createElement("a");
      var local = term.value.replace(/^https:\/\/w3id\.org\/mpsc-graph\/id\//, "/doc/");
      a.href = local; a.textContent = term.value; td.appendChild(a);
    } else {
      td.textContent = term.value + (term["xml:lang"] ? " @" + term["xml:lang"] : "");
    }
    return td;
  }

  function table(data) {
    results.innerHTML = "";
    if (typeof data.boolean === "boolean") { results.textContent = String(data.boolean); return; }
    var vars = data.head.vars, rows = data.results.bindings;
    var t = document.createElement("table"), head = document.createElement("tr");
    vars.forEach(function (v) { var th = document.createElement("th"); th.textContent = v; head.appendChild(th); });
    t.appendChild(head);
    rows.forEach(function (row) {
      var tr = document.createElement("tr");
      vars.forEach(function (v) { tr.appendChild(cell(row[v])); });
      t.appendChild(tr);
    });
    results.appendChild(t);
    // the page's own words for the count (German or English, as the page)
    status.textContent = rows.length === 1 ? status.dataset.oneRow : status.dataset.rows.replace("{n}", rows.length);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    status.textContent = "…";
    var started = Date.now();
    fetch("/sparql", {
      method: "POST",
      headers: {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept.value},
      body: "query=" + encodeURIComponent(textarea.value)
    }).then(function (response) {
      return response.text().then(function (body) { return {response: response, body: body}; });
    }).then(function (r) {
      var seconds = ((Date.now() - started) / 1000).toFixed(2) + " s";
      if (!r.response.ok) { results.innerHTML = ""; var pre = document.createElement("pre");
        pre.className = "error"; pre.textContent = r.body; results.appendChild(pre);
        status.textContent = r.response.status + " · " + seconds; return; }
      var type = r.response.headers.get("Content-Type") || "";
      if (type.indexOf("sparql-results+json") >= 0) { table(JSON.parse(r.body)); status.textContent += " · " + seconds; }
      else { results.innerHTML = ""; var out = document.createElement("pre"); out.textContent = r.body;
        results.appendChild(out); status.textContent = seconds; }
    }).catch(function (error) { status.textContent = String(error); });
  });
}());
