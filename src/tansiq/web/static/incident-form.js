/*
 * Tansiq incident form helpers. Plain script, no build step; the server validates anyway.
 *
 * - The sub-event type select shows only the sub-types of the chosen event type
 *   (<optgroup data-event-type="...">).
 * - The place search box (<div data-place-search="/places" hidden>) is shown, and a
 *   result fills place_name, lat and lon from the gazetteer.
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
      form.elements.namedItem("place_name").value = place.name_en;
      form.elements.namedItem("lat").value = place.lat.toFixed(5);
      form.elements.namedItem("lon").value = place.lon.toFixed(5);
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

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-incident-form]"), function (form) {
      filterSubTypes(form);
      placeSearch(form);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
