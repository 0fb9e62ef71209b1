/* Registers the offline worker (/sw.js; docs/offline.md) and, on the map,
 * shows how old the map is when the worker answered with its last copy.
 *
 * The worker tells this page, for every map document it answers, when that
 * copy was fetched (null: the network answered) and the notice to show, in
 * every language: map.js needs no hook. The notice sits at the top of the map,
 * and while it shows, the header's "data as of ... checked" line is hidden: it
 * would call the copy current.
 */
(function () {
  "use strict";

  if (!("serviceWorker" in navigator)) return;
  var workerUrl = document.currentScript.dataset.serviceWorker;
  var root = document.getElementById("dashboard");
  var lang = document.documentElement.lang;

  navigator.serviceWorker.addEventListener("message", function (event) {
    var data = event.data || {};
    if (data.type !== "exitwatch:map" || !root) return;
    // A cached page arrives with the worker's notice for the page itself.
    var notice = document.querySelector(".offline-copy");
    root.classList.toggle("is-copy", Boolean(data.savedAt));
    if (!data.savedAt) {
      if (notice) notice.hidden = true;
      return;
    }
    if (!notice) {
      notice = document.createElement("p");
      notice.className = "offline-copy";
      notice.setAttribute("role", "status");
    }
    var bar = root.querySelector(".statusbar");
    if (notice.parentNode !== bar) bar.insertBefore(notice, bar.firstChild);
    notice.textContent = data.notices[lang] || data.notices.en;
    notice.dataset.savedAt = data.savedAt;
    notice.hidden = false;
  });

  // Hand the worker what the page loaded without it, so that the first visit
  // is enough: what came before it took the page over, and what was still on
  // its way then (it arrives later, past the worker). The worker keeps only the
  // files and map documents among them, each once.
  function hand(entries) {
    var worker = navigator.serviceWorker.controller;
    if (!worker || !entries.length) return;
    worker.postMessage({ type: "exitwatch:keep", urls: entries.map(function (entry) { return entry.name; }) });
  }
  navigator.serviceWorker.addEventListener("controllerchange", function () {
    hand(performance.getEntriesByType("resource"));
  });
  if (window.PerformanceObserver) {
    new PerformanceObserver(function (list) { hand(list.getEntries()); }).observe({ type: "resource" });
  }

  // After the page's own downloads: the worker's first fetches then come from
  // the browser's cache.
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(workerUrl).catch(function (error) {
      if (window.console) console.warn("offline worker not registered", error);
    });
  });
})();
