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
