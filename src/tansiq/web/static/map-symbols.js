/*
 * The incident symbols of the common operating picture, shared by the markers and the
 * legend. Plain script, no build step; load it before map.js.
 *
 * One shape per ACLED event type, the owner party's colour as its outline, and the status
 * shown on top: a dashed outline for an open dispute, faded and struck through when
 * retracted. Built with DOM calls (no markup from data), as SVG presentation attributes
 * only, so the page's CSP (style-src 'self') has nothing to refuse.
 *
 *   TansiqSymbols.svg("Battles", "#0072b2", "disputed")  -> <svg> element
 *   TansiqSymbols.shapeOf("Riots")                        -> "diamond"
 */
(function () {
  "use strict";

  var SVG_NS = "http://www.w3.org/2000/svg";
  var SIZE = 22;
  var SHAPES = {
    "Battles": "circle",
    "Explosions/Remote violence": "star",
    "Violence against civilians": "triangle",
    "Protests": "square",
    "Riots": "diamond",
    "Strategic developments": "hexagon"
  };
  // Outlines on a 22 x 22 box, centred on (11, 11).
  var PATHS = {
    circle: "M11 3a8 8 0 1 0 0.01 0Z",
    star: "M11 2l2.4 5.6 6.1.5-4.6 4 1.4 6-5.3-3.2-5.3 3.2 1.4-6-4.6-4 6.1-.5Z",
    triangle: "M11 2.5l8.5 15.5h-17Z",
    square: "M4 4h14v14h-14Z",
    diamond: "M11 2l9 9-9 9-9-9Z",
    hexagon: "M6.5 3.2h9l4.5 7.8-4.5 7.8h-9l-4.5-7.8Z",
    dot: "M11 6a5 5 0 1 0 0.01 0Z"
  };
  var EDGE = "#111827";
  var NEUTRAL = "#4b5563";

  function shapeOf(eventType) {
    return SHAPES[eventType] || "dot";
  }

  function node(name, attrs) {
    var el = document.createElementNS(SVG_NS, name);
    Object.keys(attrs).forEach(function (key) {
      el.setAttribute(key, attrs[key]);
    });
    return el;
  }

  // status: "disputed", "retracted" or anything else (drawn plain).
  function svg(eventType, colour, status) {
    var shape = shapeOf(eventType);
    var root = node("svg", {
      width: SIZE,
      height: SIZE,
      viewBox: "0 0 " + SIZE + " " + SIZE,
      "aria-hidden": "true",
      focusable: "false",
      "class": "incident-symbol",
      "data-shape": shape
    });
    var d = PATHS[shape];
    // A dark edge under the party's colour keeps light colours visible on a light map.
    root.appendChild(node("path", {
      d: d, fill: "none", stroke: EDGE, "stroke-width": 4.5, "stroke-linejoin": "round"
    }));
    var outline = node("path", {
      d: d,
      fill: "#ffffff",
      stroke: colour || NEUTRAL,
      "stroke-width": 2.6,
      "stroke-linejoin": "round",
      "class": "incident-outline"
    });
    if (status === "disputed") {
      outline.setAttribute("stroke-dasharray", "3 2");
      outline.setAttribute("fill", "#fde68a");
    }
    root.appendChild(outline);
    if (status === "retracted") {
      root.setAttribute("opacity", "0.55");
      root.appendChild(node("path", {
        d: "M3 19L19 3", stroke: EDGE, "stroke-width": 2, "stroke-linecap": "round"
      }));
    }
    return root;
  }

  // The status a marker shows: an open dispute outranks the stored status.
  function shownStatus(props) {
    if (props.disputed === true) {
      return "disputed";
    }
    return props.status || "";
  }

  window.TansiqSymbols = {
    SHAPES: SHAPES,
    SIZE: SIZE,
    shapeOf: shapeOf,
    svg: svg,
    shownStatus: shownStatus
  };
})();
