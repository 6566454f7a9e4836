// Incident map (clustered points from /api/incidents/map) and the report form's map (click -> lon/lat).
// Countries come from the Natural Earth TopoJSON the app serves; no tile layer, nothing from outside.
(function () {
  "use strict";
  var COLOURS = { draft: "#5b6570", submitted: "#bf8700", verified: "#0a6ebd", published: "#1a7f37", rejected: "#b42318" };

  function baseMap(el) {
    var map = L.map(el, { zoomSnap: 0.5, minZoom: 2, maxZoom: 14, worldCopyJump: false, attributionControl: false, keyboard: true });
    var centre = el.dataset.centre ? JSON.parse(el.dataset.centre) : null;
    if (centre && centre[0] !== null) { map.setView([centre[1], centre[0]], 6); } else { map.setView([5, 20], 3); }
    return fetch(el.dataset.topojson, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (world) {
      var land = topojson.feature(world, world.objects.countries);
      L.geoJSON(land, { interactive: false, style: { color: "#ffffff", weight: 0.8, fillColor: "#e8ebe4", fillOpacity: 1 } }).addTo(map);
      return map;
    });
  }

  function esc(text) { return String(text).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; }); }

  function incidentMap(el) {
    baseMap(el).then(function (map) {
      return fetch(el.dataset.points, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
        var cluster = L.markerClusterGroup({ maxClusterRadius: 45, showCoverageOnHover: false });
        data.points.forEach(function (p) {
          var m = L.circleMarker([p[2], p[1]], { radius: 7, weight: 1.5, color: "#ffffff", fillColor: COLOURS[p[4]] || "#333", fillOpacity: 0.9 });
          m.bindPopup('<a href="/incidents/' + p[0] + '">Incident ' + p[0] + "</a><br>" + esc(p[3]) + "<br>" + esc(p[5]) + " · " + esc(p[4]));
          m.options.incidentId = p[0];
          cluster.addLayer(m);
        });
        map.addLayer(cluster);
        if (data.points.length) {
          var bounds = L.latLngBounds(data.points.map(function (p) { return [p[2], p[1]]; }));
          map.fitBounds(bounds.pad(0.3), { maxZoom: 7 });
        }
        var count = document.getElementById("map-count");
        if (count) { count.textContent = data.points.length + " on the map" + (data.truncated ? " (the newest only)" : "") + "."; }
        el.dataset.points = String(data.points.length);
        el.dataset.ids = data.points.map(function (p) { return p[0]; }).join(" ");
        document.body.dataset.mapReady = "1";
      });
    }).catch(function (error) {
      var text = String(error && (error.message || error));
      el.textContent = "The map could not be drawn: " + text;
      document.body.dataset.mapError = text;
      if (window.console) { window.console.error(error); }
    });
  }

  function formMap(el) {
    var lon = document.getElementById("f-lon"), lat = document.getElementById("f-lat"), place = document.getElementById("f-place");
    baseMap(el).then(function (map) {
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
