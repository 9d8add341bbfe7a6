/*
 * The legend of the common operating picture and its list alternative: the same features
 * as the map, as a table a keyboard or screen-reader user can read, each row linking to
 * its record. Plain script, no build step; load it after map-symbols.js, before map.js.
 *
 *   TansiqLegend.legend(holder, {eventTypes, parties, labels})
 *   var list = TansiqLegend.list(holder, labels); list.set(name, rows); list.show(name, on)
 *
 * eventTypes and parties are [value, label] / [label, colour] pairs from the page. Every
 * text goes in with textContent: nothing here builds markup from data.
 */
(function () {
  "use strict";

  function el(name, className, text) {
    var node = document.createElement(name);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  function entry(list, symbol, text) {
    var item = el("li", "legend-entry");
    item.appendChild(symbol);
    item.appendChild(el("span", "legend-text", text));
    list.appendChild(item);
  }

  function swatch(className) {
    return el("span", "legend-swatch " + className);
  }

  function section(holder, title) {
    holder.appendChild(el("h3", "legend-title", title));
    var list = el("ul", "legend-list");
    holder.appendChild(list);
    return list;
  }

  function legend(holder, options) {
    var labels = options.labels;
    holder.textContent = "";
    holder.appendChild(el("h2", "map-panel-title", labels.legend));
    var shapes = section(holder, labels.event_shapes);
    options.eventTypes.forEach(function (pair) {
      entry(shapes, TansiqSymbols.svg(pair[0], null, ""), pair[1]);
    });
    var parties = section(holder, labels.party_outlines);
    options.parties.forEach(function (pair) {
      entry(parties, TansiqSymbols.svg("", pair[1], ""), pair[0]);
    });
    var states = section(holder, labels.status);
    entry(states, TansiqSymbols.svg("", null, "disputed"), labels.disputed);
    entry(states, TansiqSymbols.svg("", null, "retracted"), labels.retracted);
    var layers = section(holder, labels.layers);
    entry(layers, swatch("swatch-boundary"), labels.boundaries);
    ["sectors", "sites", "gaps", "notices", "operations"].forEach(function (name) {
      entry(layers, swatch("swatch-layer-" + name), labels[name]);
    });
    holder.dataset.legendReady = "true";
  }

  // The table of what the map shows, one <tbody> per layer so a layer hides as one.
  function list(holder, labels) {
    holder.textContent = "";
    var heading = el("h2", "map-list-title", labels.list);
    heading.id = "map-list-title";
    holder.appendChild(heading);
    var empty = el("p", "muted map-list-empty", labels.empty);
    holder.appendChild(empty);
    var wrap = el("div", "table-wrap");
    var table = el("table", "table map-list");
    table.setAttribute("aria-labelledby", "map-list-title");
    // Built after layout.js labelled the page's tables: label this one the same way, so
    // a phone shows each row as a card.
    table.setAttribute("data-cards", "");
    var headings = [labels.layer, labels.name, labels.party, labels.status, labels.when];
    var head = el("thead");
    var row = el("tr");
    headings.concat([""]).forEach(
      function (text) {
        var th = el("th", "", text);
        th.scope = "col";
        row.appendChild(th);
      });
    head.appendChild(row);
    table.appendChild(head);
    wrap.appendChild(table);
    holder.appendChild(wrap);
    var bodies = {};
    var shown = {};

    function refresh() {
      var any = Object.keys(bodies).some(function (name) {
        return shown[name] && bodies[name].rows.length > 0;
      });
      empty.hidden = any;
      wrap.hidden = !any;
    }

    function set(name, rows) {
      var body = bodies[name];
      if (!body) {
        body = el("tbody");
        body.dataset.layer = name;
        table.appendChild(body);
        bodies[name] = body;
        shown[name] = true;
      }
      body.textContent = "";
      rows.forEach(function (item) {
        var tr = el("tr");
        tr.dataset.id = item.id || "";
        [labels[name] || name, item.name, item.party, item.status, item.when].forEach(
          function (text, column) {
            var td = el("td", "", text || "");
            td.setAttribute("data-label", headings[column]);
            tr.appendChild(td);
          });
        var cell = el("td");
        if (item.href) {
          var link = el("a", "", labels.details);
          link.href = item.href;
          // "Details" alone says nothing in a list of links: name the record too.
          link.setAttribute("aria-label", labels.details + ": " + (item.name || ""));
          cell.appendChild(link);
        }
        tr.appendChild(cell);
        body.appendChild(tr);
      });
      body.hidden = !shown[name];
      refresh();
    }

    function show(name, on) {
      shown[name] = on;
      if (bodies[name]) {
        bodies[name].hidden = !on;
      }
      refresh();
    }

    refresh();
    return { set: set, show: show };
  }

  window.TansiqLegend = { legend: legend, list: list };
})();
