/* The door screen (plain JavaScript, no libraries).
 *
 * Every tap gets an id made here and the device's time, goes into a queue in localStorage FIRST, shows in the
 * totals at once, and is then sent to the server. When sending fails (offline, server error, timeout) it stays
 * in the queue and is sent again when the browser is back online and every 10 seconds. A tap leaves the queue
 * only when the server lists it as stored (or rejected: then the screen says why). The server stores each tap
 * id once, however often it arrives.
 *
 * On the start page (/deur/) the place chosen on this device opens straight away, unless ?change is asked.
 */
(function () {
  "use strict";

  var QUEUE_KEY = "huizen.door.queue.v1";
  var RECENT_KEY = "huizen.door.recent.v1";
  var CHOICE_KEY = "huizen.door.choice.v1";
  var UNDO_WINDOW_MS = 10 * 60 * 1000;
  var RETRY_MS = 10 * 1000;
  var TIMEOUT_MS = 10 * 1000;
  var TOTALS_EVERY_MS = 30 * 1000;
  var MAX_BATCH = 500;

  // --- storage: localStorage, or memory when the browser refuses it --------------------------------------

  var memory = {};
  var storageWorks = (function () {
    try {
      localStorage.setItem("huizen.door.test", "1");
      localStorage.removeItem("huizen.door.test");
      return true;
    } catch (e) {
      return false;
    }
  })();

  function load(key, fallback) {
    if (storageWorks) {
      try {
        var raw = localStorage.getItem(key);
        return raw ? JSON.parse(raw) : fallback;
      } catch (e) {
        return fallback;
      }
    }
    return key in memory ? memory[key] : fallback;
  }

  function save(key, value) {
    if (storageWorks) {
      try {
        localStorage.setItem(key, JSON.stringify(value));
        return;
      } catch (e) {
        storageWorks = false; // full or refused: keep going in memory
      }
    }
    memory[key] = value;
  }

  function newId() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    // Outside a secure context randomUUID is missing; getRandomValues is not.
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return (b + 0x100).toString(16).slice(1);
    }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function format(text, values) {
    return text.replace(/\{(\w+)\}/g, function (match, name) {
      return name in values ? String(values[name]) : match;
    });
  }

  function amsterdamDay() {
    // The day in Europe/Amsterdam (as the server counts days), whatever time zone the tablet is set to.
    try {
      return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam" }).format(new Date());
    } catch (e) {
      return new Date().toDateString();
    }
  }

  // --- the start page ---------------------------------------------------------------------------------------

  function initStart(root) {
    if (new URLSearchParams(window.location.search).has("change")) {
      return; // the host asked to choose again
    }
    var choice = load(CHOICE_KEY, null);
    if (!choice || !choice.url) {
      return;
    }
    // Only go to a place that is still offered here (the host may have lost access to it).
    var links = root.querySelectorAll("a[data-door-place]");
    for (var i = 0; i < links.length; i++) {
      if (links[i].getAttribute("href") === choice.url) {
        window.location.replace(choice.url);
        return;
      }
    }
  }

  // --- the door screen --------------------------------------------------------------------------------------

  function initDoor(root) {
    var config = {
      house: root.dataset.house,
      place: Number(root.dataset.place),
      day: root.dataset.day,
      tapsUrl: root.dataset.tapsUrl,
      undoUrl: root.dataset.undoUrl,
      totalsUrl: root.dataset.totalsUrl,
    };
    var texts = JSON.parse(document.getElementById("door-texts").textContent);
    var syncLine = document.getElementById("door-sync");
    var announcer = document.getElementById("door-announce");
    var errors = document.getElementById("door-errors");
    var blocks = {};
    var totalsGeneration = 0; // bumped whenever local totals change because of the server
    var lastTotals = 0;
    var rejectedIds = new Set();
    var loadedOn = amsterdamDay();

    save(CHOICE_KEY, { url: window.location.pathname, house: config.house, place: config.place });

    root.querySelectorAll("[data-block]").forEach(function (element) {
      var key = element.dataset.block;
      blocks[key] = {
        key: key,
        element: element,
        title: element.dataset.title,
        session: element.dataset.session ? Number(element.dataset.session) : null,
        server: { count: Number(element.dataset.count) || 0, new: Number(element.dataset.new) || 0 },
        countOut: element.querySelector('[data-total="count"]'),
        newOut: element.querySelector('[data-total="new"]'),
        isNew: element.querySelector('[data-field="is_new"]'),
        group: element.querySelector('[data-field="group"]'),
        groupError: element.querySelector(".huizen-door__field-error"),
        undoButton: element.querySelector('[data-action="undo"]'),
        tapButton: element.querySelector('[data-action="tap"]'),
      };
    });

    function blockKey(tap) {
      return tap.session === null || tap.session === undefined ? "inloop" : String(tap.session);
    }

    function csrfToken() {
      var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
      return match ? decodeURIComponent(match[1]) : root.dataset.csrf;
    }

    function urlFor(template, house) {
      return template.replace("__house__", encodeURIComponent(house));
    }

    function send(url, body) {
      var controller = new AbortController();
      var timer = setTimeout(function () {
        controller.abort();
      }, TIMEOUT_MS);
      return fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify(body),
        signal: controller.signal,
      }).finally(function () {
        clearTimeout(timer);
      });
    }

    function announce(text) {
      // Clear first so the same words are announced again.
      announcer.textContent = "";
      window.setTimeout(function () {
        announcer.textContent = text;
      }, 50);
    }

    // An error caused by the connection (or by a login or role that a later request shows is fine again) carries
    // its kind; once the connection is back and the queued taps went through, such errors go.
    var PASSING = ["connection", "logged_out", "not_allowed", "bad_request"];

    function showError(text, kind) {
      var paragraph = document.createElement("p");
      paragraph.className = "utrecht-paragraph";
      paragraph.textContent = text;
      var dismiss = document.createElement("button");
      dismiss.type = "button";
      dismiss.className = "utrecht-button utrecht-button--secondary-action";
      dismiss.textContent = "×";
      dismiss.setAttribute("aria-label", texts.dismiss || "OK");
      var alert = document.createElement("div");
      alert.className = "utrecht-alert utrecht-alert--error huizen-door__error";
      if (kind) {
        alert.dataset.kind = kind;
      }
      alert.appendChild(paragraph);
      alert.appendChild(dismiss);
      dismiss.addEventListener("click", function () {
        alert.remove();
        if (kind) {
          delete shownOnce[kind];
        }
      });
      errors.appendChild(alert);
      while (errors.children.length > 4) {
        errors.removeChild(errors.firstChild); // the latest few are enough
      }
    }

    function passingErrorsShown() {
      return errors.querySelector("[data-kind]") !== null;
    }

    function clearPassingErrors() {
      PASSING.forEach(function (kind) {
        delete shownOnce[kind];
      });
      errors.querySelectorAll("[data-kind]").forEach(function (alert) {
        if (PASSING.indexOf(alert.dataset.kind) !== -1) {
          if (alert.contains(document.activeElement)) {
            document.getElementById(blockFocusFallback()).focus();
          }
          alert.remove();
        }
      });
    }

    function blockFocusFallback() {
      // Where focus goes when the error holding it disappears: the first "+1 visitor".
      var tap = root.querySelector('[data-action="tap"]');
      if (tap && !tap.id) {
        tap.id = "door-first-tap";
      }
      return tap ? tap.id : "main";
    }

    // The queue (all houses of this device) and the recent taps that may still be undone.

    function queue() {
      return load(QUEUE_KEY, []);
    }

    function dropFromQueue(ids) {
      if (!ids.length) {
        return;
      }
      var gone = new Set(ids);
      save(QUEUE_KEY, queue().filter(function (tap) {
        return !gone.has(tap.tap_id);
      }));
    }

    function recent() {
      var now = Date.now();
      return load(RECENT_KEY, []).filter(function (entry) {
        return now - entry.at < UNDO_WINDOW_MS;
      });
    }

    function dropFromRecent(id) {
      save(RECENT_KEY, recent().filter(function (entry) {
        return entry.tap_id !== id;
      }));
    }

    function lastUndoable(key) {
      var entries = recent().filter(function (entry) {
        return entry.house === config.house && entry.place === config.place && entry.block === key;
      });
      return entries.length ? entries[entries.length - 1] : null;
    }

    function render() {
      var pending = queue();
      var queued = {};
      pending.forEach(function (tap) {
        if (tap.house !== config.house || tap.place !== config.place || tap.day !== config.day) {
          return;
        }
        var key = blockKey(tap);
        queued[key] = queued[key] || { count: 0, new: 0 };
        queued[key].count += tap.count;
        queued[key].new += tap.is_new ? tap.count : 0;
      });
      Object.keys(blocks).forEach(function (key) {
        var block = blocks[key];
        var extra = queued[key] || { count: 0, new: 0 };
        block.countOut.textContent = block.server.count + extra.count;
        block.newOut.textContent = block.server.new + extra.new;
        block.undoButton.disabled = lastUndoable(key) === null;
      });
      if (pending.length) {
        syncLine.dataset.state = "pending";
        syncLine.textContent =
          format(pending.length === 1 ? texts.pending_one : texts.pending_other, { n: pending.length }) +
          ". " + texts.pending_help;
      } else {
        syncLine.dataset.state = "sent";
        syncLine.textContent = texts.all_sent;
      }
    }

    // Sending: one run at a time, chained, so a tap added during a run is sent by the next one.

    var chain = Promise.resolve();

    function flush() {
      chain = chain.then(flushOnce, flushOnce);
      return chain;
    }

    async function flushOnce() {
      var result = { stored: new Set(), rejected: new Set(), failed: false };
      var pending = queue();
      var byHouse = {};
      if (!pending.length) {
        if (!passingErrorsShown()) {
          return result;
        }
        byHouse[config.house] = []; // nothing to send, but an error is shown: ask the server whether it is over
      }
      pending.forEach(function (tap) {
        (byHouse[tap.house] = byHouse[tap.house] || []).push(tap);
      });
      for (var house in byHouse) {
        var taps = byHouse[house];
        for (var start = 0; start < Math.max(taps.length, 1); start += MAX_BATCH) {
          var batch = taps.slice(start, start + MAX_BATCH);
          try {
            await sendBatch(house, batch, result);
          } catch (e) {
            result.failed = true; // offline, timed out or a server error: the taps stay in the queue
          }
        }
      }
      render();
      if (!result.failed) {
        clearPassingErrors(); // the server took every batch: the connection and the login are fine again
      }
      if (!queue().length && !result.failed && result.stored.size) {
        refreshTotalsSoon();
      }
      return result;
    }

    async function sendBatch(house, batch, result) {
      var body = {
        taps: batch.map(function (tap) {
          return {
            tap_id: tap.tap_id,
            place: tap.place,
            session: tap.session,
            recorded_at: tap.recorded_at,
            count: tap.count,
            is_new: tap.is_new,
            age_band: tap.age_band,
          };
        }),
      };
      var response = await send(urlFor(config.tapsUrl, house), body);
      if (response.status === 403) {
        showErrorOnce("logged_out", texts.logged_out);
        throw new Error("forbidden");
      }
      if (response.status === 404) {
        showErrorOnce("not_allowed", texts.not_allowed);
        throw new Error("not found");
      }
      if (response.status === 400) {
        // The server could not use the request at all (it says why, in Dutch); the taps stay in the queue.
        var problem = await response.json().catch(function () {
          return {};
        });
        showErrorOnce("bad_request", problem.error || "HTTP 400");
        throw new Error("bad request");
      }
      if (!response.ok) {
        throw new Error("HTTP " + response.status);
      }
      var data = await response.json();
      var done = [];
      var byId = {};
      batch.forEach(function (tap) {
        byId[tap.tap_id] = tap;
      });
      (data.stored || []).forEach(function (id) {
        var tap = byId[id];
        if (tap && !result.stored.has(id)) {
          result.stored.add(id);
          done.push(id);
          countAsStored(tap);
        }
      });
      (data.rejected || []).forEach(function (item) {
        if (byId[item.tap_id]) {
          result.rejected.add(item.tap_id);
          rejectedIds.add(item.tap_id);
          done.push(item.tap_id);
          dropFromRecent(item.tap_id);
          showError(format(texts.rejected, { error: item.error }));
        }
      });
      dropFromQueue(done);
    }

    var shownOnce = {};
    function showErrorOnce(kind, text) {
      if (!shownOnce[kind]) {
        shownOnce[kind] = true;
        showError(text, kind);
      }
    }

    function countAsStored(tap) {
      // Until the next totals from the server, count the tap as the server will.
      if (tap.house !== config.house || tap.place !== config.place || tap.day !== config.day) {
        return;
      }
      var block = blocks[blockKey(tap)];
      if (block) {
        block.server.count += tap.count;
        block.server.new += tap.is_new ? tap.count : 0;
        totalsGeneration += 1;
      }
    }

    // Totals from the server (other tablets at the same place count too).

    var totalsTimer = null;
    function refreshTotalsSoon() {
      window.clearTimeout(totalsTimer);
      totalsTimer = window.setTimeout(refreshTotals, 1000);
    }

    async function refreshTotals() {
      var generation = totalsGeneration;
      lastTotals = Date.now();
      try {
        var response = await fetch(config.totalsUrl, { credentials: "same-origin", headers: { Accept: "application/json" } });
        if (!response.ok) {
          return;
        }
        var data = await response.json();
        if (generation !== totalsGeneration) {
          refreshTotalsSoon(); // something changed meanwhile; these figures may be stale
          return;
        }
        Object.keys(blocks).forEach(function (key) {
          var figures = (data.blocks || {})[key] || { count: 0, new: 0 };
          blocks[key].server = { count: figures.count, new: figures.new };
        });
        render();
      } catch (e) {
        // offline: keep what we have
      }
    }

    // Recording a visitor.

    function optionsOf(block) {
      var checked = block.element.querySelector('[data-field="age_band"]:checked');
      return { is_new: block.isNew.checked, age_band: checked ? checked.value : "" };
    }

    function resetOptions(block) {
      block.isNew.checked = false;
      var none = block.element.querySelector('[data-field="age_band"][value=""]');
      if (none) {
        none.checked = true;
      }
    }

    function record(block, count) {
      var options = optionsOf(block);
      var tap = {
        tap_id: newId(),
        house: config.house,
        place: config.place,
        session: block.session,
        recorded_at: new Date().toISOString(),
        day: config.day,
        count: count,
        is_new: options.is_new,
        age_band: options.age_band,
      };
      var pending = queue();
      pending.push(tap);
      save(QUEUE_KEY, pending); // on the device first
      var entries = recent();
      entries.push({ tap_id: tap.tap_id, house: tap.house, place: tap.place, block: block.key, count: count, is_new: tap.is_new, at: Date.now() });
      save(RECENT_KEY, entries);
      resetOptions(block);
      render();
      var words = { count: "+" + count, block: block.title };
      flush().then(function () {
        // An earlier run may have sent this tap already: what counts is whether it is still waiting.
        var waiting = queue().some(function (queued) {
          return queued.tap_id === tap.tap_id;
        });
        if (waiting) {
          announce(format(texts.saved, words));
        } else if (!rejectedIds.has(tap.tap_id)) {
          announce(format(texts.recorded, words));
        }
      });
    }

    function recordGroup(block) {
      var value = Number(block.group.value);
      if (!Number.isInteger(value) || value < 2 || value > 100) {
        block.group.setAttribute("aria-invalid", "true");
        block.group.setAttribute("aria-describedby", block.groupError.id);
        block.groupError.textContent = texts.group_invalid;
        block.groupError.hidden = false;
        block.group.focus();
        return;
      }
      block.group.removeAttribute("aria-invalid");
      block.group.removeAttribute("aria-describedby");
      block.groupError.hidden = true;
      block.groupError.textContent = "";
      record(block, value);
    }

    async function undoLast(block) {
      var entry = lastUndoable(block.key);
      if (!entry) {
        render();
        return;
      }
      var hadFocus = document.activeElement === block.undoButton;
      block.undoButton.disabled = true; // a disabled button loses focus: keepFocus puts it back
      await chain; // let a run that is sending this tap finish first
      try {
        await undoEntry(block, entry);
      } finally {
        keepFocus(block, hadFocus);
      }
    }

    function keepFocus(block, hadFocus) {
      // After an undo, focus stays on the undo button while there is more to undo, else goes to "+1 visitor".
      var active = document.activeElement;
      if (!hadFocus && active && active !== document.body) {
        return; // the host moved on meanwhile
      }
      if (!block.undoButton.disabled) {
        block.undoButton.focus();
      } else {
        block.tapButton.focus();
      }
    }

    async function undoEntry(block, entry) {
      var words = { count: "+" + entry.count, block: block.title };
      var stillQueued = queue().some(function (tap) {
        return tap.tap_id === entry.tap_id;
      });
      if (stillQueued) {
        dropFromQueue([entry.tap_id]);
        dropFromRecent(entry.tap_id);
        render();
        announce(format(texts.undone, words));
        return;
      }
      try {
        var response = await send(urlFor(config.undoUrl, entry.house), { tap_id: entry.tap_id });
        var data = await response.json().catch(function () {
          return {};
        });
        if (response.ok) {
          dropFromRecent(entry.tap_id);
          block.server.count = Math.max(0, block.server.count - entry.count);
          block.server.new = Math.max(0, block.server.new - (entry.is_new ? entry.count : 0));
          totalsGeneration += 1;
          render();
          announce(format(texts.undone, words));
          refreshTotalsSoon();
        } else if (response.status === 400) {
          dropFromRecent(entry.tap_id); // too late, or unknown: it cannot be undone any more
          render();
          showError(data.error || texts.undo_failed);
        } else if (response.status === 403) {
          render();
          showErrorOnce("logged_out", texts.logged_out);
        } else {
          render();
          showError(texts.undo_failed, "connection");
        }
      } catch (e) {
        render();
        showError(texts.undo_failed, "connection");
      }
    }

    Object.keys(blocks).forEach(function (key) {
      var block = blocks[key];
      block.element.addEventListener("click", function (event) {
        var button = event.target.closest("button[data-action]");
        if (!button || button.closest("[data-block]") !== block.element) {
          return;
        }
        if (button.dataset.action === "tap") {
          record(block, 1);
        } else if (button.dataset.action === "group") {
          recordGroup(block);
        } else if (button.dataset.action === "undo") {
          undoLast(block);
        }
      });
      block.group.addEventListener("keydown", function (event) {
        if (event.key === "Enter") {
          event.preventDefault();
          recordGroup(block);
        }
      });
      block.element.querySelectorAll("button[data-action]").forEach(function (button) {
        button.disabled = button.dataset.action === "undo";
      });
    });

    // Ticking off registered participants: sent at once; on failure the box goes back.

    root.addEventListener("change", function (event) {
      var box = event.target;
      var form = box.closest("form[data-door-attendance]");
      if (!form || box.name !== "attended") {
        return;
      }
      var name = form.querySelector("label").textContent.trim();
      var data = new FormData(form);
      fetch(form.action, {
        method: "POST",
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
        body: data,
      })
        .then(function (response) {
          var type = response.headers.get("Content-Type") || "";
          if (!response.ok || type.indexOf("application/json") === -1) {
            throw new Error("not saved");
          }
          announce(format(box.checked ? texts.present : texts.absent, { name: name }));
        })
        .catch(function () {
          box.checked = !box.checked;
          showError(texts.attendance_failed, "connection");
        });
    });

    // Closing a session (HTMX swaps the whole form, so the form of the event is the old one, gone from the page):
    // once the new form has settled, look it up by its id; focus the first error, or announce the success and
    // focus the new submit button (the one pressed was replaced).
    document.addEventListener("htmx:afterSettle", function (event) {
      var element = event.detail && event.detail.elt;
      var id = element && element.id;
      var form = id ? document.getElementById(id) : null;
      // The event comes once per settled node (the new form and the text around it): act once, for the form.
      if (!form || event.target !== form || !form.classList.contains("huizen-door__close-form") || !root.contains(form)) {
        return;
      }
      var first = form.querySelector('.huizen-door__form-error, [aria-invalid="true"]');
      if (first) {
        first.focus();
        return;
      }
      var message = form.querySelector("[data-door-message]");
      if (message) {
        announce(message.textContent.trim());
        var submit = form.querySelector('button[type="submit"]');
        if (submit) {
          submit.focus();
        }
      }
    });
    document.addEventListener("htmx:sendError", function (event) {
      if (event.target && root.contains(event.target)) {
        showError(texts.close_failed, "connection");
      }
    });

    // A session cannot be closed before it starts: its form is hidden until then (the server checks too).
    function openStartedForms() {
      root.querySelectorAll("form[data-door-opens-at]").forEach(function (form) {
        if (Date.now() >= Date.parse(form.dataset.doorOpensAt)) {
          form.hidden = false;
          form.removeAttribute("data-door-opens-at");
          var note = document.getElementById(form.id + "-opens");
          if (note) {
            note.hidden = true;
          }
        }
      });
    }

    // The menu of the slim header closes with Escape, back on its toggle.
    var menu = document.getElementById("door-menu");
    if (menu) {
      menu.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && menu.open) {
          menu.open = false;
          menu.querySelector("summary").focus();
        }
      });
    }

    // Keep trying: when the browser is back online, every 10 seconds, and when another tab changed the queue.

    window.addEventListener("online", flush);
    window.addEventListener("storage", function (event) {
      if (event.key === QUEUE_KEY || event.key === RECENT_KEY) {
        render();
      }
    });
    window.setInterval(function () {
      if (amsterdamDay() !== loadedOn && navigator.onLine && !queue().length) {
        window.location.reload(); // a new day: today's sessions
        return;
      }
      openStartedForms();
      if (queue().length || passingErrorsShown()) {
        flush();
      } else if (Date.now() - lastTotals > TOTALS_EVERY_MS) {
        refreshTotals();
      }
      render(); // the undo buttons switch off after 10 minutes
    }, RETRY_MS);

    if (!storageWorks) {
      showError(texts.no_storage);
    }
    openStartedForms();
    render();
    flush();
  }

  function init() {
    var door = document.getElementById("door");
    if (door) {
      initDoor(door);
    }
    var start = document.getElementById("door-start");
    if (start) {
      initStart(start);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
