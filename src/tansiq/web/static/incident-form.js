/*
 * Tansiq incident form helpers. Plain script, no build step; the server validates anyway.
 *
 * - The sub-event type select shows only the sub-types of the chosen event type
 *   (<optgroup data-event-type="...">).
 * - The place search box (<div data-place-search="/places" hidden>) is shown, and a
 *   result fills place_name (in the page's language), lat and lon from the gazetteer.
 * - The point map (<div data-point-map hidden>, needs leaflet.js and map-base.js first):
 *   a click places the point; typed or searched coordinates move it; the district and
 *   governorate the server will derive are shown in <p data-point-area data-locate-url>.
 */
(function () {
  "use strict";

  function filterSubTypes(form) {
    var type = form.elements.namedItem("event_type");
    var sub = form.elements.namedItem("sub_event_type");
    if (!type || !sub) {
      return;
    }
    function apply() {
      var chosen = type.value;
      Array.prototype.forEach.call(sub.querySelectorAll("optgroup"), function (group) {
        var match = !chosen || group.dataset.eventType === chosen;
        group.hidden = !match;
        group.disabled = !match;
      });
      var selected = sub.options[sub.selectedIndex];
      if (selected && selected.parentElement.disabled) {
        sub.value = "";
      }
    }
    type.addEventListener("change", apply);
    apply();
  }

  function placeLabel(place) {
    return place.area ? place.name + " — " + place.area : place.name;
  }

  function placeSearch(form) {
    var box = form.querySelector("[data-place-search]");
    if (!box || !window.fetch) {
      return;
    }
    var input = box.querySelector("input[type=search]");
    var button = box.querySelector("button");
    var list = box.querySelector("[data-place-results]");
    box.hidden = false;

    function choose(place) {
      // One spelling per place: the name the result showed, in the page's language.
      form.elements.namedItem("place_name").value = place.name;
      form.elements.namedItem("lat").value = place.lat.toFixed(5);
      form.elements.namedItem("lon").value = place.lon.toFixed(5);
      form.elements.namedItem("lon").dispatchEvent(new Event("change"));
      list.replaceChildren();
      form.elements.namedItem("place_name").focus();
    }

    function show(places) {
      list.replaceChildren();
      if (!places.length) {
        var empty = document.createElement("li");
        empty.className = "muted";
        empty.textContent = box.dataset.noResults || "";
        list.appendChild(empty);
        return;
      }
      places.forEach(function (place) {
        var item = document.createElement("li");
        var pick = document.createElement("button");
        pick.type = "button";
        pick.className = "button-link";
        // textContent, never innerHTML: place names come from data files.
        pick.textContent = placeLabel(place);
        pick.addEventListener("click", function () {
          choose(place);
        });
        item.appendChild(pick);
        list.appendChild(item);
      });
    }

    function run() {
      var query = input.value.trim();
      if (!query) {
        list.replaceChildren();
        return;
      }
      fetch(box.dataset.placeSearch + "?q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" },
        credentials: "same-origin"
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("place search: HTTP " + response.status);
          }
          return response.json();
        })
        .then(show)
        .catch(function (err) {
          console.error(err);
        });
    }

    button.addEventListener("click", run);
    input.addEventListener("keydown", function (event) {
      // Enter searches instead of submitting the incident form.
      if (event.key === "Enter") {
        event.preventDefault();
        run();
      }
    });
  }

  function readPoint(form) {
    var lat = parseFloat(form.elements.namedItem("lat").value);
    var lon = parseFloat(form.elements.namedItem("lon").value);
    if (!isFinite(lat) || !isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
      return null;
    }
    return [lat, lon];
  }

  function pointMap(form) {
    var el = form.querySelector("[data-point-map]");
    var where = form.querySelector("[data-point-area]");
    if (!el || !where || !window.L || !window.TansiqMapBase || !window.fetch) {
      return;
    }
    el.hidden = false;
    var map = TansiqMapBase.create(el, { center: [34.5, 44.5], zoom: 6 }, el.dataset.tileUrl);
    var marker = null;
    var asked = 0;

    function describe(point) {
      var ticket = ++asked;
      var url = where.dataset.locateUrl + "?lat=" + point[0] + "&lon=" + point[1];
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          return response.json();
        })
        .then(function (body) {
          // Only the answer to the latest point counts: clicks may outrun a slow link.
          if (ticket === asked) {
            where.textContent = body.text || "";
            where.dataset.inside = String(Boolean(body.inside));
          }
        })
        .catch(function (err) {
          console.error("locate:", err);
        });
    }

    function show(recentre) {
      var point = readPoint(form);
      if (!point) {
        if (marker) {
          marker.remove();
          marker = null;
        }
        where.textContent = "";
        delete where.dataset.inside;
        return;
      }
      if (!marker) {
        marker = L.circleMarker(point, {
          radius: 8, color: "#450a0a", weight: 2, fillColor: "#ef4444", fillOpacity: 0.9
        }).addTo(map);
      } else {
        marker.setLatLng(point);
      }
      if (recentre) {
        map.setView(point, Math.max(map.getZoom(), 10));
      }
      el.dataset.pointPlaced = "true";
      describe(point);
    }

    map.on("click", function (event) {
      form.elements.namedItem("lat").value = event.latlng.lat.toFixed(5);
      form.elements.namedItem("lon").value = event.latlng.lng.toFixed(5);
      show(false);
    });
    ["lat", "lon"].forEach(function (name) {
      form.elements.namedItem(name).addEventListener("change", function () {
        show(true);
      });
    });
    var outlines = el.dataset.boundariesUrl
      ? fetch(el.dataset.boundariesUrl, { credentials: "same-origin" }).then(function (response) {
          return response.json();
        })
      : Promise.resolve(null);
    outlines
      .then(function (geojson) {
        if (geojson) {
          L.geoJSON(geojson, {
            interactive: false,
            style: { color: "#9ca3af", weight: 1, fillColor: "#ffffff", fillOpacity: 0.5 }
          }).addTo(map).bringToBack();
        }
        show(true);
        el.dataset.mapReady = "true";
      })
      .catch(function (err) {
        el.dataset.mapError = String(err && err.message ? err.message : err);
        console.error("point map:", err);
      });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-incident-form]"), function (form) {
      filterSubTypes(form);
      placeSearch(form);
      pointMap(form);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
