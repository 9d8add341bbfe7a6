/*
 * Tansiq drawing tool: click the map to mark a point or the vertices of a line or an area;
 * Undo, Finish, Clear. Plain script, no build step; needs /static/vendor/leaflet.js first.
 * The result is GeoJSON written into the form's text field, which the server validates
 * (a keyboard user may type or paste GeoJSON there instead, or upload a file).
 *
 * Markup (see templates/_geo.html):
 *   <fieldset data-draw data-draw-type="Polygon|LineString|Point"
 *             data-draw-kind="kind" data-draw-kind-types='{"aor": "Polygon", ...}'
 *             data-boundaries-url="..." data-tile-url="" data-context="script-id"
 *             data-msg-polygon="..." data-msg-line="..." data-msg-point="..."
 *             data-msg-done="..." data-msg-bad="...">
 *     <div data-draw-map></div>
 *     <div data-draw-toolbar hidden> [data-draw-undo] [data-draw-finish] [data-draw-clear]
 *       <p data-draw-status></p></div>
 *     <textarea data-draw-output></textarea>
 *   </fieldset>
 * data-draw-kind names a <select> whose value picks the geometry type. data-context names a
 * <script type="application/json"> FeatureCollection shown (not clickable) for orientation.
 * When ready the fieldset gets data-draw-ready="true".
 */
(function () {
  "use strict";

  var INK = "#b45309";
  var DIGITS = 6;
  // Which data-msg-* attribute explains how to draw each type.
  var MESSAGES = { Polygon: "msgPolygon", LineString: "msgLine", Point: "msgPoint" };

  function round(value) {
    var factor = Math.pow(10, DIGITS);
    return Math.round(value * factor) / factor;
  }

  function position(latlng) {
    return [round(latlng.lng), round(latlng.lat)];
  }

  function readJson(text) {
    try {
      return text ? JSON.parse(text) : null;
    } catch (err) {
      return null;
    }
  }

  function initDraw(box) {
    var mapEl = box.querySelector("[data-draw-map]");
    var output = box.querySelector("[data-draw-output]");
    var toolbar = box.querySelector("[data-draw-toolbar]");
    var status = box.querySelector("[data-draw-status]");
    var kindSelect = box.dataset.drawKind ? document.getElementById(box.dataset.drawKind) : null;
    var kindTypes = readJson(box.dataset.drawKindTypes) || {};
    var map = TansiqMapBase.create(
      mapEl, { center: [34.5, 44.5], zoom: 7, doubleClickZoom: false }, box.dataset.tileUrl
    );
    var shape = L.layerGroup().addTo(map);
    var vertices = [];
    var finished = false;

    function type() {
      if (kindSelect && kindTypes[kindSelect.value]) {
        return kindTypes[kindSelect.value];
      }
      return box.dataset.drawType || "Polygon";
    }

    function say() {
      var key = finished ? "msgDone" : MESSAGES[type()];
      status.textContent = box.dataset[key] || "";
    }

    function geometry() {
      var coords = vertices.map(position);
      if (type() === "Point") {
        return coords.length ? { type: "Point", coordinates: coords[0] } : null;
      }
      if (type() === "LineString") {
        return coords.length >= 2 ? { type: "LineString", coordinates: coords } : null;
      }
      if (coords.length < 3) {
        return null;
      }
      return { type: "Polygon", coordinates: [coords.concat([coords[0]])] };
    }

    function redraw() {
      shape.clearLayers();
      if (!vertices.length) {
        return;
      }
      var kind = type();
      if (kind === "Point") {
        L.circleMarker(vertices[0], { radius: 7, color: INK, weight: 3 }).addTo(shape);
        return;
      }
      if (kind === "Polygon" && finished) {
        L.polygon(vertices, { color: INK, weight: 3, fillOpacity: 0.2 }).addTo(shape);
      } else {
        L.polyline(vertices, { color: INK, weight: 3, dashArray: finished ? null : "6 4" })
          .addTo(shape);
      }
      vertices.forEach(function (latlng) {
        L.circleMarker(latlng, { radius: 4, color: INK, weight: 2, fillOpacity: 1 }).addTo(shape);
      });
    }

    function write() {
      var geom = finished ? geometry() : null;
      output.value = geom ? JSON.stringify(geom) : "";
      box.dataset.drawVertices = String(vertices.length);
      say();
      redraw();
    }

    // Show the geometry the field already holds (editing, or the form came back with errors).
    function load() {
      var geom = readJson(output.value.trim());
      vertices = [];
      finished = false;
      if (!geom || !geom.coordinates) {
        redraw();
        say();
        return;
      }
      var coords = [];
      if (geom.type === "Point") {
        coords = [geom.coordinates];
      } else if (geom.type === "LineString") {
        coords = geom.coordinates;
      } else if (geom.type === "Polygon") {
        coords = geom.coordinates[0].slice(0, -1);
      }
      if (coords.length && geom.type === type()) {
        vertices = coords.map(function (c) { return L.latLng(c[1], c[0]); });
        finished = true;
        redraw();
        map.fitBounds(L.latLngBounds(vertices).pad(0.5), { maxZoom: 12 });
      } else {
        // A shape the tool does not draw (e.g. a MultiPolygon): show it, leave the text alone.
        L.geoJSON(geom, { style: { color: INK, weight: 3 } }).addTo(shape);
      }
      say();
    }

    map.on("click", function (event) {
      if (finished) {
        return;
      }
      vertices.push(event.latlng);
      if (type() === "Point") {
        finished = true;
      }
      write();
    });
    box.querySelector("[data-draw-undo]").addEventListener("click", function () {
      if (finished && type() !== "Point") {
        finished = false;
      } else {
        vertices.pop();
        finished = false;
      }
      write();
    });
    box.querySelector("[data-draw-finish]").addEventListener("click", function () {
      finished = geometry() !== null || finished;
      if (!finished) {
        status.textContent = box.dataset.msgBad || "";
        return;
      }
      write();
    });
    box.querySelector("[data-draw-clear]").addEventListener("click", function () {
      vertices = [];
      finished = false;
      write();
    });
    output.addEventListener("change", load);
    if (kindSelect) {
      kindSelect.addEventListener("change", function () {
        vertices = [];
        finished = false;
        write();
      });
    }

    var context = box.dataset.context ? document.getElementById(box.dataset.context) : null;
    var extra = readJson(context ? context.textContent : "");
    if (extra) {
      L.geoJSON(extra, {
        interactive: false,
        style: { color: "#6b7280", weight: 1.5, dashArray: "3 4", fillOpacity: 0.08 },
        pointToLayer: function (feature, latlng) {
          return L.circleMarker(latlng, { radius: 5, color: "#065f46", interactive: false });
        }
      }).addTo(map);
    }
    var outlines = box.dataset.boundariesUrl
      ? fetch(box.dataset.boundariesUrl, { headers: { Accept: "application/geo+json" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("boundaries: HTTP " + response.status);
          }
          return response.json();
        })
        .then(function (geojson) {
          L.geoJSON(geojson, {
            interactive: false,
            style: { color: "#9ca3af", weight: 1, fillColor: "#ffffff", fillOpacity: 0.6 }
          }).addTo(map).bringToBack();
        })
      : Promise.resolve();
    toolbar.hidden = false;
    load();
    outlines
      .catch(function (err) {
        box.dataset.drawError = String(err && err.message ? err.message : err);
        console.error(err);
      })
      .then(function () {
        box.dataset.drawReady = "true";
      });
  }

  function initAll() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-draw]"), function (box) {
      if (!box.dataset.drawInitialised) {
        box.dataset.drawInitialised = "true";
        initDraw(box);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initAll);
  } else {
    initAll();
  }
})();
