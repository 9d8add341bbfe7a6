/*
 * What orients a reader of the common operating picture: governorate and district lines
 * with their names, and towns from the gazetteer in the page's language, as many as the
 * zoom has room for. Plain script, no build step; load it after leaflet.js, before map.js.
 *
 *   TansiqLabels.boundaries(map, govGeojson, districtGeojson, lang) -> {layer, counts}
 *   TansiqLabels.towns(map, townsGeojson) -> {layer, update()}
 *
 * Names are plain text in non-interactive divIcon markers (never markup from data) in the
 * "labels" pane, which lets clicks through to the features below.
 */
(function () {
  "use strict";

  // Governorate names until districts have room, district names from there on.
  var DISTRICT_LABEL_ZOOM = 8;
  // The smallest town shown at each zoom (first match wins): big places first.
  var TOWN_THRESHOLDS = [
    [6.5, 750000],
    [7.25, 250000],
    [8, 80000],
    [9, 20000],
    [10, 5000],
    [Infinity, 0]
  ];
  // Two town names closer than this (pixels) would overlap: the smaller one waits.
  var TOWN_SPACING = 70;
  // A town name this close (pixels) to a governorate or district name would cover it.
  var ADMIN_SPACING = 18;
  // Cities this big keep their name even over a district's: Baghdad is not "Al-Rusafa".
  var ALWAYS_NAMED = 250000;

  function labelPane(map) {
    if (!map.getPane("labels")) {
      var pane = map.createPane("labels");
      pane.classList.add("map-label-pane");
    }
    return "labels";
  }

  function nameOf(props, lang) {
    // District names exist in English and Arabic: Kurdish pages read the Arabic script.
    if (lang === "ckb") {
      return props.name_ckb || props.name_ar || props.name_en || "";
    }
    return props["name_" + lang] || props.name_en || props.name || "";
  }

  function textMarker(map, latlng, text, className) {
    var span = document.createElement("span");
    span.textContent = text;
    return L.marker(latlng, {
      pane: labelPane(map),
      interactive: false,
      keyboard: false,
      icon: L.divIcon({ className: "map-label " + className, html: span, iconSize: null })
    });
  }

  function labelPoint(feature, layer) {
    var at = feature.properties && feature.properties.label;
    return at ? L.latLng(at[1], at[0]) : layer.getBounds().getCenter();
  }

  function boundaries(map, governorates, districts, lang) {
    var govLabels = L.layerGroup();
    var districtLabels = L.layerGroup();
    var districtLines = L.geoJSON(districts || { type: "FeatureCollection", features: [] }, {
      interactive: false,
      style: { color: "#9ca3af", weight: 0.8, dashArray: "3 3", fill: false }
    });
    districtLines.eachLayer(function (layer) {
      var name = nameOf(layer.feature.properties, lang);
      if (name) {
        districtLabels.addLayer(
          textMarker(map, labelPoint(layer.feature, layer), name, "district-label"));
      }
    });
    var govLines = L.geoJSON(governorates, {
      style: {
        color: "#4b5563",
        weight: 1.6,
        opacity: 0.9,
        fill: true,
        fillColor: "#ffffff",
        fillOpacity: 0.6
      },
      onEachFeature: function (feature, layer) {
        var name = nameOf(feature.properties, lang);
        if (name) {
          layer.bindTooltip(name, { sticky: true, direction: "auto" });
          govLabels.addLayer(textMarker(map, labelPoint(feature, layer), name, "governorate-label"));
        }
      }
    });
    var group = L.layerGroup([govLines, districtLines]);

    function update() {
      var zoom = map.getZoom();
      var showDistricts = zoom >= DISTRICT_LABEL_ZOOM;
      if (showDistricts) {
        map.removeLayer(govLabels);
        map.addLayer(districtLabels);
      } else {
        map.removeLayer(districtLabels);
        map.addLayer(govLabels);
      }
    }

    // Only district names: a governorate's name may sit by its capital's at country view.
    function labelPoints() {
      return map.hasLayer(districtLabels) ? districtLabels.getLayers().map(function (marker) {
        return marker.getLatLng();
      }) : [];
    }

    return {
      layer: group,
      lines: govLines,
      labelPoints: labelPoints,
      counts: {
        governorates: govLines.getLayers().length,
        districts: districtLines.getLayers().length
      },
      update: update,
      show: function (visible) {
        if (visible) {
          map.addLayer(group);
          update();
        } else {
          [group, govLabels, districtLabels].forEach(function (layer) {
            map.removeLayer(layer);
          });
        }
      }
    };
  }

  function minimumPopulation(zoom) {
    for (var i = 0; i < TOWN_THRESHOLDS.length; i += 1) {
      if (zoom < TOWN_THRESHOLDS[i][0]) {
        return TOWN_THRESHOLDS[i][1];
      }
    }
    return 0;
  }

  // reserved(): latlngs of other names on the map (governorates, districts) to keep clear of.
  function towns(map, geojson, reserved) {
    // Biggest first, so a big town always wins the room over a small neighbour.
    var places = (geojson.features || []).slice().sort(function (a, b) {
      return (b.properties.rank || 0) - (a.properties.rank || 0);
    }).map(function (feature) {
      var coords = feature.geometry.coordinates;
      var latlng = L.latLng(coords[1], coords[0]);
      var marker = textMarker(map, latlng, feature.properties.name, "town-label");
      return { latlng: latlng, population: feature.properties.population || 0, marker: marker };
    });
    var group = L.layerGroup();
    var visible = true;

    function update() {
      group.clearLayers();
      if (!visible) {
        return;
      }
      var least = minimumPopulation(map.getZoom());
      var bounds = map.getBounds().pad(0.2);
      var taken = [];
      var others = (reserved ? reserved() : []).map(function (latlng) {
        return map.latLngToContainerPoint(latlng);
      });
      places.forEach(function (place) {
        if (place.population < least || !bounds.contains(place.latlng)) {
          return;
        }
        var point = map.latLngToContainerPoint(place.latlng);
        var crowded = taken.some(function (other) {
          return other.distanceTo(point) < TOWN_SPACING;
        }) || (place.population < ALWAYS_NAMED && others.some(function (other) {
          return other.distanceTo(point) < ADMIN_SPACING;
        }));
        if (!crowded) {
          taken.push(point);
          group.addLayer(place.marker);
        }
      });
      map.getContainer().dataset.townLabelCount = String(group.getLayers().length);
    }

    group.addTo(map);
    map.on("zoomend moveend", update);
    update();
    return {
      layer: group,
      update: update,
      show: function (on) {
        visible = on;
        update();
      }
    };
  }

  window.TansiqLabels = { boundaries: boundaries, towns: towns, nameOf: nameOf };
})();
