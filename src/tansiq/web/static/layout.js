/*
 * Tansiq layout helpers for phones and tablets. Plain script, no build step; loaded from
 * base.html's header without `defer`, so the menu folds before the first paint.
 *
 * - The menu button (<button class="menu-toggle" aria-controls="…" hidden>) is shown and
 *   folds the navigation, languages and account links away; app.css hides the menu only
 *   while the button says aria-expanded="false", and only on narrow screens. Without this
 *   script the button stays hidden and the menu stays open.
 * - Every table with a <thead> gets data-label="<column heading>" on its body cells and
 *   data-cards on itself, so app.css can show each row as a labelled card on a phone.
 *   Tables htmx swaps in later are labelled too.
 */
(function () {
  "use strict";

  var MENU_BUTTON = "button.menu-toggle[aria-controls]";

  function setExpanded(button, expanded) {
    button.setAttribute("aria-expanded", expanded ? "true" : "false");
  }

  function menuOf(button) {
    return document.getElementById(button.getAttribute("aria-controls"));
  }

  function setUpMenu(button) {
    var menu = menuOf(button);
    if (!menu) {
      return;
    }
    button.hidden = false;
    setExpanded(button, false);
    button.addEventListener("click", function () {
      setExpanded(button, button.getAttribute("aria-expanded") !== "true");
    });
    // Escape folds an open menu and gives focus back to its button (WAI-ARIA disclosure).
    function closeOnEscape(event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        setExpanded(button, false);
        button.focus();
      }
    }
    button.addEventListener("keydown", closeOnEscape);
    menu.addEventListener("keydown", closeOnEscape);
  }

  function headingText(cell) {
    return (cell.textContent || "").replace(/\s+/g, " ").trim();
  }

  // The heading of each column of the table's last header row, colspans spread out.
  function columnHeadings(table) {
    var rows = table.tHead ? table.tHead.rows : [];
    if (!rows.length) {
      return null;
    }
    var headings = [];
    Array.prototype.forEach.call(rows[rows.length - 1].cells, function (cell) {
      for (var i = 0; i < (cell.colSpan || 1); i += 1) {
        headings.push(headingText(cell));
      }
    });
    return headings;
  }

  function labelTable(table) {
    var headings = columnHeadings(table);
    if (!headings || table.hasAttribute("data-no-cards")) {
      return;
    }
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          var span = cell.colSpan || 1;
          var heading = headings[column];
          // A cell spanning the whole row ("No incidents match.") needs no label.
          if (heading && span < headings.length && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", heading);
          }
          column += span;
        });
      });
    });
    table.setAttribute("data-cards", "");
  }

  function labelTables(root) {
    var scope = root && root.querySelectorAll ? root : document;
    if (scope.tagName === "TABLE") {
      labelTable(scope);
    }
    Array.prototype.forEach.call(scope.querySelectorAll("table"), labelTable);
  }

  Array.prototype.forEach.call(document.querySelectorAll(MENU_BUTTON), setUpMenu);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      labelTables(document);
    });
  } else {
    labelTables(document);
  }
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.target;
    // Rows swapped into a tbody: relabel the table they belong to.
    labelTables(target && target.closest ? target.closest("table") || target : document);
  });
})();
