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
