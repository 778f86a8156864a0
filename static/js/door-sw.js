/* Service worker of the door screen (scope /deur/): the screen opens again without a network.
 *
 * Pages and their static files: network first, a copy kept on the device; without a network, that copy.
 * Taps are never handled here: door.js keeps them in localStorage and sends them itself (POST passes through);
 * neither are today's totals (JSON), which are only true when they come from the server.
 */
"use strict";

var CACHE = "huizen-door-v1";

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(
        names.filter(function (name) { return name !== CACHE; }).map(function (name) { return caches.delete(name); })
      );
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) {
    return;
  }
  // Today's totals (JSON) are never kept: a stale copy served offline would overwrite the counts on the screen.
  if ((request.headers.get("Accept") || "").indexOf("application/json") !== -1) {
    return;
  }
  event.respondWith(
    fetch(request).then(function (response) {
      if (response.ok && response.type === "basic") {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(request, { ignoreVary: true }).then(function (cached) {
        return cached || Response.error();
      });
    })
  );
});
