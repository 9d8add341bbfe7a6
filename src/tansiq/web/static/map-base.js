/*
 * What every Tansiq map shares: the Leaflet map itself with translated zoom controls, the
 * credits the shipped data's licences require, and the optional tile layer. Plain script,
 * no build step; load it after /static/vendor/leaflet.js and before map.js, geo-map.js or
 * draw.js.
 *
 * The translated words come from <script type="application/json" id="map-chrome"> that
 * base.html puts on every page: {"zoom_in", "zoom_out", "credits", "leaflet"}.
 *
 *   var map = TansiqMapBase.create(el, { center: [33.3, 44.0], zoom: 6 }, el.dataset.tileUrl);
 *
 * Options are Leaflet's L.map options; zoomControl and attributionControl are always ours.
 */
(function () {
  "use strict";

  var ENGLISH = {
    zoom_in: "Zoom in",
    zoom_out: "Zoom out",
    credits: "Boundaries: OCHA, CSO, ITOS (CC BY-IGO) · Places: GeoNames (CC BY 4.0)",
    leaflet: "Leaflet"
  };

  function chrome() {
    var words = Object.assign({}, ENGLISH);
    var holder = document.getElementById("map-chrome");
    if (holder) {
      try {
        Object.assign(words, JSON.parse(holder.textContent));
      } catch (err) {
        console.warn("map-base: map-chrome is not JSON", err);
      }
    }
    return words;
  }

  // Text nodes only: the credits are our own words, but nothing here builds markup from data.
  function creditsElement(words) {
    var span = document.createElement("span");
    span.className = "map-credits";
    span.textContent = words.credits;
    return span;
  }

  function create(el, options, tileUrl) {
    var words = chrome();
    var rtl = document.documentElement.dir === "rtl";
    var settings = Object.assign({ zoomSnap: 0.25 }, options || {}, {
      zoomControl: false,
      attributionControl: false
    });
    var map = L.map(el, settings);
    L.control.zoom({
      position: rtl ? "topright" : "topleft",
      zoomInTitle: words.zoom_in,
      zoomOutTitle: words.zoom_out
    }).addTo(map);
    // The leaflet link is kept, without the flag Leaflet 1.9 adds to its prefix.
    var leaflet = document.createElement("a");
    leaflet.href = "https://leafletjs.com";
    leaflet.textContent = words.leaflet;
    var attribution = L.control.attribution({
      position: rtl ? "bottomleft" : "bottomright",
      prefix: leaflet.outerHTML
    }).addTo(map);
    attribution.addAttribution(creditsElement(words).outerHTML);
    var url = (tileUrl || "").trim();
    if (url) {
      L.tileLayer(url, { maxZoom: 18, attribution: el.dataset.tileAttribution || "" }).addTo(map);
    }
    return map;
  }

  window.TansiqMapBase = { create: create, words: chrome };
})();
