/* ExitWatch's offline worker. People in Russia lose their connection
 * (filtering, shutdowns): after one visit the map, /lite/ and the crossing
 * pages must still open, showing the last copy with its age, never as current.
 *
 * Served at /sw.js (its scope is the whole site) by
 * routes.mapdoc.views.service_worker, which writes self.EXITWATCH above this
 * file: the deploy's version, whether static URLs are hashed, and the offline
 * notice in every language. docs/offline.md says what is kept and why.
 */
(function () {
  "use strict";

  var CONFIG = self.EXITWATCH;
  // One deploy's scripts, styles and catalogues: dropped with the deploy.
  var SHELL = "exitwatch-shell-" + CONFIG.version;
  // Pages and documents outlive a deploy: the last copy is the point.
  var DATA = "exitwatch-data-v1";
  var STAMP = "X-ExitWatch-Cached-At";
  // A filtered connection hangs rather than fails: past this, show the copy.
  var NETWORK_WAIT_MS = 10000;

  var SHELL_PATHS = /^\/(static|jsi18n)\//;
  var MAP_DOCUMENT = /^\/api\/v1\/map\//;
  // The documents the map is drawn from (full, lean in a language), not one
  // crossing's details: only these say whether the map is a copy.
  var MAP_DRAWN_FROM = /^\/api\/v1\/map\/(lean\/[\w-]+\/)?$/;
  var DATA_PATHS = /^\/api\/v1\/(map|open-to-me|access-rules|entry-rules|crossings)\//;
  var PAGES = /^\/(lite\/(crossings\/[\w-]+\/)?|crossings\/[\w-]+\/)?$/;
  // What a cached page names that it needs offline.
  var NEEDED = /="(\/(?:static\/|jsi18n\/|api\/v1\/map\/)[^"]*)"/g;

  // Whether this worker's install fetched again every page it keeps, with the
  // files they now name. Only then may the last deploy's files go: a kept page
  // still naming them would open offline without its styles and scripts.
  var pagesRenewed = false;

  self.addEventListener("install", function (event) {
    event.waitUntil(keptPages().then(function (paths) {
      return Promise.all(paths.map(keepPage));
    }).then(function (done) {
      pagesRenewed = done.every(Boolean);
      return self.skipWaiting();
    }));
  });

  self.addEventListener("activate", function (event) {
    event.waitUntil(caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        if (name.indexOf("exitwatch-") !== 0 || name === SHELL || name === DATA) return false;
        // An older deploy's files stay while a kept page may still name them;
        // the next worker whose install renews every page drops them.
        return pagesRenewed || name.indexOf("exitwatch-shell-") !== 0;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); }));
  });

  // "/" and "/lite/", and every page kept so far (a crossing's, /lite/ in the
  // other language).
  function keptPages() {
    return caches.open(DATA).then(function (cache) { return cache.keys(); }).then(function (requests) {
      var paths = ["/", "/lite/"];
      requests.forEach(function (request) {
        var url = new URL(request.url);
        var path = url.pathname + url.search;
        if (PAGES.test(url.pathname) && paths.indexOf(path) === -1) paths.push(path);
      });
      return paths;
    }, function () { return ["/", "/lite/"]; });
  }

  // The first visit loaded its files before the worker ran; the page names
  // them (static/js/offline.js), including a map document built in script.
  self.addEventListener("message", function (event) {
    var data = event.data || {};
    if (data.type !== "exitwatch:keep") return;
    event.waitUntil(Promise.all((data.urls || []).map(function (href) {
      var url = new URL(href, self.location.href);
      if (url.origin !== self.location.origin ||
          !(SHELL_PATHS.test(url.pathname) || MAP_DOCUMENT.test(url.pathname))) return null;
      return caches.match(url.href, { ignoreVary: true }).then(function (hit) {
        return hit || fetch(url.href).then(function (response) { return keep(url.href, response); });
      }).catch(function () {});
    })));
  });

  self.addEventListener("fetch", function (event) {
    var request = event.request;
    var url = new URL(request.url);
    // Anything else (admin, reports, Telegram, other hosts) goes to the network
    // as if there were no worker.
    if (request.method !== "GET" || url.origin !== self.location.origin ||
        request.headers.has("Authorization")) return;
    if (SHELL_PATHS.test(url.pathname)) {
      // Hashed URLs never change content; unhashed ones (development) may.
      var hashed = CONFIG.staticHashed || url.pathname.indexOf("/jsi18n/") === 0;
      event.respondWith(hashed ? cacheFirst(event) : networkFirst(event, url));
    } else if (DATA_PATHS.test(url.pathname) ||
               (request.mode === "navigate" && PAGES.test(url.pathname))) {
      event.respondWith(networkFirst(event, url));
    }
  });

  // A page and the files it names, fetched at install so that the first visit
  // is enough even though that visit loaded them before the worker ran.
  // Resolves to true when the page and every file it names were kept.
  function keepPage(path) {
    return fetch(path).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      var html = response.clone();
      return keep(path, response).then(function () { return html.text(); });
    }).then(function (html) {
      var urls = [];
      html.replace(NEEDED, function (_, url) {
        url = url.replace(/&amp;/g, "&");
        // Not a crossing's details: the page names their URL as a pattern.
        var path = url.split("?")[0];
        if (SHELL_PATHS.test(path) || MAP_DRAWN_FROM.test(path)) urls.push(url);
      });
      return Promise.all(urls.map(function (url) {
        return fetch(url).then(function (response) {
          return response.ok && keep(url, response).then(function () { return true; });
        }, function () { return false; });
      }));
    }).then(function (files) { return files.every(Boolean); }, function () {
      return false; // the runtime caching fills any gap
    });
  }

  function cacheFirst(event) {
    return caches.match(event.request.url, { ignoreVary: true }).then(function (cached) {
      if (cached) return cached;
      return fetch(event.request).then(function (response) {
        event.waitUntil(keep(event.request.url, response.clone()));
        return response;
      });
    });
  }

  // The map page is the same HTML whatever its query (?at=, a profile): its
  // script reads the query. Kept as "/", so no traveller's profile is kept.
  function keyOf(event, url) {
    return url.pathname === "/" ? url.origin + "/" : event.request.url;
  }

  function networkFirst(event, url) {
    var key = keyOf(event, url);
    var fresh = fetch(event.request);
    // Registered first, so the copy is cloned before the page reads the body.
    event.waitUntil(fresh.then(function (response) {
      return keep(key, response.clone());
    }, function () {}));
    var late = new Promise(function (resolve) { setTimeout(resolve, NETWORK_WAIT_MS); });
    function copyOr(fallback) {
      return copy(event, url).then(function (cached) { return cached || fallback; });
    }
    return Promise.race([fresh, late]).then(function (response) {
      if (!response) return copyOr(fresh);
      if (response.status >= 500) return copyOr(response);
      tell(event, url, null);
      return response;
    }, function () {
      return copyOr(fresh); // no copy: the browser's own network error
    });
  }

  // Keep a response that may be kept, stamped with when it was fetched. A 304
  // to the page's If-None-Match confirms the copy: only its stamp moves on.
  function keep(key, response) {
    if (response.status === 304) {
      return caches.open(DATA).then(function (cache) {
        return cache.match(key, { ignoreVary: true });
      }).then(function (cached) { return cached ? keep(key, cached) : null; });
    }
    var control = response.headers.get("Cache-Control") || "";
    // Private answers name a traveller's documents (the ways out, open to me):
    // they never outlive the page that asked.
    // ("default": a copy this worker made, being restamped.)
    if (response.status !== 200 || !/^(basic|default)$/.test(response.type) ||
        /private|no-store/i.test(control)) return Promise.resolve();
    var path = new URL(key, self.location.href).pathname;
    return response.arrayBuffer().then(function (body) {
      var headers = new Headers(response.headers);
      headers.set(STAMP, new Date().toISOString());
      return caches.open(SHELL_PATHS.test(path) ? SHELL : DATA).then(function (cache) {
        return cache.put(key, new Response(body, {
          status: 200, statusText: response.statusText, headers: headers
        }));
      });
    }).catch(function () {}); // a full disk must not break the page
  }

  // The kept copy, marked as one; a page gets the notice written into it.
  function copy(event, url) {
    return caches.match(keyOf(event, url), { ignoreVary: true }).then(function (cached) {
      if (!cached) return null;
      var savedAt = cached.headers.get(STAMP);
      var headers = new Headers(cached.headers);
      // The map takes a response's Date for the server's clock: a copy's would
      // turn back every age on it.
      headers.delete("Date");
      headers.delete("Content-Length");
      headers.set("X-ExitWatch-Offline", "1");
      tell(event, url, savedAt);
      var page = /text\/html/.test(headers.get("Content-Type") || "");
      var body = page ? cached.text().then(function (html) { return withNotice(html, savedAt); })
        : cached.arrayBuffer();
      return body.then(function (content) {
        return new Response(content, { status: 200, statusText: cached.statusText, headers: headers });
      });
    });
  }

  // The map page (static/js/offline.js) shows the notice for its document,
  // which may be older or newer than the page itself; null: it is current.
  function tell(event, url, savedAt) {
    if (!MAP_DRAWN_FROM.test(url.pathname) || !event.clientId) return;
    var notices = null;
    if (savedAt) {
      notices = {};
      Object.keys(CONFIG.words).forEach(function (lang) { notices[lang] = notice(savedAt, lang); });
    }
    self.clients.get(event.clientId).then(function (client) {
      if (client) client.postMessage({ type: "exitwatch:map", savedAt: savedAt, notices: notices });
    });
  }

  function withNotice(html, savedAt) {
    var lang = (/<html[^>]*\blang="([\w-]+)"/.exec(html) || [])[1];
    var text = notice(savedAt, lang).replace(/[&<>"]/g, function (ch) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[ch];
    });
    return html.replace(/<body[^>]*>/, function (tag) {
      return tag + '<p class="offline-copy" role="status">' + text + "</p>";
    });
  }

  // "... a copy from 3 hours ago (6 Dec, 11:04 MSK) ...", in the page's language.
  function notice(savedAt, lang) {
    var words = CONFIG.words[lang] || CONFIG.words.en;
    lang = CONFIG.words[lang] ? lang : "en";
    var saved = new Date(savedAt);
    var minutes = Math.max(1, Math.round((Date.now() - saved.getTime()) / 60000));
    var ago = new Intl.RelativeTimeFormat(lang, { numeric: "always" });
    var age = minutes < 60 ? ago.format(-minutes, "minute")
      : minutes < 48 * 60 ? ago.format(-Math.round(minutes / 60), "hour")
        : ago.format(-Math.round(minutes / 1440), "day");
    var options = { timeZone: "Europe/Moscow", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
    if (saved.getUTCFullYear() !== new Date().getUTCFullYear()) options.year = "numeric";
    var time = new Intl.DateTimeFormat(lang, options).format(saved) + " " + words.msk;
    return words.copy.replace("%(age)s", age).replace("%(time)s", time);
  }
})();
