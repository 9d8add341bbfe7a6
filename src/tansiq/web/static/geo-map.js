/*
 * Tansiq layer maps: sectors, protected sites, coverage and plan areas. Plain script, no
 * build step; needs /static/vendor/leaflet.js first.
 *
 * Markup:
 *   <div class="map" data-geo-map
 *        data-source="id-of-a-script-element"   <script type="application/json"> holding a
 *                                               GeoJSON FeatureCollection (CSP-safe: not run)
 *        data-boundaries-url="/map/boundaries/1.geojson"   optional governorate outlines
 *        data-tile-url=""                       optional {z}/{x}/{y} template; none offline
 *        data-colours='{"fed": "#0072b2"}'>     party colours, the same as the legend's
 *   </div>
 * Feature properties used: layer (area, plan, coverage, overlap, gap, incident, sector, site,
 * finding, notice), party, blocking, radius_m (posts), label, detail, href, link_text, received_text
 * (where another party's record came from), context (what surrounds the page's record:
 * drawn faintly beneath it and left out of the first view). Protected sites keep their
 * label on the map.
 * Gaps are hatched with the <pattern id="tansiq-hatch"> the page holds (see geo.css).
 * When done the div gets data-map-ready="true" and data-feature-count; on a failure
 * data-map-error with the message.
 */
(function () {
  "use strict";

  var IRAQ_CENTER = [33.3, 44.0];
  var NEUTRAL = "#4b5563";
  var GAP = "#b91c1c";
  var OVERLAP = "#6a3d9a";

  function readJson(text, fallback) {
    try {
      return text ? JSON.parse(text) : fallback;
    } catch (err) {
      console.warn("geo-map: bad JSON", err);
      return fallback;
    }
  }

  function partyColour(colours, party) {
    return (party && colours[party]) || NEUTRAL;
  }

  function style(colours, props) {
    var colour = partyColour(colours, props.party);
    switch (props.layer) {
      case "area":
        return { color: "#111827", weight: 2, dashArray: "6 4", fill: false };
      case "plan":
        return { color: "#1f5f8b", weight: 3, fillColor: "#1f5f8b", fillOpacity: 0.18 };
      case "coverage":
        return { color: colour, weight: 1, fillColor: colour, fillOpacity: 0.35 };
      case "overlap":
        return { color: OVERLAP, weight: 1, fillColor: OVERLAP, fillOpacity: 0.45 };
      case "gap":
        return {
          color: GAP, weight: 1.5, fillColor: GAP, fillOpacity: 0.6, className: "gap-hatch"
        };
      case "finding":
        return {
          color: props.blocking ? GAP : "#92400e", weight: 2.5, dashArray: "4 4",
          fillColor: props.blocking ? GAP : "#f59e0b", fillOpacity: 0.15
        };
      case "site":
        return { color: "#065f46", weight: 2, fillColor: "#10b981", fillOpacity: 0.5 };
      case "incident":
        return { color: "#450a0a", weight: 2, fillColor: "#ef4444", fillOpacity: 0.95 };
      case "notice":
        return { color: "#7c2d12", weight: 3, fillColor: "#f59e0b", fillOpacity: 0.3 };
      default:
        return {
          color: colour, weight: props.withdrawn ? 1 : 2, dashArray: props.withdrawn ? "3 5" : null,
          fillColor: colour, fillOpacity: props.withdrawn ? 0.05 : 0.25
        };
    }
  }

  // What surrounds the record stays readable but recedes: thinner, paler, never on top.
  function contextStyle(base) {
    return Object.assign({}, base, {
      weight: Math.max(1, (base.weight || 2) - 1),
      opacity: 0.7,
      fillOpacity: Math.min(base.fillOpacity === undefined ? 0.2 : base.fillOpacity, 0.15)
    });
  }

  // L.geoJSON styles points too, so circle markers take all their looks from style().
  function pointLayer(colours, props, latlng) {
    if (props.radius_m) {
      return L.circle(latlng, { radius: props.radius_m });
    }
    var big = ["incident", "finding", "notice"].indexOf(props.layer) >= 0 && !props.context;
    return L.circleMarker(latlng, { radius: big ? 8 : 6 });
  }

  // Built with DOM nodes and textContent so record text can never inject markup.
  function popup(props, dir) {
    if (!props.label && !props.detail) {
      return null;
    }
    var root = document.createElement("div");
    root.dir = dir;
    var title = document.createElement("strong");
    title.textContent = props.label || "";
    root.appendChild(title);
    if (props.received_text) {
      var received = document.createElement("p");
      received.className = "popup-received";
      received.textContent = props.received_text;
      root.appendChild(received);
    }
    if (props.detail) {
      var detail = document.createElement("p");
      detail.textContent = props.detail;
      root.appendChild(detail);
    }
    if (props.href) {
      var link = document.createElement("a");
      link.href = props.href;
      link.textContent = props.link_text || props.href;
      root.appendChild(link);
    }
    return root;
  }

  function fetchJson(url) {
    return fetch(url, { headers: { Accept: "application/geo+json, application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(url + ": HTTP " + response.status);
        }
        return response.json();
      });
  }

  function boundaries(map, url) {
    if (!url) {
      return Promise.resolve(null);
    }
    return fetchJson(url).then(function (geojson) {
      var layer = L.geoJSON(geojson, {
        interactive: false,
        style: { color: "#9ca3af", weight: 1, fillColor: "#ffffff", fillOpacity: 0.6 }
      }).addTo(map);
      layer.bringToBack();
      return layer;
    });
  }

  function initMap(el) {
    var dir = document.documentElement.dir === "rtl" ? "rtl" : "ltr";
    var colours = readJson(el.dataset.colours, {});
    var source = el.dataset.source ? document.getElementById(el.dataset.source) : null;
    var data = readJson(source ? source.textContent : "", { type: "FeatureCollection", features: [] });
    var map = TansiqMapBase.create(el, { center: IRAQ_CENTER, zoom: 6 }, el.dataset.tileUrl);
    var count = 0;
    var layer = L.geoJSON(data, {
      style: function (feature) {
        var props = feature.properties || {};
        var look = style(colours, props);
        return props.context ? contextStyle(look) : look;
      },
      pointToLayer: function (feature, latlng) {
        return pointLayer(colours, feature.properties || {}, latlng);
      },
      onEachFeature: function (feature, featureLayer) {
        count += 1;
        var props = feature.properties || {};
        var content = popup(props, dir);
        if (content) {
          featureLayer.bindPopup(content);
        }
        if (props.layer === "site" && props.label) {
          featureLayer.bindTooltip(props.label, {
            permanent: true, direction: "top", className: "map-label site-label"
          });
        }
      }
    }).addTo(map);
    // Points and incidents above areas, the plan outline above what it overlaps; the
    // record itself above what surrounds it. The first view frames the record alone.
    var bounds = L.latLngBounds([]);
    var all = layer.getBounds();
    layer.eachLayer(function (item) {
      var props = (item.feature && item.feature.properties) || {};
      if (props.context) {
        item.bringToBack();
        return;
      }
      bounds.extend(item.getBounds ? item.getBounds() : item.getLatLng());
      if (["incident", "plan", "area", "notice"].indexOf(props.layer) >= 0) {
        item.bringToFront();
      }
    });
    if (!bounds.isValid()) {
      bounds = all;
    }
    return boundaries(map, el.dataset.boundariesUrl)
      .then(function (outlines) {
        if (bounds.isValid()) {
          map.fitBounds(bounds, { padding: [16, 16], maxZoom: 12 });
        } else if (outlines && outlines.getBounds().isValid()) {
          map.fitBounds(outlines.getBounds(), { padding: [12, 12] });
        }
        el.dataset.featureCount = String(count);
        el.dataset.mapReady = "true";
      })
      .catch(function (err) {
        el.dataset.mapError = String(err && err.message ? err.message : err);
        console.error("geo-map:", err);
      });
  }

  function initAll() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-geo-map]"), function (el) {
      if (!el.dataset.mapInitialised) {
        el.dataset.mapInitialised = "true";
        initMap(el);
      }
    });
  }

  window.TansiqGeoMap = { init: initMap };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initAll);
  } else {
    initAll();
  }
})();
