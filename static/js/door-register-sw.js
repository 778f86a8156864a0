/* Installs the door's service worker, then fetches this screen once through it, so a copy is on the device
 * before the network drops (the first visit itself is loaded before the worker exists). */
"use strict";
(function () {
  var script = document.currentScript;
  if (!("serviceWorker" in navigator) || !script) {
    return;
  }
  navigator.serviceWorker.register(script.dataset.sw, { scope: "/deur/" }).then(function () {
    return navigator.serviceWorker.ready;
  }).then(function () {
    var warm = function () {
      var urls = [window.location.href];
      document.querySelectorAll("script[src], link[rel~='stylesheet'][href], link[rel~='icon'][href]").forEach(
        function (element) { urls.push(element.src || element.href); }
      );
      urls.forEach(function (url) { fetch(url, { credentials: "same-origin" }).catch(function () {}); });
    };
    if (navigator.serviceWorker.controller) {
      warm();
    } else {
      navigator.serviceWorker.addEventListener("controllerchange", warm, { once: true });
    }
  }).catch(function () {});
})();
