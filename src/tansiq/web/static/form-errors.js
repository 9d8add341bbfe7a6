/* Errors where the eye is: after a refused submit the page opens on its error summary.
 *
 * Every error summary (templates/_macros.html, error_summary and problem) is marked
 * [data-error-summary] with tabindex="-1". On load, and after an htmx swap brings one in,
 * the first of them takes focus and is scrolled into view, so a reader (and a screen
 * reader) starts at what went wrong instead of ~900 px above it. Each message links to its
 * field (href="#field-id"); following the link focuses that field, or the first control
 * inside it when the id names a group (a fieldset of radios, a map-drawn area), and shows
 * the field's label with it.
 *
 * The macro includes this file next to each summary, so it may load more than once: the
 * listeners are installed once.
 */
(function () {
  "use strict";
  if (window.tansiqFormErrors) {
    return;
  }
  var CONTROLS = "input:not([type=hidden]):not([disabled]), select:not([disabled]), "
    + "textarea:not([disabled]), button:not([disabled]), [tabindex]";

  function visible(element) {
    return element.getClientRects().length > 0;
  }

  /* Scroll so the element is in view: centred when it fits, else its top at the top. */
  function reveal(element) {
    var fits = element.getBoundingClientRect().height < window.innerHeight * 0.8;
    element.scrollIntoView({ block: fits ? "center" : "start", inline: "nearest" });
  }

  /* The summary of ``root`` (the document or a swapped fragment) takes focus, in view. */
  function focusSummary(root) {
    var summary = root.matches && root.matches("[data-error-summary]")
      ? root : root.querySelector("[data-error-summary]");
    if (!summary || !visible(summary)) {
      return;
    }
    // A summary inside a closed <details> (the intake page) needs it open to be seen.
    var details = summary.closest("details");
    if (details) {
      details.open = true;
    }
    summary.focus({ preventScroll: true });
    reveal(summary);
  }

  /* The control a link's target stands for: itself, else its first visible control. */
  function controlOf(target) {
    if (target.matches(CONTROLS) && visible(target)) {
      return target;
    }
    var inside = target.querySelectorAll(CONTROLS);
    for (var i = 0; i < inside.length; i += 1) {
      if (visible(inside[i])) {
        return inside[i];
      }
    }
    // A hidden input (an area drawn on the map): its field's box is what can be shown.
    var box = target.closest(".field") || target;
    if (!box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "-1");
    }
    return box;
  }

  /* Its label or legend, so the question is on screen with the answer box. */
  function labelOf(control) {
    if (control.id) {
      var label = document.querySelector("label[for='" + CSS.escape(control.id) + "']");
      if (label && visible(label)) {
        return label;
      }
    }
    var fieldset = control.closest("fieldset");
    return fieldset ? fieldset.querySelector("legend") : null;
  }

  function followLink(event) {
    var link = event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) {
      return;
    }
    var target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!target) {
      return;
    }
    event.preventDefault();
    var details = target.closest("details");
    if (details) {
      details.open = true;
    }
    var control = controlOf(target);
    control.focus({ preventScroll: true });
    reveal(labelOf(control) || control);
  }

  window.tansiqFormErrors = { focusSummary: focusSummary };
  document.addEventListener("click", followLink);
  document.addEventListener("htmx:afterSettle", function (event) {
    focusSummary(event.target);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { focusSummary(document); });
  } else {
    focusSummary(document);
  }
}());
