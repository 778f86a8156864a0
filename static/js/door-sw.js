/* Service worker of the door screen (scope /deur/): the screen opens again without a network.
 *
 * Pages and their static files: network first, a copy kept on the device; without a network, that copy.
 * Taps are never handled here: door.js keeps them in localStorage and sends them itself (POST passes through);
 * neither are today's totals (JSON), which are only true when they come from the server.
 *
 * A kept copy expires at the end of the day it was stored, Amsterdam time. The door screen is today's list (the
 * first names ticked off today): a tablet left offline overnight must not show yesterday's names, and a house is
 * not open past midnight, so "today only" never takes the screen away while the house is open. (A fixed number
 * of hours instead would either keep yesterday's evening list in the morning or drop the copy during a long day.)
 * Each copy carries the moment it was stored (header STORED_AT); an expired copy is never served and is deleted:
 * when it is found offline, when the worker starts, and after every page fetched from the network.
 * Logging out removes all copies at once (static/js/site.js deletes this cache).
 */
"use strict";

var CACHE = "huizen-door-v1";
var STORED_AT = "X-Huizen-Stored-At";
var AMSTERDAM_DAY = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Europe/Amsterdam", year: "numeric", month: "2-digit", day: "2-digit"
});

function amsterdamDay(milliseconds) {
  return AMSTERDAM_DAY.format(new Date(milliseconds));
}

function isExpired(response) {
  var storedAt = Number(response.headers.get(STORED_AT));
  // A copy without a time (kept by an earlier version of this worker) counts as expired.
  return !storedAt || amsterdamDay(storedAt) !== amsterdamDay(Date.now());
}

function keep(request, response) {
  return response.blob().then(function (body) {
    var headers = new Headers(response.headers);
    headers.set(STORED_AT, String(Date.now()));
    var stamped = new Response(body, { status: response.status, statusText: response.statusText, headers: headers });
    return caches.open(CACHE).then(function (cache) { return cache.put(request, stamped); });
  });
}

function deleteExpired() {
  return caches.open(CACHE).then(function (cache) {
    return cache.keys().then(function (requests) {
      return Promise.all(requests.map(function (request) {
        return cache.match(request, { ignoreVary: true }).then(function (response) {
          return response && isExpired(response) ? cache.delete(request, { ignoreVary: true }) : false;
        });
      }));
    });
  });
}

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(
        names.filter(function (name) { return name !== CACHE; }).map(function (name) { return caches.delete(name); })
      );
    }).then(deleteExpired).then(function () { return self.clients.claim(); })
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
        var kept = keep(request, response.clone());
        event.waitUntil(request.mode === "navigate" ? kept.then(deleteExpired) : kept);
      }
      return response;
    }).catch(function () {
      return caches.open(CACHE).then(function (cache) {
        return cache.match(request, { ignoreVary: true }).then(function (cached) {
          if (cached && !isExpired(cached)) {
            return cached;
          }
          if (cached) {
            event.waitUntil(cache.delete(request, { ignoreVary: true }));
          }
          return Response.error();
        });
      });
    })
  );
});
