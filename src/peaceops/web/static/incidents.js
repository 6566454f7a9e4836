// Incident map (clustered points from /api/incidents/map) and the report form's map (click -> lon/lat).
// The basemap is the app's own files (decision 047): Natural Earth countries, the shown countries' admin-1
// areas and towns, rivers and lakes; no tile layer, nothing from outside. The page gives the words to show
// (data-labels), in the reader's language.
(function () {
  "use strict";
  var COLOURS = { draft: "#5b6570", submitted: "#bf8700", verified: "#0a6ebd", published: "#1a7f37", rejected: "#b42318" };
  // Towns named from this zoom on, by rank (1 capital, 2 seats of admin-1 areas and large towns, 3 others).
  var LABEL_ZOOM = { 1: 3, 2: 5, 3: 7 };

  function json(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error(url + ": " + r.status); }
      return r.json();
    });
  }

  function labels(el) { return el.dataset.labels ? JSON.parse(el.dataset.labels) : {}; }

  function fill(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (all, key) { return key in values ? values[key] : all; });
  }

  function panes(map) {
    // Under Leaflet's overlay pane (400), where the incidents are drawn: land, the shown countries, water, lines, towns.
    [["land", 340], ["focus", 350], ["water", 360], ["admin", 370], ["places", 380]].forEach(function (p) {
      map.createPane(p[0]).style.zIndex = String(p[1]);
      map.getPane(p[0]).style.pointerEvents = "none";
    });
  }

  function baseMap(el) {
    var map = L.map(el, { zoomSnap: 0.5, minZoom: 2, maxZoom: 14, worldCopyJump: false, attributionControl: false, keyboard: true });
    panes(map);
    var centre = el.dataset.centre ? JSON.parse(el.dataset.centre) : null;
    if (centre && centre[0] !== null) { map.setView([centre[1], centre[0]], 6); } else { map.setView([5, 20], 3); }
    var water = el.dataset.water ? json(el.dataset.water).catch(function () { return null; }) : Promise.resolve(null);
    return Promise.all([json(el.dataset.topojson), water]).then(function (loaded) {
      var world = loaded[0];
      L.geoJSON(topojson.feature(world, world.objects.countries), { pane: "land", interactive: false, style: { color: "#ffffff", weight: 0.8, fillColor: "#e8ebe4", fillOpacity: 1 } }).addTo(map);
      if (loaded[1]) { drawWater(map, loaded[1]); }
      return map;
    });
  }

  function drawWater(map, water) {
    L.geoJSON(topojson.feature(water, water.objects.lakes), { pane: "water", interactive: false, style: { stroke: false, fillColor: "#b9d6ee", fillOpacity: 1 } }).addTo(map);
    L.geoJSON(topojson.feature(water, water.objects.rivers), { pane: "water", interactive: false, style: { color: "#86b6de", weight: 1.2, fill: false } }).addTo(map);
  }

  // A country's admin-1 areas (a lighter fill and dashed lines) and its towns, named where they do not overlap.
  function drawCountries(map, urls) {
    var towns = [];
    return Promise.all(urls.map(function (url) { return json(url).catch(function () { return null; }); })).then(function (files) {
      files.forEach(function (topo) {
        if (!topo) { return; }
        L.geoJSON(topojson.feature(topo, topo.objects.admin1), { pane: "focus", interactive: false, style: { stroke: false, fillColor: "#fbfbf8", fillOpacity: 1 } }).addTo(map);
        L.geoJSON(topojson.mesh(topo, topo.objects.admin1, function (a, b) { return a !== b; }), { pane: "admin", interactive: false, style: { color: "#8d97a3", weight: 1, dashArray: "4 3", fill: false } }).addTo(map);
        topojson.feature(topo, topo.objects.places).features.forEach(function (f) {
          towns.push({ name: f.properties.name, rank: f.properties.rank, at: L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0]) });
        });
      });
      if (towns.length) { nameTowns(map, towns); }
      return map;
    });
  }

  function nameTowns(map, towns) {
    var group = L.layerGroup().addTo(map);
    towns.sort(function (a, b) { return a.rank - b.rank; });
    towns.forEach(function (t) {
      t.marker = L.circleMarker(t.at, { pane: "places", radius: 2.5, stroke: false, fillColor: "#2f3a45", fillOpacity: 1, interactive: false });
      t.marker.bindTooltip(t.name, { permanent: true, direction: "right", offset: [3, 0], className: "place-label", pane: "places" });
    });
    function update() {
      group.clearLayers();
      var zoom = map.getZoom(), view = map.getBounds().pad(0.05), taken = [];
      towns.forEach(function (t) {
        if (zoom < LABEL_ZOOM[t.rank] || !view.contains(t.at)) { return; }
        var p = map.latLngToContainerPoint(t.at);
        var box = [p.x - 3, p.y - 8, p.x + 10 + 6.5 * t.name.length, p.y + 8];
        var free = taken.every(function (o) { return box[2] < o[0] || o[2] < box[0] || box[3] < o[1] || o[3] < box[1]; });
        if (free) { taken.push(box); group.addLayer(t.marker); }
      });
    }
    map.on("zoomend moveend", update);
    update();
  }

  function esc(text) { return String(text).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; }); }

  function incidentMap(el) {
    var words = labels(el), categories = words.categories || {}, statuses = words.statuses || {};
    Promise.all([baseMap(el), json(el.dataset.points)]).then(function (loaded) {
      var map = loaded[0], data = loaded[1];
      return drawCountries(map, data.basemaps || []).then(function () { return [map, data]; });
    }).then(function (loaded) {
      var map = loaded[0], data = loaded[1];
      var cluster = L.markerClusterGroup({ maxClusterRadius: 45, showCoverageOnHover: false });
      data.points.forEach(function (p) {
        var m = L.circleMarker([p[2], p[1]], { radius: 7, weight: 1.5, color: "#ffffff", fillColor: COLOURS[p[4]] || "#333", fillOpacity: 0.9 });
        var lines = ['<a href="/incidents/' + p[0] + '">' + esc(fill(words.incident || "Incident {id}", { id: p[0] })) + "</a>", esc(categories[p[3]] || p[3])];
        if (p[6]) { lines.push("<strong>" + esc(p[6]) + "</strong>"); }
        lines.push(esc(p[5]) + " · " + esc(statuses[p[4]] || p[4]));
        m.bindPopup(lines.join("<br>"));
        m.options.incidentId = p[0];
        cluster.addLayer(m);
      });
      map.addLayer(cluster);
      if (data.points.length) {
        var bounds = L.latLngBounds(data.points.map(function (p) { return [p[2], p[1]]; }));
        map.fitBounds(bounds.pad(0.15), { maxZoom: 8 });
      }
      var count = document.getElementById("map-count");
      if (count) { count.textContent = fill(data.truncated ? words.truncated || "{count}" : words.count || "{count}", { count: data.points.length }); }
      el.dataset.points = String(data.points.length);
      el.dataset.ids = data.points.map(function (p) { return p[0]; }).join(" ");
      document.body.dataset.mapReady = "1";
    }).catch(function (error) {
      var text = String(error && (error.message || error));
      el.textContent = fill(words.error || "{error}", { error: text });
      document.body.dataset.mapError = text;
      if (window.console) { window.console.error(error); }
    });
  }

  function formMap(el) {
    var lon = document.getElementById("f-lon"), lat = document.getElementById("f-lat"), place = document.getElementById("f-place");
    baseMap(el).then(function (map) {
      return drawCountries(map, el.dataset.basemaps ? JSON.parse(el.dataset.basemaps) : []);
    }).then(function (map) {
      var marker = null;
      function put(latlng, pan) {
        if (marker) { marker.setLatLng(latlng); } else { marker = L.circleMarker(latlng, { radius: 8, color: "#ffffff", weight: 2, fillColor: "#b42318", fillOpacity: 1 }).addTo(map); }
        if (pan) { map.panTo(latlng); }
      }
      map.on("click", function (e) {
        lon.value = e.latlng.lng.toFixed(5);
        lat.value = e.latlng.lat.toFixed(5);
        if (place) { place.value = ""; }
        put(e.latlng, false);
      });
      function typed() {
        var x = parseFloat(lon.value), y = parseFloat(lat.value);
        if (!isNaN(x) && !isNaN(y)) { put([y, x], true); }
      }
      lon.addEventListener("change", typed);
      lat.addEventListener("change", typed);
      if (place) {
        // A newly named place is where it happened: drop the coordinates so the gazetteer gives them.
        place.addEventListener("change", function () {
          if (place.value.trim() === "") { return; }
          lon.value = ""; lat.value = "";
          if (marker) { map.removeLayer(marker); marker = null; }
        });
      }
      typed();
      document.body.dataset.mapReady = "1";
    });
  }

  function extraFields() {
    var select = document.getElementById("f-category");
    if (!select) { return; }
    var sub = document.getElementById("f-subcategory");
    function update() {
      var option = select.options[select.selectedIndex];
      var needed = (option && option.dataset.required || "").split(" ").filter(Boolean);
      document.querySelectorAll(".extra-field").forEach(function (div) {
        var show = needed.indexOf(div.dataset.extra) >= 0 || div.querySelector("input").value !== "";
        div.hidden = !show;
        div.querySelector("input").required = needed.indexOf(div.dataset.extra) >= 0;
      });
      if (sub) {
        Array.prototype.forEach.call(sub.querySelectorAll("option[data-parent]"), function (o) { o.hidden = select.value !== "" && o.dataset.parent !== select.value; });
        var chosen = sub.options[sub.selectedIndex];
        if (chosen && chosen.hidden) { sub.value = ""; }
      }
    }
    select.addEventListener("change", update);
    update();
  }

  function start() {
    var m = document.getElementById("incident-map");
    if (m) { incidentMap(m); }
    var f = document.getElementById("form-map");
    if (f) { formMap(f); }
    extraFields();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
