/*
 * The incidents of the common operating picture: one focusable Leaflet marker per
 * incident (Tab reaches it, Enter opens its popup and focuses the link in it, Escape
 * brings the focus back), clusters a keyboard can open too, popups with party, status
 * and precision, and the rows of the list alternative. Plain script, no build step; load
 * it after map-symbols.js (and vendor/leaflet.markercluster.js, optional), before map.js.
 *
 *   TansiqIncidents.marker(feature, latlng, labels, dir) -> L.Marker
 *   TansiqIncidents.group(labels) -> a marker cluster group (a feature group without it)
 *   TansiqIncidents.keyboardPopups(map); TansiqIncidents.rows(features) -> list rows
 */
(function () {
  "use strict";

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

  window.TansiqIncidents = {
    marker: incidentMarker,
    group: incidentGroup,
    keyboardPopups: keyboardPopups,
    rows: incidentRows,
    popupContent: popupContent
  };
})();
