/*
 * The picture's other layers: sectors by party, protected sites, coverage gaps, active
 * notices and operations, fetched from /map/layers/<name>.geojson for the filter bar's
 * period. Plain script, no build step; load it after leaflet.js, before map.js.
 *
 *   TansiqLayers.load(map, url, name, labels) -> Promise of {name, layer, features}
 *
 * Feature properties used (added by the server in the page's language): layer, id, name,
 * kind_label, status_label, party_label, colour, href, radius_m and the *_label times.
 * Popups are DOM built with textContent, never markup from data.
 */
(function () {
  "use strict";

  var NEUTRAL = "#4b5563";
  var GAP = "#b91c1c";
  var STYLES = {
    sectors: function (props) {
      return { color: props.colour || NEUTRAL, weight: 2, fillOpacity: 0.15 };
    },
    sites: function () {
      return { color: "#065f46", weight: 2, fillColor: "#10b981", fillOpacity: 0.3 };
    },
    gaps: function () {
      return { color: GAP, weight: 1.5, dashArray: "6 4", fillColor: GAP, fillOpacity: 0.2 };
    },
    notices: function (props) {
      return { color: props.colour || NEUTRAL, weight: 2, dashArray: "2 4", fillOpacity: 0.1 };
    },
    operations: function (props) {
      return { color: props.colour || NEUTRAL, weight: 3, dashArray: "10 5", fillOpacity: 0.08 };
    }
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

  function when(props) {
    var from = props.valid_from_label || props.starts_at_label || "";
    var to = props.valid_until_label || props.ends_at_label || "";
    return from && to ? from + " – " + to : from || to;
  }

  // One row of popup or list: what the record is, whose, its state and time.
  function describe(props, labels) {
    return [
      [labels.name, props.name],
      [labels.kind, props.kind_label],
      [labels.party, props.party_label],
      [labels.status, props.status_label],
      [labels.in_force, when(props)]
    ];
  }

  function popupContent(props, labels, dir) {
    var root = document.createElement("div");
    root.dir = dir;
    var list = document.createElement("dl");
    describe(props, labels).forEach(function (pair) {
      if (!pair[1]) {
        return;
      }
      var dt = document.createElement("dt");
      dt.textContent = pair[0];
      var dd = document.createElement("dd");
      dd.textContent = String(pair[1]);
      list.appendChild(dt);
      list.appendChild(dd);
    });
    root.appendChild(list);
    if (props.href) {
      var link = document.createElement("a");
      link.href = props.href;
      link.textContent = labels.details;
      root.appendChild(link);
    }
    return root;
  }

  function draw(map, name, geojson, labels) {
    var dir = document.documentElement.dir === "rtl" ? "rtl" : "ltr";
    var style = STYLES[name] || STYLES.sectors;
    return L.geoJSON(geojson, {
      style: function (feature) {
        return style(feature.properties || {});
      },
      pointToLayer: function (feature, latlng) {
        var props = feature.properties || {};
        // A post covers a circle of its radius; a site or notice point gets a small ring.
        if (props.radius_m) {
          return L.circle(latlng, Object.assign({ radius: props.radius_m }, style(props)));
        }
        return L.circleMarker(latlng, Object.assign({ radius: 7 }, style(props)));
      },
      onEachFeature: function (feature, layer) {
        var props = feature.properties || {};
        layer.bindPopup(popupContent(props, labels, dir));
        if (props.name) {
          layer.bindTooltip(props.name, { sticky: true });
        }
      }
    });
  }

  function load(map, url, name, labels) {
    return fetchJson(url).then(function (geojson) {
      return {
        name: name,
        layer: draw(map, name, geojson, labels),
        features: geojson.features || [],
        area: geojson.area || ""
      };
    });
  }

  window.TansiqLayers = { load: load, describe: describe, when: when, STYLES: STYLES };
})();
