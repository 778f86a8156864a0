/* Small things for every page. The copy of the door screen kept on this device (static/js/door-sw.js) goes
 * when someone logs out, and again on any page seen while logged out, so the next person on a shared tablet
 * does not see it. */
"use strict";
(function () {
  var DOOR_CACHE = "huizen-door-v1";

  function forgetDoorScreen() {
    return "caches" in window ? caches.delete(DOOR_CACHE).catch(function () {}) : Promise.resolve();
  }

  if (document.body && document.body.hasAttribute("data-anonymous")) {
    forgetDoorScreen();
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-logout]") || form.dataset.cleared) {
      return;
    }
    event.preventDefault();
    forgetDoorScreen().then(function () {
      form.dataset.cleared = "1";
      form.submit();
    });
  });
})();

/* Filters fold away on a phone (<details data-fold-narrow open>), so the first result is in view; on a wide
 * screen they stay open beside the results, and without JavaScript they stay open everywhere. */
(function () {
  if (!window.matchMedia || !window.matchMedia("(max-width: 59.99rem)").matches) {
    return;
  }
  document.querySelectorAll("details[data-fold-narrow]").forEach(function (details) {
    details.open = false;
  });
})();

/* Accessibility helpers for every page (issue 9):
 * - an error summary (templates/fragments/form_errors.html) gets the focus when the page loads or htmx swaps it in,
 *   and its links move the focus to the field (or the first control of a group of choices);
 * - a table that scrolls sideways becomes a named, focusable region, so it can be scrolled with the keyboard;
 * - live filters (forms with data-live-filter) ask for new results only for a complete, changed value: selects and
 *   checkboxes at once, text after a pause of 500 ms in typing (or at once when the field is left), a date only once
 *   it is a whole, plausible date (and after the same pause, as each typed digit of the year makes a new date). */
(function () {
  var FILTER_EVENT = "huizen-filter";
  var TYPING_DELAY = 500;

  function focusErrorSummary(root) {
    var summary = root.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
    return summary;
  }

  // After a POST-redirect a page can put the focus on what changed: an element with data-focus-on-load (its value,
  // when given, a selector of the element to focus instead, such as the message). An error summary goes first.
  function focusOnLoad() {
    var marker = document.querySelector("[data-focus-on-load]");
    if (!marker) {
      return;
    }
    var target = marker.dataset.focusOnLoad ? document.querySelector(marker.dataset.focusOnLoad) : marker;
    if (!target) {
      return;
    }
    if (!target.hasAttribute("tabindex")) {
      target.setAttribute("tabindex", "-1");
    }
    target.focus();
  }

  function controlOf(target) {
    if (target.matches("input, select, textarea, button")) {
      return target;
    }
    return target.querySelector("input:not([type=hidden]), select, textarea");
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-error-link]");
    if (!link) {
      return;
    }
    var target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    var control = target && controlOf(target);
    if (!control) {
      return;
    }
    event.preventDefault();
    control.scrollIntoView({ block: "center" });
    control.focus();
  });

  var regionCount = 0;
  function nameScrollingTables(root) {
    (root || document).querySelectorAll(".huizen-table-wrap").forEach(function (wrap) {
      if (wrap.scrollWidth <= wrap.clientWidth + 1) {
        if (wrap.dataset.scrollRegion) {
          wrap.removeAttribute("tabindex");
          wrap.removeAttribute("role");
          wrap.removeAttribute("aria-labelledby");
          delete wrap.dataset.scrollRegion;
        }
        return;
      }
      if (wrap.hasAttribute("tabindex") && !wrap.dataset.scrollRegion) {
        return; // named in the template already
      }
      var caption = wrap.querySelector("caption");
      if (caption && !caption.id) {
        regionCount += 1;
        caption.id = "table-caption-" + regionCount;
      }
      wrap.setAttribute("tabindex", "0");
      if (caption) {
        // A region needs a name; without a caption the box is only made focusable.
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-labelledby", caption.id);
      }
      wrap.dataset.scrollRegion = "1";
    });
  }

  function isCompleteDate(input) {
    if (input.validity && input.validity.badInput) {
      return false; // partly typed
    }
    if (input.value === "") {
      return true; // cleared
    }
    var year = parseInt(input.value.slice(0, 4), 10);
    return /^\d{4}-\d{2}-\d{2}$/.test(input.value) && year >= 1900 && year <= 2199;
  }

  function queryOf(form) {
    return new URLSearchParams(new FormData(form)).toString();
  }

  function askForResults(form, delay) {
    window.clearTimeout(form._huizenFilterTimer);
    form._huizenFilterTimer = window.setTimeout(function () {
      var query = queryOf(form);
      if (query === form.dataset.filterQuery) {
        return; // nothing changed since the results on screen
      }
      form.dataset.filterQuery = query;
      form.dispatchEvent(new CustomEvent(FILTER_EVENT, { bubbles: true }));
    }, delay);
  }

  function onFilterInput(event) {
    var control = event.target;
    var form = control.form;
    if (!form || !form.hasAttribute("data-live-filter")) {
      return;
    }
    var type = (control.type || "").toLowerCase();
    if (type === "date") {
      if (event.type === "change" && isCompleteDate(control)) {
        askForResults(form, TYPING_DELAY);
      }
    } else if (type === "text" || type === "search" || type === "number" || control.tagName === "TEXTAREA") {
      // While typing: after a pause. Leaving the field (change) commits the value: ask at once.
      askForResults(form, event.type === "change" ? 0 : TYPING_DELAY);
    } else if (event.type === "change") {
      askForResults(form, 0);
    }
  }

  document.addEventListener("change", onFilterInput);
  document.addEventListener("input", onFilterInput);
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute && form.hasAttribute("data-live-filter")) {
      window.clearTimeout(form._huizenFilterTimer);
      form.dataset.filterQuery = queryOf(form);
    }
  });

  function start() {
    document.querySelectorAll("form[data-live-filter]").forEach(function (form) {
      form.dataset.filterQuery = queryOf(form);
    });
    nameScrollingTables(document);
    if (!focusErrorSummary(document)) {
      focusOnLoad();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
  window.addEventListener("resize", function () {
    nameScrollingTables(document);
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    // Fired on each element htmx put in the page (the new element itself for an outerHTML swap).
    var root = event.target;
    nameScrollingTables(document);
    if (root && root.matches && root.matches("[data-error-summary]")) {
      root.focus();
    } else if (root && root.querySelector) {
      focusErrorSummary(root);
    }
  });
})();
