/*
 * Tansiq common operating picture (/map). Plain script, no build step; needs, in order,
 * vendor/leaflet.js, vendor/leaflet.markercluster.js (optional: without it no clustering),
 * map-base.js, map-symbols.js, map-labels.js, map-layers.js, map-legend.js.
 *
 * Markup:
 *   <div id="incident-map" class="map"
 *        data-boundaries-url  data-districts-url  data-towns-url   shipped GeoJSON
 *        data-incidents-url                                        incidents (filter bar)
 *        data-layers-url="/map/layers/{layer}.geojson?..."         other layers
 *        data-tile-url=""      optional {z}/{x}/{y} template; none offline
 *        data-labels='{...}'   translated words
 *        data-event-types='[[value, label]…]' data-parties='[[label, colour]…]'>
 *   </div>
 *   <fieldset data-map-layers> checkboxes name="layer" value=incidents|boundaries|towns|
 *        sectors|sites|gaps|notices|operations </fieldset>
 *   <div data-map-legend></div>  <section data-map-list></section>
 * Incident feature properties used: id, event_type(_label), occurred_at(_label), place_name,
 * party(_label), colour, status(_label), disputed (true while a dispute is open),
 * time_precision_label, geo_precision_label, received_text.
 * When drawn the map div gets data-map-ready="true", data-marker-count,
 * data-governorate-count, data-district-count and data-town-label-count; a layer's
 * checkbox gets data-loaded="true" once drawn; a failed fetch sets data-map-error.
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
  var EMPTY = { type: "FeatureCollection", features: [] };

  function fetchJson(url) {
    return fetch(url, { headers: { Accept: "application/geo+json, application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(url + ": HTTP " + response.status);
        }
        return response.json();
      });
  }

  function readJson(text, fallback) {
    try {
      return text ? JSON.parse(text) : fallback;
    } catch (err) {
      console.warn("map: bad JSON", err);
      return fallback;
    }
  }

  function fail(el, err) {
    el.dataset.mapError = String(err && err.message ? err.message : err);
    console.error("map:", err);
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
    row(labels.party, props.party_label || props.party);
    row(labels.status, props.status_label || props.status);
    row(labels.time_precision, props.time_precision_label);
    row(labels.geo_precision, props.geo_precision_label);
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

  function incidentTitle(props) {
    return [props.event_type_label || props.event_type, props.place_name,
      props.occurred_at_label, props.party_label, props.status_label]
      .filter(Boolean).join(" · ");
  }

  // A real focusable element per incident: Tab reaches it, Enter opens its popup.
  function incidentMarker(feature, latlng, labels, dir) {
    var props = feature.properties || {};
    var status = TansiqSymbols.shownStatus(props);
    var holder = document.createElement("span");
    holder.appendChild(TansiqSymbols.svg(props.event_type, props.colour, status));
    var half = TansiqSymbols.SIZE / 2;
    var title = incidentTitle(props);
    var marker = L.marker(latlng, {
      keyboard: true,
      title: title,
      riseOnHover: true,
      icon: L.divIcon({
        className: "incident-marker" + (status ? " incident-" + status : ""),
        html: holder,
        iconSize: [TansiqSymbols.SIZE, TansiqSymbols.SIZE],
        iconAnchor: [half, half],
        popupAnchor: [0, -half]
      })
    });
    marker.on("add", function () {
      var icon = marker.getElement();
      icon.setAttribute("aria-label", title);
      icon.dataset.id = props.id || "";
      icon.dataset.eventType = props.event_type || "";
      icon.dataset.party = props.party || "";
      icon.dataset.status = status;
    });
    marker.bindPopup(popupContent(props, labels, dir));
    return marker;
  }

  function clusterIcon(labels) {
    return function (cluster) {
      var count = cluster.getChildCount();
      var holder = document.createElement("span");
      var number = document.createElement("span");
      number.setAttribute("aria-hidden", "true");
      number.textContent = String(count);
      var words = document.createElement("span");
      words.className = "visually-hidden";
      words.textContent = (labels.cluster || "{count}").replace("{count}", String(count));
      holder.appendChild(number);
      holder.appendChild(words);
      var size = count < 10 ? 30 : count < 100 ? 36 : 42;
      return L.divIcon({ className: "incident-cluster", html: holder, iconSize: [size, size] });
    };
  }

  function incidentGroup(labels) {
    if (typeof L.markerClusterGroup !== "function") {
      return L.featureGroup();
    }
    return L.markerClusterGroup({
      maxClusterRadius: 40,
      disableClusteringAtZoom: 11,
      showCoverageOnHover: false,
      iconCreateFunction: clusterIcon(labels)
    });
  }

  // Keyboard users land in the popup they opened, and Escape brings them back.
  function keyboardPopups(map) {
    var opener = null;
    map.on("popupopen", function (e) {
      var active = document.activeElement;
      if (!active || !active.classList || !active.classList.contains("incident-marker")) {
        return;
      }
      opener = active;
      var link = e.popup.getElement().querySelector(".leaflet-popup-content a");
      if (link) {
        link.focus();
      }
    });
    map.getContainer().addEventListener("keydown", function (event) {
      if (event.key === "Escape" && opener && map.getContainer().querySelector(".leaflet-popup")) {
        map.closePopup();
        opener.focus();
        opener = null;
      }
    });
  }

  function incidentRows(features) {
    return features.map(function (f) {
      var p = f.properties || {};
      return {
        id: p.id,
        name: [p.event_type_label, p.place_name].filter(Boolean).join(" · "),
        party: p.party_label,
        status: p.status_label,
        when: p.occurred_at_label,
        href: "/incidents/" + encodeURIComponent(p.id)
      };
    });
  }

  function layerRows(features, labels) {
    return features.map(function (f) {
      var p = f.properties || {};
      return {
        id: p.id,
        name: [p.name, p.kind_label].filter(Boolean).join(" · "),
        party: p.party_label,
        status: p.status_label,
        when: TansiqLayers.when(p),
        href: p.href
      };
    });
  }

  function initMap(el) {
    var lang = document.documentElement.lang || "en";
    var dir = document.documentElement.dir === "rtl" ? "rtl" : "ltr";
    var labels = Object.assign({}, DEFAULT_LABELS, readJson(el.dataset.labels, {}));
    var map = TansiqMapBase.create(el, {
      center: IRAQ_CENTER, zoom: IRAQ_ZOOM, minZoom: 5, maxZoom: 18, preferCanvas: true
    }, el.dataset.tileUrl);
    keyboardPopups(map);
    var switcher = document.querySelector("[data-map-layers]");
    var legendHolder = document.querySelector("[data-map-legend]");
    var list = TansiqLegend.list(document.querySelector("[data-map-list]") ||
      document.createElement("section"), labels);
    if (legendHolder) {
      TansiqLegend.legend(legendHolder, {
        eventTypes: readJson(el.dataset.eventTypes, []),
        parties: readJson(el.dataset.parties, []),
        labels: labels
      });
    }
    var handles = {};

    function checkbox(name) {
      return switcher ? switcher.querySelector("input[value='" + name + "']") : null;
    }
    function wanted(name) {
      var box = checkbox(name);
      return box ? box.checked : ["incidents", "boundaries", "towns"].indexOf(name) >= 0;
    }
    function loaded(name, handle) {
      handles[name] = handle;
      var box = checkbox(name);
      if (box) {
        box.dataset.loaded = "true";
      }
      show(name, wanted(name));
    }
    function show(name, on) {
      var handle = handles[name];
      list.show(name, on);
      if (!handle) {
        return;
      }
      if (handle.show) {
        handle.show(on);
      } else if (on) {
        map.addLayer(handle.layer);
      } else {
        map.removeLayer(handle.layer);
      }
      if (name === "boundaries" && handles.towns) {
        handles.towns.update();
      }
    }

    var boundaries = Promise.all([
      fetchJson(el.dataset.boundariesUrl),
      el.dataset.districtsUrl ? fetchJson(el.dataset.districtsUrl) : Promise.resolve(EMPTY)
    ]).then(function (answers) {
      var drawn = TansiqLabels.boundaries(map, answers[0], answers[1], lang);
      el.dataset.governorateCount = String(drawn.counts.governorates);
      el.dataset.districtCount = String(drawn.counts.districts);
      map.on("zoomend", drawn.update);
      if (drawn.lines.getBounds().isValid()) {
        map.fitBounds(drawn.lines.getBounds(), { padding: [12, 12] });
      }
      loaded("boundaries", drawn);
    });

    var towns = el.dataset.townsUrl
      ? boundaries.then(function () {
        return fetchJson(el.dataset.townsUrl);
      }).then(function (geojson) {
        var admin = handles.boundaries;
        loaded("towns", TansiqLabels.towns(map, geojson, function () {
          return admin && map.hasLayer(admin.layer) ? admin.labelPoints() : [];
        }));
      })
      : Promise.resolve();

    var incidents = fetchJson(el.dataset.incidentsUrl).then(function (geojson) {
      var group = incidentGroup(labels);
      var features = (geojson.features || []).filter(function (f) {
        return f.geometry && f.geometry.type === "Point";
      });
      features.forEach(function (feature) {
        var c = feature.geometry.coordinates;
        group.addLayer(incidentMarker(feature, L.latLng(c[1], c[0]), labels, dir));
      });
      el.dataset.markerCount = String(features.length);
      list.set("incidents", incidentRows(features));
      loaded("incidents", { layer: group });
    });

    function loadLayer(name) {
      if (handles[name] || !el.dataset.layersUrl) {
        return Promise.resolve();
      }
      handles[name] = { layer: L.layerGroup(), pending: true };
      var url = el.dataset.layersUrl.replace("{layer}", encodeURIComponent(name));
      return TansiqLayers.load(map, url, name, labels).then(function (drawn) {
        list.set(name, layerRows(drawn.features, labels));
        if (name === "gaps" && drawn.area) {
          var note = document.querySelector("[data-gap-area]");
          if (note) {
            note.textContent = (labels.gap_area || "{area}").replace("{area}", drawn.area);
            note.hidden = false;
          }
        }
        loaded(name, { layer: drawn.layer });
      }).catch(function (err) {
        delete handles[name];
        fail(el, err);
      });
    }

    var overlays = ["sectors", "sites", "gaps", "notices", "operations"];
    if (switcher) {
      switcher.addEventListener("change", function (event) {
        var box = event.target;
        if (!box || box.name !== "layer") {
          return;
        }
        if (overlays.indexOf(box.value) >= 0 && !handles[box.value]) {
          loadLayer(box.value);
        } else {
          show(box.value, box.checked);
        }
      });
    }
    var first = overlays.filter(wanted).map(loadLayer);

    return Promise.all([boundaries, towns, incidents].concat(first))
      .then(function () {
        el.dataset.mapReady = "true";
      })
      .catch(function (err) {
        fail(el, err);
      })
      .then(function () {
        return map;
      });
  }

  function initAll() {
    var nodes = document.querySelectorAll("#incident-map[data-incidents-url]");
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
