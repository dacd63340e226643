// The static site's lists (catalogue, adoptions): filtering, sorting and the filtered download in the
// browser. The site's files are the unfiltered lists a page at a time; a filter state lives in the query
// string, as on the server (/solutions?status=production), and this script reads it on load, filters the
// list's full JSON (the download link beside the list) by the server's rules, shows every matching row,
// and points the download links at exactly those rows. Without JavaScript the pages show the whole list.
(function () {
  "use strict";
  var en = document.documentElement.lang === "en";
  var WORDS = en ? {
    one_solution: "1 solution or module", n_solutions: "{n} solutions and modules",
    one_adoption: "1 adoption", n_adoptions: "{n} adoptions", of_total: "of {n}", remove: "remove",
    none_solutions: "No solution matches these filters.", none_adoptions: "No adoption matches these filters.",
    module: "Module"
  } : {
    one_solution: "1 Lösung oder Modul", n_solutions: "{n} Lösungen und Module",
    one_adoption: "1 Nachnutzung", n_adoptions: "{n} Nachnutzungen", of_total: "von {n}", remove: "entfernen",
    none_solutions: "Keine Lösung passt zu diesen Filtern.", none_adoptions: "Keine Nachnutzung passt zu diesen Filtern.",
    module: "Modul"
  };
  var FACETS = ["field", "state", "status", "route", "licence", "standard"];
  var ADOPTION_FILTERS = ["asset", "origin", "adopter", "state", "mode", "status", "kind", "from", "to"];
  var params = new URLSearchParams(window.location.search);

  function fold(text) { return String(text || "").toLowerCase(); }
  function has(needle, values) {
    needle = fold(needle);
    return values.some(function (v) { return v && fold(v).indexOf(needle) >= 0; });
  }
  function el(name, text, attrs) {
    var node = document.createElement(name);
    if (text !== undefined && text !== null) { node.textContent = text; }
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }
  function chosenOf(names) {
    var out = {};
    names.forEach(function (n) { var v = (params.get(n) || "").trim(); if (v) { out[n] = v; } });
    return out;
  }
  function countText(total, every, one, many, filtered) {
    var text = total === 1 ? WORDS[one] : WORDS[many].replace("{n}", total);
    return [text, filtered ? " " + WORDS.of_total.replace("{n}", every) : ""];
  }
  function setCount(total, every, one, many, filtered) {
    var p = document.querySelector("p.count");
    var parts = countText(total, every, one, many, filtered);
    var strong = p.querySelector("strong");
    strong.textContent = parts[0];
    var next = strong.nextSibling;  // the text up to the download links
    if (next && next.nodeType === 3) {
      next.textContent = parts[1] + "\n · " + next.textContent.replace(/^[^·]*·\s*/, "");
    }
  }
  // Python's csv.writer with lineterminator "\n": quote a field with a comma, quote or line break
  function csvField(value) {
    var text = value === null || value === undefined ? "" : String(value);
    return /[",\n\r]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }
  function toCsv(records, columns) {
    var lines = [columns.map(csvField).join(",")];
    records.forEach(function (r) {
      lines.push(columns.map(function (c) {
        var v = r[c];
        return csvField(Array.isArray(v) ? v.join(" ") : v);
      }).join(","));
    });
    return lines.join("\n") + "\n";
  }
  function pointDownloads(records, columns) {
    document.querySelectorAll("p.count a[download]").forEach(function (a) {
      var json = /\.json$/.test(a.getAttribute("href"));
      // a data: address (the page's Content-Security-Policy lets a script read neither blob: nor data:,
      // but a download needs no reading, and a test can decode the address)
      var text = json ? JSON.stringify(records, null, 1) + "\n" : toCsv(records, columns);
      a.href = "data:" + (json ? "application/json" : "text/csv") + ";charset=utf-8," + encodeURIComponent(text);
      a.setAttribute("download", a.dataset.name || (document.body.dataset.list || "rows") + (json ? ".json" : ".csv"));
    });
  }
  function fullRows(callback) {
    var link = document.querySelector('p.count a[download][href$=".json"]');
    if (!link) { return; }
    fetch(link.getAttribute("href")).then(function (r) { return r.json(); }).then(callback);
  }
  function showAll(table, rows, noneText, render) {
    var pager = document.querySelector("nav.pager");
    if (pager) { pager.hidden = true; }
    var caption = table && table.querySelector("caption");
    if (caption) { caption.textContent = caption.textContent.replace(/,[^,]*$/, ""); }
    var tbody = table.querySelector("tbody");
    while (tbody.firstChild) { tbody.removeChild(tbody.firstChild); }
    rows.forEach(function (r) { tbody.appendChild(render(r)); });
    table.hidden = rows.length === 0;
    var gap = document.getElementById("site-none");
    if (!gap) { gap = el("p", noneText, {id: "site-none", "class": "gap"}); table.parentNode.insertBefore(gap, table); }
    gap.hidden = rows.length > 0;
  }
  function link(href, text) { var a = el("a", text, {href: href}); return a; }
  function here(changes) {  // this list's address with the query string changed
    var next = new URLSearchParams(params);
    Object.keys(changes).forEach(function (k) { if (changes[k]) { next.set(k, changes[k]); } else { next.delete(k); } });
    next.delete("page");
    var query = next.toString();
    return window.location.pathname + (query ? "?" + query : "");
  }

  function catalogue(table) {
    var chosen = chosenOf(FACETS);
    var text = (params.get("q") || "").trim(), kind = params.get("kind") || "", sort = params.get("sort") || "label";
    if (!Object.keys(chosen).length && !text && !kind && sort === "label") { return; }
    var form = document.querySelector(".facets form");
    Object.keys(chosen).forEach(function (name) {
      form.appendChild(el("input", null, {type: "hidden", name: name, value: chosen[name]}));
    });
    document.getElementById("c-q").value = text;
    document.getElementById("c-kind").value = kind;
    document.getElementById("c-sort").value = sort;
    // the facet values and their labels as the page lists them
    var sections = {};
    document.querySelectorAll("section.facet").forEach(function (section) {
      var name = section.getAttribute("aria-labelledby").replace(/^facet-/, "");
      var values = [];
      section.querySelectorAll("li a").forEach(function (a) {
        var value = new URL(a.href, window.location.href).searchParams.get(name);
        if (value) { values.push({value: value, label: a.textContent}); }
      });
      sections[name] = {node: section, values: values};
    });
    function matches(a, skip) {
      if (kind && a.kind !== kind) { return false; }
      if (text && fold(a.label).indexOf(fold(text)) < 0) { return false; }
      return Object.keys(chosen).every(function (n) {
        return n === skip || (a["facet_" + n] || []).indexOf(chosen[n]) >= 0;
      });
    }
    fullRows(function (assets) {
      var hits = assets.filter(function (a) { return matches(a, ""); });
      hits.sort(function (x, y) {
        if (sort === "adoptions" && x.adoptions !== y.adoptions) { return y.adoptions - x.adoptions; }
        var a = fold(x.label), b = fold(y.label);
        return a < b ? -1 : a > b ? 1 : 0;
      });
      Object.keys(sections).forEach(function (name) {
        var remaining = assets.filter(function (a) { return matches(a, name); });
        var list = sections[name].node.querySelector("ul");
        while (list.firstChild) { list.removeChild(list.firstChild); }
        sections[name].values.forEach(function (entry) {
          var n = remaining.filter(function (a) { return (a["facet_" + name] || []).indexOf(entry.value) >= 0; }).length;
          if (!n) { return; }
          var li = el("li");
          if (chosen[name] === entry.value) {
            li.className = "chosen";
            li.appendChild(el("strong", entry.label + " (" + n + ")"));
            li.appendChild(document.createTextNode(" "));
            var off = {}; off[name] = "";
            var remove = link(here(off), "✕ " + WORDS.remove);
            remove.setAttribute("aria-label", entry.label + " " + WORDS.remove);
            li.appendChild(remove);
          } else {
            var on = {}; on[name] = entry.value;
            li.appendChild(link(here(on), entry.label));
            li.appendChild(document.createTextNode(" (" + n + ")"));
          }
          list.appendChild(li);
        });
      });
      setCount(hits.length, assets.length, "one_solution", "n_solutions", hits.length !== assets.length);
      showAll(table, hits, WORDS.none_solutions, function (a) {
        var tr = el("tr"), th = el("th", null, {scope: "row"});
        th.appendChild(link(a.path + (en ? ".en" : ""), a.label));
        if (a.kind === "module") { th.appendChild(document.createTextNode(" ")); th.appendChild(el("span", "(" + WORDS.module + ")", {"class": "note"})); }
        tr.appendChild(th);
        [a.originator, a.fields, a.adoptions].forEach(function (v) { tr.appendChild(el("td", String(v))); });
        return tr;
      });
      pointDownloads(hits, Object.keys(assets[0] || {}));
    });
  }

  function adoptions(table) {
    var f = chosenOf(ADOPTION_FILTERS);
    if (!Object.keys(f).length) { return; }
    var idBase = table.dataset.idBase || "";
    var words = {};
    ["mode", "status", "kind", "state"].forEach(function (key) {
      words[key] = {};
      var select = document.getElementById("f-" + key);
      Array.prototype.forEach.call(select.options, function (o) { words[key][o.value] = o.textContent; });
    });
    ADOPTION_FILTERS.forEach(function (key) { var input = document.getElementById("f-" + key); if (input && f[key]) { input.value = f[key]; } });
    function year(text) { return /^\d{4}$/.test(text || "") ? parseInt(text, 10) : null; }
    var start = year(f.from), end = year(f.to);
    function href(iri) {
      if (idBase && iri.indexOf(idBase) === 0) { return "/doc/" + iri.slice(idBase.length) + (en ? ".en" : ""); }
      return /^https?:/i.test(iri) ? iri : null;
    }
    function cellLink(parent, iri, text) {
      var target = iri && href(iri);
      parent.appendChild(target ? link(target, text) : document.createTextNode(text || ""));
    }
    fullRows(function (rows) {
      var hits = rows.filter(function (r) {
        if (f.asset && !has(f.asset, [r.asset, r.asset_label, r.solution, r.solution_label])) { return false; }
        if (f.origin && !has(f.origin, [r.origin, r.origin_label])) { return false; }
        if (f.adopter && !has(f.adopter, [r.adopter, r.adopter_label])) { return false; }
        if (f.state && f.state !== r.adopter_state && f.state !== r.origin_state) { return false; }
        if ((f.mode && f.mode !== r.mode) || (f.status && f.status !== r.status) || (f.kind && f.kind !== r.kind)) { return false; }
        if (start !== null || end !== null) {
          var y = year((r.start || "").slice(0, 4));
          if (y === null || (start !== null && y < start) || (end !== null && y > end)) { return false; }
        }
        return true;
      });
      setCount(hits.length, rows.length, "one_adoption", "n_adoptions", true);
      showAll(table, hits, WORDS.none_adoptions, function (r) {
        var tr = el("tr"), th = el("th", null, {scope: "row"});
        cellLink(th, r.asset, r.asset_label);
        if (r.solution) { th.appendChild(document.createTextNode(" ")); th.appendChild(el("span", "(" + r.solution_label + ")", {"class": "note"})); }
        tr.appendChild(th);
        var origin = el("td"); if (r.origin) { cellLink(origin, r.origin, r.origin_label); } tr.appendChild(origin);
        var adopter = el("td", null, {"class": "adopter"}); cellLink(adopter, r.adopter, r.adopter_label); tr.appendChild(adopter);
        tr.appendChild(el("td", r.adopter_state));
        tr.appendChild(el("td", words.mode[r.mode] || r.mode));
        tr.appendChild(el("td", words.status[r.status] || r.status));
        tr.appendChild(el("td", words.kind[r.kind] || r.kind));
        tr.appendChild(el("td", r.start)); tr.appendChild(el("td", r.end));
        return tr;
      });
      pointDownloads(hits, Object.keys(rows[0] || {}));
    });
  }

  var table = document.getElementById("catalogue");
  if (table) { document.body.dataset.list = "solutions"; catalogue(table); }
  table = document.getElementById("adoptions");
  if (table) { document.body.dataset.list = "adoptions"; adoptions(table); }
})();
