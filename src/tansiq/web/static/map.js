/*
 * Tansiq incident map. Plain script, no build step; needs /static/vendor/leaflet.js first.
 *
 * Markup (one or more per page):
 *   <div class="map" data-map
 *        data-boundaries-url="/api/v1/geo/boundaries"   GeoJSON of governorates/districts
 *        data-incidents-url="/api/v1/incidents.geojson" GeoJSON FeatureCollection of points
 *        data-tile-url=""                               optional {z}/{x}/{y} template; none offline
 *        data-tile-attribution=""                       optional
 *        data-labels='{{ map_labels|tojson }}'>        optional translated popup labels
 *   </div>
 * Incident feature properties used: id, event_type (or event_type_label), occurred_at (or
 * occurred_at_label), place_name, received_text (where another party's record came from). Boundary feature properties used for tooltips: name_<lang>,
 * name, ADM2_EN/ADM2_AR, ADM1_EN/ADM1_AR (Arabic names on RTL pages).
 * When done the div gets data-marker-count (number of markers) and data-map-ready="true";
 * on a failed fetch it gets data-map-error with the message.
 */
(function () {
  "use strict";

  var IRAQ_CENTER = [33.3, 44.0];
  var IRAQ_ZOOM = 6;
  var DEFAULT_LABELS = {
    event_type: "Event type",
    occurred_at: "Occurred at",
    place: "Place",
    details: "Details"
  };

  function fetchJson(url) {
    return fetch(url, { headers: { Accept: "application/geo+json, application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(url + ": HTTP " + response.status);
        }
        return response.json();
      });
  }

  function readLabels(el) {
    var labels = Object.assign({}, DEFAULT_LABELS);
    if (el.dataset.labels) {
      try {
        Object.assign(labels, JSON.parse(el.dataset.labels));
      } catch (err) {
        console.warn("map: data-labels is not JSON", err);
      }
    }
    return labels;
  }

  function boundaryName(props, lang, rtl) {
    if (!props) {
      return "";
    }
    var suffix = rtl ? "_AR" : "_EN";
    return props["name_" + lang] || props.name ||
      props["ADM2" + suffix] || props["ADM1" + suffix] || props.ADM2_EN || props.ADM1_EN || "";
  }

  // Built with DOM nodes and textContent so report text can never inject markup.
  function popupContent(props, labels, dir) {
    var root = document.createElement("div");
    root.dir = dir;
    var list = document.createElement("dl");
    function row(label, value) {
      if (value === undefined || value === null || value === "") {
        return;
      }
      var dt = document.createElement("dt");
      dt.textContent = label;
      var dd = document.createElement("dd");
      dd.textContent = String(value);
      list.appendChild(dt);
      list.appendChild(dd);
    }
    row(labels.event_type, props.event_type_label || props.event_type);
    row(labels.occurred_at, props.occurred_at_label || props.occurred_at);
    row(labels.place, props.place_name);
    root.appendChild(list);
    if (props.received_text) {
      var received = document.createElement("p");
      received.className = "popup-received";
      received.textContent = props.received_text;
      root.appendChild(received);
    }
    if (props.id) {
      var link = document.createElement("a");
      link.href = "/incidents/" + encodeURIComponent(props.id);
      link.textContent = labels.details;
      root.appendChild(link);
    }
    return root;
  }

  function initMap(el) {
    var lang = document.documentElement.lang || "en";
    var dir = document.documentElement.dir === "rtl" ? "rtl" : "ltr";
    var labels = readLabels(el);
    // Quarter-zoom steps let fitBounds fill the frame with Iraq instead of a third of it.
    var map = TansiqMapBase.create(el, {
      center: IRAQ_CENTER,
      zoom: IRAQ_ZOOM,
      preferCanvas: true
    }, el.dataset.tileUrl);

    var boundaries = el.dataset.boundariesUrl
      ? fetchJson(el.dataset.boundariesUrl).then(function (geojson) {
        var layer = L.geoJSON(geojson, {
          style: {
            color: "#6b7280",
            weight: 1,
            opacity: 0.9,
            fill: true,
            fillColor: "#ffffff",
            fillOpacity: 0.7
          },
          onEachFeature: function (feature, featureLayer) {
            var name = boundaryName(feature.properties, lang, dir === "rtl");
            if (name) {
              featureLayer.bindTooltip(name, { sticky: true, direction: "auto" });
            }
          }
        }).addTo(map);
        layer.bringToBack();
        if (layer.getBounds().isValid()) {
          map.fitBounds(layer.getBounds(), { padding: [12, 12] });
        }
        return layer;
      })
      : Promise.resolve(null);

    var incidents = el.dataset.incidentsUrl
      ? fetchJson(el.dataset.incidentsUrl).then(function (geojson) {
        var count = 0;
        var layer = L.geoJSON(geojson, {
          filter: function (feature) {
            return feature.geometry && feature.geometry.type === "Point";
          },
          pointToLayer: function (feature, latlng) {
            count += 1;
            return L.circleMarker(latlng, {
              radius: 6,
              color: "#7f1d1d",
              weight: 1,
              fillColor: "#dc2626",
              fillOpacity: 0.8
            });
          },
          onEachFeature: function (feature, featureLayer) {
            featureLayer.bindPopup(popupContent(feature.properties || {}, labels, dir));
          }
        }).addTo(map);
        el.dataset.markerCount = String(count);
        return layer;
      })
      : Promise.resolve(null);

    return Promise.all([boundaries, incidents])
      .then(function () {
        if (!el.dataset.markerCount) {
          el.dataset.markerCount = "0";
        }
        el.dataset.mapReady = "true";
      })
      .catch(function (err) {
        el.dataset.mapError = String(err && err.message ? err.message : err);
        console.error("map:", err);
      })
      .then(function () {
        return map;
      });
  }

  function initAll() {
    var nodes = document.querySelectorAll("[data-incidents-url], [data-boundaries-url]");
    Array.prototype.forEach.call(nodes, function (el) {
      if (!el.dataset.mapInitialised) {
        el.dataset.mapInitialised = "true";
        initMap(el);
      }
    });
  }

  window.TansiqMap = { init: initMap, initAll: initAll };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initAll);
  } else {
    initAll();
  }
})();
