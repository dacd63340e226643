/* The adoption map as an enhancement: every element with a data-map-data attribute (the map page and
   the small maps on profiles) gets a map drawn with the vendored d3-geo from that JSON route, over the
   outline of Germany named by data-map-outline (the vendored Natural Earth TopoJSON). Without
   JavaScript the element keeps what the server put there (its own SVG, or a table beside it).
   Attributes: data-map-data (URL of /map/data.json with filters), data-map-outline (URL of the
   TopoJSON), data-map-label (the map's accessible name), data-map-focus (IRI of a place to mark).
   The municipality profile's element class="mini-map" with data-iri, data-lon, data-lat and data-label
   gets a small map of the adoptions that place takes part in, with the place itself marked. */
(function () {
  "use strict";
  var SVG_NS = "http://www.w3.org/2000/svg";
  var STATUSES = ["production", "trial", "planned", "ended", "unknown"];
  var GERMANY = "276";
  var OUTLINE = "/static/vendor/world-atlas-2.0.2/countries-50m.json";
  var outlines = {};

  function getJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (answer) {
        if (!answer.ok) { throw new Error(url + " answered " + answer.status); }
        return answer.json();
      });
  }

  function germany(url) {
    if (!outlines[url]) {
      outlines[url] = getJson(url).then(function (topology) {
        return topojson.feature(topology, topology.objects.countries).features.filter(function (f) {
          return String(f.id) === GERMANY;
        })[0];
      });
    }
    return outlines[url];
  }

  function node(name, attributes, parent, text) {
    var element = document.createElementNS(SVG_NS, name);
    Object.keys(attributes).forEach(function (key) { element.setAttribute(key, attributes[key]); });
    if (text) {
      var title = document.createElementNS(SVG_NS, "title");
      title.textContent = text;
      element.appendChild(title);
    }
    if (parent) { parent.appendChild(element); }
    return element;
  }

  /* The same curve as the server's map: bends to the right as it goes; a loop within one place. */
  function arcPath(start, end) {
    var dx = end[0] - start[0], dy = end[1] - start[1];
    if (Math.sqrt(dx * dx + dy * dy) < 1) {
      return "M" + start + "C" + (start[0] - 9) + "," + (start[1] - 14) + " " + (start[0] + 9) + "," +
        (start[1] - 14) + " " + start;
    }
    var cx = (start[0] + end[0]) / 2 - dy * 0.2, cy = (start[1] + end[1]) / 2 + dx * 0.2;
    return "M" + start + "Q" + cx + "," + cy + " " + end;
  }

  function radius(adoptions, small) {
    return (small ? 0.6 : 1) * (2.5 + 2.2 * Math.sqrt(adoptions));
  }

  /* What to draw into ``box``, from its data attributes (the map's own or the municipality profile's). */
  function settings(box) {
    var iri = box.getAttribute("data-iri");
    var lon = parseFloat(box.getAttribute("data-lon")), lat = parseFloat(box.getAttribute("data-lat"));
    return {
      data: box.getAttribute("data-map-data") || "/map/data.json?place=" + encodeURIComponent(iri),
      outline: box.getAttribute("data-map-outline") || OUTLINE,
      label: box.getAttribute("data-map-label") || box.getAttribute("data-label") || "",
      focus: box.getAttribute("data-map-focus") || iri,
      own: isFinite(lon) && isFinite(lat) ? [lon, lat] : null
    };
  }

  function draw(box, data, country, number) {
    var wanted = settings(box);
    var small = box.classList.contains("small-map") || box.classList.contains("mini-map");
    var width = small ? 280 : 560, height = small ? 360 : 720;
    var projection = d3.geoConicConformal().parallels([48 + 2 / 3, 53 + 2 / 3]).rotate([-10.5, 0])
      .fitExtent([[8, 8], [width - 8, height - 8]], country);
    var prefix = "map" + number;
    var svg = node("svg", { "class": "map-svg", viewBox: "0 0 " + width + " " + height, role: "img",
      "aria-label": wanted.label, "data-drawn-by": "d3-geo" });
    var defs = node("defs", {}, svg);
    STATUSES.forEach(function (status) {
      var marker = node("marker", { id: prefix + "-arrow-" + status, "class": "arrow status-" + status,
        viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: small ? 4 : 6, markerHeight: small ? 4 : 6, orient: "auto-start-reverse" }, defs);
      node("path", { d: "M0,0L10,5L0,10z" }, marker);
    });
    node("path", { "class": "outline", d: d3.geoPath(projection)(country) }, svg);
    var arcs = node("g", { "class": "arcs" }, svg);
    data.flows.forEach(function (flow) {
      if (!flow.origin_point || !flow.adopter_point) { return; }
      var status = STATUSES.indexOf(flow.status) >= 0 ? flow.status : "unknown";
      node("path", { "class": "arc status-" + status, "data-adoption": flow.adoption,
        d: arcPath(projection(flow.origin_point).map(round), projection(flow.adopter_point).map(round)),
        "marker-end": "url(#" + prefix + "-arrow-" + status + ")" }, arcs,
        flow.origin_label + " \u2192 " + flow.adopter_label + ": " + flow.asset_label);
    });
    var places = node("g", { "class": "places" }, svg);
    var focus = wanted.focus;
    var marked = data.places.some(function (place) { return place.iri === focus; });
    if (wanted.own && !marked) {  /* a place without adoptions: its own point */
      data.places.push({ iri: focus, label: wanted.label, point: wanted.own, adoptions: 0, area: false });
    }
    data.places.forEach(function (place) {
      var at = projection(place.point);
      node("circle", { "class": "place" + (place.area ? " area" : "") + (place.iri === focus ? " focus" : ""), cx: round(at[0]), cy: round(at[1]),
        r: round(radius(place.adoptions, small)), "data-place": place.iri }, places, place.label + ": " + place.adoptions);
    });
    var old = box.querySelector("svg.map-svg");
    if (old) { box.replaceChild(svg, old); } else { box.appendChild(svg); }
    box.setAttribute("data-map-state", "drawn");
  }

  function round(value) { return Math.round(value * 10) / 10; }

  function enhance(box, number) {
    if (typeof d3 === "undefined" || typeof topojson === "undefined") { return; }
    box.setAttribute("data-map-state", "loading");
    var wanted = settings(box);
    Promise.all([getJson(wanted.data), germany(wanted.outline)])
      .then(function (both) { draw(box, both[0], both[1], number); })
      .catch(function (error) {
        box.setAttribute("data-map-state", "failed");
        if (window.console) { window.console.warn("map not drawn:", error); }
      });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-map-data], .mini-map[data-iri]"), enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
