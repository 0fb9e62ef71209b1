/* ExitWatch map page: draws the lean map document in the page's language
 * (GET /api/v1/map/lean/<lang>/, shape in docs/map-snapshot.md; small enough
 * for networks that cut connections after ~16 KB) as markers, route lines, a
 * filterable list and the flights and advisories panels, and refreshes it
 * every minute. A popup shows what the lean document has at once and fetches
 * the rest of its crossing (restrictions, notes, sources, hours) from
 * GET /api/v1/map/crossings/<slug>/, cut from the same build. With ?at= in
 * the page's URL (set by the date control, so a link shows the same map) it
 * draws the map as it stood then, under a banner that says so.
 *
 * Freshness is judged here, against the reader's clock: a copy of the
 * document kept for days (a cache, a service worker) shows its crossings as
 * "last known", never in the colours of a current status.
 *
 * "Open to me": a traveller's profile (citizenship, document, visa, way of
 * travelling) asks GET /api/v1/open-to-me/ which crossings they may use; those
 * they may not are struck through on the map (or hidden), and the list and
 * popups say why, with the reason's source. The profile lives in the page's
 * URL and, only when the person ticks the box, in this browser (the key and
 * shape static/js/waysout.js uses); it is sent nowhere but in that one GET.
 *
 * No inline script anywhere: settings arrive as data- attributes on #dashboard,
 * translations from Django's JavaScript catalog (gettext, ngettext, pgettext,
 * interpolate). Every string from the data goes through textContent, never
 * innerHTML: names and notes come from people. If Leaflet fails to load, the
 * list and panels still work; if the tiles fail, markers and lines still do.
 */
(function () {
  "use strict";

  var root = document.getElementById("dashboard");
  if (!root) return;

  // --- Settings and words ------------------------------------------------------
  var cfg = root.dataset;
  var lang = cfg.lang === "ru" ? "ru" : "en";
  var TZ = "Europe/Moscow";
  var REFRESH_MS = (parseInt(cfg.refreshSeconds, 10) || 60) * 1000;
  var STATUSES = ["open", "restricted", "closed", "unknown"];
  var WAIT_MODES = ["car", "bus", "truck", "pedestrian"];

  // Called by these names so that makemessages finds the strings.
  var gettext = window.gettext || function (s) { return s; };
  var ngettext = window.ngettext || function (s, p, n) { return n === 1 ? s : p; };
  var pgettext = window.pgettext || function (c, s) { return s; };
  function fmt(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) {
      return values[key] === undefined ? "" : String(values[key]);
    });
  }

  function optionLabels(selectId) {
    var labels = {};
    var select = document.getElementById(selectId);
    if (select) {
      Array.prototype.forEach.call(select.options, function (o) {
        if (o.value) labels[o.value] = o.textContent.trim();
      });
    }
    return labels;
  }
  // Status and mode words come from the server-rendered filters: one translation.
  var statusLabel = optionLabels("f-status");
  var modeLabel = optionLabels("f-mode");
  var sourcePhrase = {
    official: gettext("an official source"),
    staff: gettext("ExitWatch staff"),
    partner: gettext("a partner organisation"),
    traveller: gettext("travellers"),
    feed: gettext("an automatic feed")
  };
  var levelLabel = {
    1: gettext("Exercise normal precautions"),
    2: gettext("Exercise increased caution"),
    3: gettext("Reconsider travel"),
    4: gettext("Do not travel")
  };

  // --- Formatting: numbers, waits, moments (Moscow time, UTC on hover) ----------
  var numberFormat = new Intl.NumberFormat(lang);
  var clockFormat = new Intl.DateTimeFormat(lang, {
    timeZone: TZ, day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23"
  });
  var clockYearFormat = new Intl.DateTimeFormat(lang, {
    timeZone: TZ, day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23"
  });
  var timeFormat = new Intl.DateTimeFormat(lang, {
    timeZone: TZ, hour: "2-digit", minute: "2-digit", hourCycle: "h23"
  });
  var dayFormat = new Intl.DateTimeFormat(lang, {
    timeZone: "UTC", weekday: "short", day: "numeric", month: "short"
  });
  var longDayFormat = new Intl.DateTimeFormat(lang, {
    timeZone: TZ, day: "numeric", month: "long", year: "numeric"
  });
  var YEAR_MS = 365 * 24 * 3600 * 1000;
  var relative = window.Intl && Intl.RelativeTimeFormat
    ? new Intl.RelativeTimeFormat(lang, { numeric: "auto" }) : null;
  var zoneName = pgettext("time zone", "MSK");

  function formatWait(minutes) {
    if (minutes === null || minutes === undefined) return "—";
    if (minutes < 60) return fmt(gettext("%(minutes)s min"), { minutes: minutes });
    var hours = Math.floor(minutes / 60), rest = minutes % 60;
    if (hours < 24) {
      return rest ? fmt(gettext("%(hours)s h %(minutes)s min"), { hours: hours, minutes: rest })
        : fmt(gettext("%(hours)s h"), { hours: hours });
    }
    var days = Math.floor(hours / 24);
    hours = hours % 24;
    return hours ? fmt(gettext("%(days)s d %(hours)s h"), { days: days, hours: hours })
      : fmt(gettext("%(days)s d"), { days: days });
  }

  // "24 h" is how the short form of the official hours says round the clock:
  // a word to translate. A span of times reads the same in both languages.
  function hoursText(hours) {
    return hours.replace(/\s/g, "") === "24h" ? pgettext("opening hours", "24 h") : hours;
  }

  // A side's note in the page's language when a Russian one was given.
  function sideNoteText(side) {
    return (lang === "ru" && side.note_ru) || side.note || "";
  }

  function utcText(date) {
    return date.toISOString().slice(0, 16).replace("T", " ") + " UTC";
  }

  function clockText(date) {
    var thisYear = new Date(serverNow()).getUTCFullYear() === date.getUTCFullYear();
    return (thisYear ? clockFormat : clockYearFormat).format(date) + " " + zoneName;
  }

  function ageText(date) {
    var minutes = Math.round((mapNow() - date.getTime()) / 60000);
    if (!relative) return clockText(date);
    if (minutes < 1) return relative.format(0, "minute");
    if (minutes < 60) return relative.format(-minutes, "minute");
    if (minutes < 48 * 60) return relative.format(-Math.round(minutes / 60), "hour");
    return relative.format(-Math.round(minutes / 1440), "day");
  }

  function timeEl(iso, text) {
    var date = new Date(iso);
    var el = h("time", { datetime: iso, title: clockText(date) + " · " + utcText(date) },
      text === undefined ? clockText(date) : text);
    return el;
  }

  function formatPrice(amount, currency) {
    var value = Number(amount);
    try {
      return new Intl.NumberFormat(lang, {
        style: "currency", currency: currency, maximumFractionDigits: 0
      }).format(value);
    } catch (e) {
      return numberFormat.format(Math.round(value)) + " " + currency;
    }
  }

  // A word in the page's language: the lean document's own (`name`), else the
  // full shape's pair (`name_en`, `name_ru`), as in flights and advisories.
  function pick(obj, field) {
    if (typeof obj[field] === "string" && obj[field]) return obj[field];
    return (lang === "ru" && obj[field + "_ru"]) || obj[field + "_en"] || "";
  }

  // --- DOM helpers --------------------------------------------------------------
  function h(tag, attrs, children) {
    var el = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        var value = attrs[key];
        if (value === null || value === undefined || value === false) return;
        if (key === "className") el.className = value;
        else el.setAttribute(key, value === true ? "" : value);
      });
    }
    append(el, children);
    return el;
  }

  function append(el, children) {
    if (children === null || children === undefined) return;
    if (!Array.isArray(children)) children = [children];
    children.forEach(function (child) {
      if (child === null || child === undefined || child === false) return;
      el.appendChild(typeof child === "string" || typeof child === "number"
        ? document.createTextNode(String(child)) : child);
    });
  }

  var SVG_NS = "http://www.w3.org/2000/svg";
  function symbol(status, extraClass) {
    var svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("class", "sym" + (extraClass ? " " + extraClass : ""));
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var use = document.createElementNS(SVG_NS, "use");
    use.setAttribute("href", "#sym-" + status);
    svg.appendChild(use);
    return svg;
  }

  function badge(status, stale) {
    return h("span", { className: "badge badge-" + status + (stale ? " is-stale" : "") },
      [symbol(status), stale ? fmt(gettext("Last known: %(status)s"), { status: statusLabel[status] || status })
        : (statusLabel[status] || status)]);
  }

  // --- State ----------------------------------------------------------------------
  var state = {
    doc: null,
    etag: null,
    crossings: [],        // feature properties plus lat/lng, in document order
    bySlug: {},
    clockOffset: 0,       // server clock minus ours, from the Date header
    lastSuccess: 0,       // our clock, last answer from the server (200 or 304)
    failing: false,
    timer: null,
    at: null,             // the ?at= value the map stands at, null for now
    profile: null,        // {citizenship, document, visa, mode} once stated, else null
    verdicts: null,       // slug -> open-to-me verdict for that profile and moment
    verdictsKey: "",      // the query the verdicts answer
    verdictsAsked: 0      // a counter: only the newest question's answer is used
  };

  function serverNow() { return Date.now() + state.clockOffset; }

  // The moment the map stands at: now, or the past moment of ?at=. Ages and
  // freshness are counted from it, as the snapshot counted `stale`.
  function mapNow() {
    var at = state.doc && state.doc.at ? Date.parse(state.doc.at) : NaN;
    return isNaN(at) ? serverNow() : at;
  }

  // The server's Date corrects a reader whose clock is wrong, slow or fast.
  // Only a live answer's Date is the server's clock: the map document is
  // fetched past the HTTP cache (download), and a copy the offline worker
  // answers with has no Date and says it is one. A stored copy's Date would be
  // as old as the copy and make its figures look current.
  function noteServerClock(response) {
    if (response.headers.get("X-ExitWatch-Offline")) return;
    var date = Date.parse(response.headers.get("Date") || "");
    if (!isNaN(date)) state.clockOffset = date - Date.now();
  }

  function variantStatus(status) {
    return STATUSES.indexOf(status) === -1 ? "unknown" : status;
  }

  // How visible a crossing's marker is: full while its data is fresh, fading with
  // age past its threshold, faintest when nothing was ever reported. Past its
  // threshold the marker also loses its colour (CSS .is-stale): a status older
  // than its window is never drawn like a current one. Judged from the last
  // observation and this clock, never from a flag the server set when it
  // built the document: that document may be days old by now.
  function freshness(c) {
    if (!c.last_observed_at) return 0.4;
    var limit = c.stale_after_minutes || 360;
    var age = (mapNow() - Date.parse(c.last_observed_at)) / 60000;
    if (age <= limit) return 1;
    var k = Math.min(1, Math.max(0, (age - limit) / (3 * limit)));
    return 0.8 - 0.4 * k;
  }

  function isStale(c) {
    return freshness(c) < 1;
  }

  // The status in words; "last known: open" once older than its window.
  function statusWord(c) {
    var status = variantStatus(c.status);
    var word = statusLabel[status] || status;
    return isStale(c) ? fmt(gettext("last known: %(status)s"), { status: word }) : word;
  }

  // --- Map --------------------------------------------------------------------------
  var L = window.L;
  var map = null, cluster = null, routeLayer = null, markers = {};
  var tileErrors = 0, tileLoads = 0;

  function setupMap() {
    if (!L) {
      document.getElementById("map").appendChild(
        h("p", { className: "map-missing" }, gettext("The map could not be loaded. The list below still works.")));
      return;
    }
    var bounds;
    try { bounds = JSON.parse(cfg.bounds); } catch (e) { bounds = [[40.5, 19], [70.5, 135.5]]; }
    map = L.map("map", {
      minZoom: parseInt(cfg.minZoom, 10) || 2,
      maxZoom: parseInt(cfg.maxZoom, 10) || 18,
      zoomSnap: 0.5
    });
    map.attributionControl.setPrefix(cfg.attributionPrefix || false);
    map.fitBounds(bounds);
    var tiles = L.tileLayer(cfg.tilesUrl, {
      attribution: cfg.attribution,
      maxZoom: parseInt(cfg.maxZoom, 10) || 18,
      referrerPolicy: "strict-origin"
    });
    tiles.on("tileerror", function () { tileErrors += 1; showTileNotice(); });
    tiles.on("tileload", function () { tileLoads += 1; showTileNotice(); });
    tiles.addTo(map);

    cluster = L.markerClusterGroup ? L.markerClusterGroup({
      maxClusterRadius: 36,
      disableClusteringAtZoom: 7,
      showCoverageOnHover: false,
      spiderfyOnMaxZoom: true,
      iconCreateFunction: clusterIcon
    }) : L.layerGroup();
    cluster.addTo(map);
  }

  function showTileNotice() {
    var notice = document.getElementById("tile-notice");
    notice.hidden = !(tileErrors >= 3 && tileErrors > tileLoads);
  }

  function markerIcon(c) {
    var status = variantStatus(c.status);
    return L.divIcon({
      className: "crossing-marker status-" + status + (isStale(c) ? " is-stale" : "") +
        (c.cargo_only ? " is-cargo" : "") + (notForYou(c) ? " is-not-for-you" : ""),
      html: '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><use href="#sym-' + status + '"/></svg>',
      iconSize: [26, 26],
      iconAnchor: [13, 13],
      popupAnchor: [0, -12]
    });
  }

  function clusterIcon(group) {
    var children = group.getAllChildMarkers();
    var counts = { open: 0, restricted: 0, closed: 0, unknown: 0, stale: 0, notyou: 0 };
    children.forEach(function (m) {
      counts[m.options.notyou ? "notyou" : m.options.stale ? "stale" : m.options.status] += 1;
    });
    var n = children.length;
    // A ring split by status: r = 100 / 2π, so the circumference is 100 units.
    var svg = '<svg viewBox="0 0 42 42" aria-hidden="true" focusable="false">' +
      '<circle class="cl-bg" cx="21" cy="21" r="15.9155"/>';
    var offset = 25;
    var parts = [];
    STATUSES.concat(["stale", "notyou"]).forEach(function (status) {
      if (!counts[status]) return;
      var share = (counts[status] / n) * 100;
      svg += '<circle class="cl-seg cl-' + status + '" cx="21" cy="21" r="15.9155" stroke-dasharray="' +
        share.toFixed(2) + " " + (100 - share).toFixed(2) + '" stroke-dashoffset="' + offset.toFixed(2) + '"/>';
      offset -= share;
      parts.push(counts[status] + " " + (status === "stale" ? gettext("last known, old data")
        : status === "notyou" ? gettext("not open to you")
          : (statusLabel[status] || status).toLowerCase()));
    });
    svg += "</svg>";
    var label = fmt(ngettext("%(count)s crossing: %(parts)s", "%(count)s crossings: %(parts)s", n),
      { count: n, parts: parts.join(", ") });
    return L.divIcon({
      className: "crossing-cluster",
      html: svg + '<span class="cl-n" data-count="' + n + '" aria-hidden="true">' + n + "</span>" +
        '<span class="visually-hidden">' + escapeHtml(label) + "</span>",
      iconSize: [42, 42]
    });
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (ch) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[ch];
    });
  }

  var ROUTE_STYLE = {
    open: { color: "#007d5b", dashArray: null },
    restricted: { color: "#b87f00", dashArray: "12 6" },
    closed: { color: "#c14f00", dashArray: "3 7" },
    unknown: { color: "#5f6368", dashArray: "1 7" }
  };

  // A route is drawn in its crossing's status, and fades with its crossing.
  function routeState(p) {
    var crossing = state.bySlug[p.crossing];
    return {
      status: crossing ? variantStatus(crossing.status) : "unknown",
      stale: crossing ? isStale(crossing) : true
    };
  }

  function routeStyle(feature) {
    var now = routeState(feature.properties);
    var s = ROUTE_STYLE[now.status];
    return {
      // Old data keeps its dash (the last known status) but not its colour.
      color: now.stale ? ROUTE_STYLE.unknown.color : s.color,
      dashArray: s.dashArray, weight: 4, lineCap: "round",
      opacity: now.stale ? 0.45 : 0.85, className: "route route-" + now.status
    };
  }

  // The lean document's routes ({slug, name, crossing, distance_km, path}) as
  // GeoJSON lines: the path is [lon, lat] pairs, as in GeoJSON.
  function drawRoutes(doc) {
    if (!map) return;
    if (routeLayer) map.removeLayer(routeLayer);
    var features = (doc.routes || []).map(function (route) {
      return { type: "Feature", geometry: { type: "LineString", coordinates: route.path }, properties: route };
    });
    routeLayer = L.geoJSON({ type: "FeatureCollection", features: features }, {
      style: routeStyle,
      onEachFeature: function (feature, layer) {
        layer.bindPopup(function () { return routePopup(feature.properties); });
        // A DOM node, not a string: Leaflet puts a string tooltip in as HTML.
        layer.bindTooltip(h("span", null, pick(feature.properties, "name")), { sticky: true });
      }
    }).addTo(map);
  }

  // Ages move on between documents: a route turns grey with its crossing.
  function restyleRoutes() {
    if (routeLayer) routeLayer.setStyle(routeStyle);
  }

  function routePopup(p) {
    var crossing = state.bySlug[p.crossing];
    var now = routeState(p);
    var children = [
      h("h3", null, pick(p, "name")),
      h("p", null, badge(now.status, now.stale))
    ];
    if (p.distance_km) {
      children.push(h("p", null, fmt(gettext("About %(km)s km"), { km: numberFormat.format(p.distance_km) })));
    }
    if (crossing) {
      children.push(h("p", null, [
        gettext("Crossing:") + " ",
        h("a", { href: crossing.url }, pick(crossing, "name") + " — " + pick(crossing, "neighbour_name"))
      ]));
    }
    return h("div", { className: "popup" }, children);
  }

  // --- Crossing details: what a popup adds to the lean document -------------
  // Fetched when a popup opens, for the document's own version and moment, and
  // kept until the next document; a failure is retried at the next opening.
  var details = { key: "", bySlug: {} };

  function detailsFor(slug) {
    var key = state.doc ? state.doc.version + "|" + (state.doc.at || "") : "";
    if (details.key !== key) {
      details.key = key;
      details.bySlug = {};
    }
    return details.bySlug[slug] || null;
  }

  function detailUrl(slug) {
    var url = cfg.crossingUrl.replace(/-\/$/, encodeURIComponent(slug) + "/");
    return state.doc && state.doc.at ? url + "?at=" + encodeURIComponent(state.doc.at) : url;
  }

  function refreshPopup(slug) {
    var entry = markers[slug];
    if (entry && entry.marker.isPopupOpen()) entry.marker.getPopup().update();
  }

  function loadDetails(slug) {
    var held = detailsFor(slug);
    if (!cfg.crossingUrl || (held && held.state !== "failed")) return;
    var key = details.key;
    details.bySlug[slug] = { state: "loading" };
    refreshPopup(slug);
    fetch(detailUrl(slug), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (feature) {
        return { state: "loaded", properties: (feature && feature.properties) || {} };
      }, function () {
        return { state: "failed" };
      })
      .then(function (result) {
        if (details.key !== key) return; // a newer document came meanwhile
        details.bySlug[slug] = result;
        refreshPopup(slug);
      });
  }

  // The crossing as the lean document has it, completed by its details. The
  // lean fields win: the marker and the popup then say the same.
  function withDetails(c, held) {
    if (!held || held.state !== "loaded") return c;
    var full = held.properties;
    var merged = Object.assign({}, full, c);
    merged.sides = {};
    ["ru", "neighbour"].forEach(function (key) {
      merged.sides[key] = Object.assign({}, (full.sides || {})[key], (c.sides || {})[key]);
    });
    return merged;
  }

  // While the details come: a line saying so; if they cannot come, where the
  // same words are without script.
  function detailsLine(c, held) {
    if (held && held.state === "failed") {
      var lite = cfg.liteUrl + (state.doc && state.doc.at ? "?at=" + encodeURIComponent(state.doc.at) : "") +
        "#c-" + String(c.country || "").toLowerCase();
      return h("p", { className: "details-error" }, [
        gettext("Details could not be loaded."), " ",
        h("a", { href: lite }, gettext("The text-only page has them."))
      ]);
    }
    return h("p", { className: "meta details-loading" }, gettext("Loading details…"));
  }

  function popupFor(slug) {
    var held = detailsFor(slug);
    return crossingPopup(withDetails(state.bySlug[slug], held), held);
  }

  function crossingPopup(c, held) {
    var status = variantStatus(c.status);
    var loaded = Boolean(held && held.state === "loaded");
    var children = [
      h("h3", null, h("a", { href: c.url }, pick(c, "name") + " — " + pick(c, "neighbour_name"))),
      h("p", { className: "where" }, [pick(c, "country_name"), pick(c, "region") ? " · " + pick(c, "region") : ""]),
      h("p", null, [badge(status, isStale(c)), isStale(c) ? " " : "", isStale(c) ? h("span", { className: "tag-stale" }, gettext("old data")) : null]),
      verdictLine(c)
    ];
    labels(c).forEach(function (label) { children.push(label); });
    children.push(sidesBlock(c));
    var waits = waitEntries(c);
    if (waits.length) {
      var dl = h("dl");
      waits.forEach(function (w) {
        var basis = basisText(c, w.mode);
        append(dl, [
          h("dt", null, modeLabel[w.mode] || w.mode),
          h("dd", null, [formatWait(w.minutes), basis ? h("span", { className: "basis" }, " (" + basis + ")") : null])
        ]);
      });
      children.push(dl);
    } else {
      children.push(h("p", null, gettext("No wait reported.")));
    }
    if (c.queue_length !== null && c.queue_length !== undefined) {
      children.push(h("p", null, fmt(ngettext("Queue: %(count)s vehicle", "Queue: %(count)s vehicles", c.queue_length),
        { count: numberFormat.format(c.queue_length) })));
    }
    if (!loaded) children.push(detailsLine(c, held));
    var restrictions = pick(c, "restrictions");
    if (restrictions) children.push(h("p", null, [h("strong", null, gettext("Restrictions:") + " "), restrictions]));
    if (c.hours) children.push(h("p", null, fmt(gettext("Hours: %(hours)s"), { hours: hoursText(c.hours) })));
    var sides = c.sides || {};
    var sideNote = [sides.ru, sides.neighbour].some(function (side) { return side && side.note === c.note; });
    if (c.note && !sideNote) children.push(h("p", { className: "note" }, "“" + c.note + "”"));
    children.push(h("p", { className: "meta" }, updatedLine(c)));
    children.push(h("p", null, h("a", { href: c.url }, gettext("Details, history and sources"))));
    return h("div", { className: "popup", "data-details": held ? held.state : "loading" }, children);
  }

  function updatedLine(c) {
    if (!c.last_observed_at) return gettext("No reports yet.");
    var date = new Date(c.last_observed_at);
    var source = sourcePhrase[c.last_source_kind];
    var text = source ? fmt(gettext("updated %(age)s by %(source)s"), { age: ageText(date), source: source })
      : fmt(gettext("updated %(age)s"), { age: ageText(date) });
    return timeEl(c.last_observed_at, text);
  }

  // What kind of crossing this is, when that limits who may use it.
  function labels(c) {
    var out = [];
    if (c.cargo_only) out.push(h("p", { className: "label-cargo" }, gettext("Not for travellers: cargo only.")));
    if (c.de_facto) out.push(h("p", { className: "label-defacto" }, gettext("De facto border: no state on this border recognises it.")));
    if (c.bilateral === true) {
      out.push(h("p", { className: "label-bilateral" }, fmt(gettext("Only citizens of Russia and %(country)s may cross."),
        { country: pick(c, "country_name") })));
    }
    return out;
  }

  // Each side's own last claim, with its source and age; the crossing's status
  // is the stricter of the two, and the popup says so.
  function sidesBlock(c) {
    var sides = c.sides || {};
    var names = {
      ru: gettext("Russian side"),
      neighbour: fmt(gettext("Neighbour's side (%(country)s)"), { country: pick(c, "country_name") })
    };
    var limit = (c.stale_after_minutes || 360) * 60000;
    var dl = h("dl", { className: "sides" });
    ["ru", "neighbour"].forEach(function (key) {
      var side = sides[key] || {};
      var status = variantStatus(side.status);
      var parts = [];
      if (side.observed_at) {
        var when = new Date(side.observed_at);
        parts.push(badge(status, mapNow() - when.getTime() > limit));
        parts.push(" ");
        parts.push(timeEl(side.observed_at, ageText(when)));
        var source = sourcePhrase[side.source_kind];
        if (source) {
          parts.push(" · ");
          parts.push(side.source_url ? h("a", { href: side.source_url, rel: "noopener noreferrer nofollow" }, source) : source);
        }
        var note = sideNoteText(side);
        if (note) parts.push(h("span", { className: "note" }, " “" + note + "”"));
      } else {
        parts.push(gettext("no sourced claim yet"));
      }
      append(dl, [h("dt", null, names[key]), h("dd", null, parts)]);
    });
    return h("div", { className: "sides-block" }, [
      dl, h("p", { className: "meta" }, gettext("The crossing's status is the stricter of its two sides."))
    ]);
  }

  // What a wait rests on, when the snapshot says ("median of 4 traveller
  // reports, last 40 min ago"); empty when it does not.
  function basisText(c, mode) {
    var basis = c.wait_basis && c.wait_basis[mode];
    if (!basis) return "";
    if (basis.source_kind === "traveller" && basis.count && basis.last_observed_at) {
      var ago = ageText(new Date(basis.last_observed_at));
      return basis.count === 1
        ? fmt(gettext("1 traveller report, %(ago)s"), { ago: ago })
        : fmt(ngettext("median of %(count)s traveller report, last %(ago)s",
          "median of %(count)s traveller reports, last %(ago)s", basis.count),
        { count: basis.count, ago: ago });
    }
    return sourcePhrase[basis.source_kind] || "";
  }

  function waitEntries(c) {
    var waits = c.waits || {};
    return WAIT_MODES.filter(function (mode) {
      return waits[mode] !== null && waits[mode] !== undefined;
    }).map(function (mode) { return { mode: mode, minutes: waits[mode] }; });
  }

  function syncMarkers(visible) {
    if (!map) return;
    var wanted = {};
    visible.forEach(function (c) { wanted[c.slug] = true; });
    var toAdd = [], toRemove = [];
    Object.keys(markers).forEach(function (slug) {
      if (!state.bySlug[slug] || !wanted[slug]) {
        if (markers[slug].onMap) toRemove.push(markers[slug].marker);
        markers[slug].onMap = false;
        if (!state.bySlug[slug]) delete markers[slug];
      }
    });
    state.crossings.forEach(function (c) {
      var entry = markers[c.slug];
      var status = variantStatus(c.status);
      var notyou = notForYou(c);
      var title = pick(c, "name") + " — " + pick(c, "neighbour_name") + ": " + statusWord(c) + verdictWord(c);
      if (!entry) {
        var marker = L.marker([c.lat, c.lng], {
          icon: markerIcon(c), title: title, keyboard: true, riseOnHover: true, status: status, stale: isStale(c),
          notyou: notyou
        });
        marker.bindPopup(function () { return popupFor(c.slug); }, { maxWidth: 300 });
        marker.on("popupopen", function () { loadDetails(c.slug); });
        marker.on("add", function () {
          var el = marker.getElement();
          if (el) el.setAttribute("aria-label", marker.options.title);
        });
        entry = markers[c.slug] = { marker: marker, status: status, stale: isStale(c), notyou: notyou, onMap: false };
      } else {
        entry.marker.setLatLng([c.lat, c.lng]);
        entry.marker.options.title = title;
        if (entry.status !== status || entry.stale !== isStale(c) || entry.notyou !== notyou) {
          entry.marker.options.status = status;
          entry.marker.options.stale = entry.stale = isStale(c);
          entry.marker.options.notyou = entry.notyou = notyou;
          entry.marker.setIcon(markerIcon(c));
          entry.status = status;
        }
        var el = entry.marker.getElement();
        if (el) { el.setAttribute("title", title); el.setAttribute("aria-label", title); }
      }
      entry.marker.setOpacity(freshness(c));
      if (wanted[c.slug] && !entry.onMap) { toAdd.push(entry.marker); entry.onMap = true; }
    });
    if (cluster.removeLayers) {
      cluster.removeLayers(toRemove);
      cluster.addLayers(toAdd);
      cluster.refreshClusters();
    } else {
      toRemove.forEach(function (m) { cluster.removeLayer(m); });
      toAdd.forEach(function (m) { cluster.addLayer(m); });
    }
  }

  function focusCrossing(slug) {
    var entry = markers[slug];
    if (!map || !entry) return;
    collapseSheet();
    var open = function () { entry.marker.openPopup(); };
    if (cluster.zoomToShowLayer && entry.onMap) {
      map.setView(entry.marker.getLatLng(), Math.max(map.getZoom(), 8), { animate: false });
      cluster.zoomToShowLayer(entry.marker, open);
    } else {
      map.setView(entry.marker.getLatLng(), Math.max(map.getZoom(), 8));
      open();
    }
  }

  // --- List, filters, sort ------------------------------------------------------------
  var els = {
    q: document.getElementById("f-q"),
    country: document.getElementById("f-country"),
    status: document.getElementById("f-status"),
    mode: document.getElementById("f-mode"),
    sort: document.getElementById("f-sort"),
    cargo: document.getElementById("f-cargo"),
    list: document.getElementById("crossing-list"),
    count: document.getElementById("crossing-count"),
    empty: document.getElementById("crossing-empty"),
    updated: document.getElementById("updated"),
    offline: document.getElementById("offline")
  };

  function fold(text) {
    return String(text || "").toLowerCase().normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "").replace(/ё/g, "е");
  }

  // The page's language, plus the crossing's and country's names in the other
  // one (the lean document carries those for search alone): "Ларс" finds Upper
  // Lars on the English page. Regions are searched in the page's language.
  function searchText(c) {
    return fold([c.slug, c.name, c.neighbour_name, c.other_names, c.country,
      c.country_name, c.country_other_name, c.region].join(" "));
  }

  function matches(c, f) {
    if (c.cargo_only && !f.cargo) return false;
    if (f.country && c.country !== f.country) return false;
    if (f.status && variantStatus(c.status) !== f.status) return false;
    if (f.mode && (c.modes || []).indexOf(f.mode) === -1) return false;
    // Until the first answer comes, nothing is hidden for want of one.
    if (f.onlyOpen && state.verdicts && !openToYou(c)) return false;
    if (f.q) {
      var words = fold(f.q).split(/\s+/).filter(Boolean);
      for (var i = 0; i < words.length; i++) {
        if (c._search.indexOf(words[i]) === -1) return false;
      }
    }
    return true;
  }

  // The wait that matters for sorting: the chosen mode's, else the shortest known.
  function sortWait(c, mode) {
    var waits = c.waits || {};
    if (mode) return waits[mode] === undefined ? null : waits[mode];
    var known = WAIT_MODES.map(function (m) { return waits[m]; })
      .filter(function (v) { return v !== null && v !== undefined; });
    return known.length ? Math.min.apply(null, known) : null;
  }

  var collator = new Intl.Collator(lang);
  var BEST_ORDER = { open: 0, restricted: 1, unknown: 2, closed: 3 };
  function byName(a, b) { return collator.compare(pick(a, "name"), pick(b, "name")); }

  function sorter(key, mode) {
    if (key === "name") return byName;
    if (key === "country") {
      return function (a, b) {
        return collator.compare(pick(a, "country_name"), pick(b, "country_name")) || byName(a, b);
      };
    }
    if (key === "updated") {
      return function (a, b) {
        var ta = a.last_observed_at ? Date.parse(a.last_observed_at) : -Infinity;
        var tb = b.last_observed_at ? Date.parse(b.last_observed_at) : -Infinity;
        return (tb - ta) || byName(a, b);
      };
    }
    if (key === "best") {
      // Confirmed before last known; then open, restricted, unknown, closed;
      // then the shortest wait, then the name.
      return function (a, b) {
        // With a profile, what the traveller may use comes before the rest.
        var d = (Number(notForYou(a)) - Number(notForYou(b))) ||
          (Number(isStale(a)) - Number(isStale(b))) ||
          (BEST_ORDER[variantStatus(a.status)] - BEST_ORDER[variantStatus(b.status)]);
        if (d) return d;
        var wa = sortWait(a, mode), wb = sortWait(b, mode);
        if (wa !== wb) return wa === null ? 1 : wb === null ? -1 : wa - wb;
        return byName(a, b);
      };
    }
    // Shortest wait first; crossings with no wait known next; closed ones last.
    return function (a, b) {
      var ga = a.status === "closed" ? 2 : (sortWait(a, mode) === null ? 1 : 0);
      var gb = b.status === "closed" ? 2 : (sortWait(b, mode) === null ? 1 : 0);
      if (ga !== gb) return ga - gb;
      if (ga === 0) {
        var d = sortWait(a, mode) - sortWait(b, mode);
        if (d) return d;
      }
      return byName(a, b);
    };
  }

  function currentFilters() {
    return {
      q: els.q.value.trim(),
      country: els.country.value,
      status: els.status.value,
      mode: els.mode.value,
      sort: els.sort.value,
      cargo: els.cargo ? els.cargo.checked : false,
      onlyOpen: Boolean(state.profile && you.only && you.only.checked)
    };
  }

  function fillCountries() {
    var seen = {};
    var countries = [];
    state.crossings.forEach(function (c) {
      if (seen[c.country]) return;
      seen[c.country] = true;
      countries.push({ code: c.country, name: pick(c, "country_name") || c.country });
    });
    countries.sort(function (a, b) { return collator.compare(a.name, b.name); });
    var selected = els.country.value;
    while (els.country.options.length > 1) els.country.remove(1);
    countries.forEach(function (c) {
      els.country.appendChild(h("option", { value: c.code }, c.name));
    });
    els.country.value = seen[selected] ? selected : "";
  }

  function listItem(c, mode) {
    var status = variantStatus(c.status);
    var waits = waitEntries(c).filter(function (w) { return !mode || w.mode === mode; });
    var waitLine = [];
    waits.forEach(function (w, i) {
      if (i) waitLine.push(" · ");
      waitLine.push(h("span", { className: "w" }, (modeLabel[w.mode] || w.mode) + " " + formatWait(w.minutes)));
    });
    if (!waits.length && status !== "closed") waitLine.push(gettext("no wait reported"));
    var age = c.last_observed_at ? ageText(new Date(c.last_observed_at)) : gettext("no reports yet");
    var stale = isStale(c);
    var button = h("button", { type: "button", className: "focus", "data-slug": c.slug }, [
      symbol(status),
      h("span", { className: "text" }, [
        h("span", { className: "name" }, pick(c, "name") + " — " + pick(c, "neighbour_name")),
        h("span", { className: "sub" }, [
          h("span", { className: "status-word" }, statusWord(c)),
          " · " + pick(c, "country_name"),
          c.cargo_only ? h("span", { className: "label-cargo" }, " · " + gettext("not for travellers")) : null
        ]),
        waitLine.length ? h("span", { className: "waitline" }, waitLine) : null,
        h("span", { className: "age" }, [age, stale ? " · " : "", stale ? h("span", { className: "tag-stale" }, gettext("old data")) : null])
      ])
    ]);
    var details = h("a", {
      className: "details", href: c.url,
      "aria-label": fmt(gettext("Details: %(name)s"), { name: pick(c, "name") })
    }, "›");
    // The verdict sits outside the button: its source link cannot be inside one.
    return h("li", {
      className: "status-" + status + (stale ? " is-stale" : "") + (notForYou(c) ? " is-not-for-you" : ""),
      "data-slug": c.slug
    }, [button, details, verdictLine(c)]);
  }

  function render() {
    var f = currentFilters();
    var visible = state.crossings.filter(function (c) { return matches(c, f); });
    visible.sort(sorter(f.sort, f.mode));
    var fragment = document.createDocumentFragment();
    visible.forEach(function (c) { fragment.appendChild(listItem(c, f.mode)); });
    var focusedSlug = document.activeElement && document.activeElement.getAttribute("data-slug");
    els.list.textContent = "";
    els.list.appendChild(fragment);
    if (focusedSlug) {
      var again = els.list.querySelector('button[data-slug="' + focusedSlug + '"]');
      if (again) again.focus();
    }
    var active = [f.country, f.status, f.mode].filter(Boolean).length;
    document.getElementById("filter-active").textContent = active ? "(" + active + ")" : "";
    els.empty.hidden = visible.length > 0 || !state.doc;
    var total = state.crossings.filter(function (c) { return f.cargo || !c.cargo_only; }).length;
    els.count.textContent = visible.length === total
      ? "(" + visible.length + ")"
      : fmt(gettext("(%(shown)s of %(total)s)"), { shown: visible.length, total: total });
    showVerdictSummary();
    syncMarkers(visible);
    restyleRoutes();
  }

  // --- Flights and advisories -----------------------------------------------------------
  function renderFlights(doc) {
    var list = document.getElementById("flight-list");
    var flights = (doc.flights || []).slice().sort(function (a, b) {
      return (Number(!a.any_seats) - Number(!b.any_seats)) ||
        (Number(a.sold_out) - Number(b.sold_out)) ||
        collator.compare(pick(a, "origin_city"), pick(b, "origin_city")) ||
        collator.compare(pick(a, "destination_city"), pick(b, "destination_city"));
    });
    list.textContent = "";
    flights.slice(0, 12).forEach(function (f) {
      var route = pick(f, "origin_city") + " (" + f.origin + ") → " + pick(f, "destination_city") + " (" + f.destination + ")";
      var line = [];
      if (f.min_price !== null && f.min_price !== undefined) {
        line.push(h("span", { className: "price" }, fmt(gettext("from %(price)s"), { price: formatPrice(f.min_price, f.currency) })));
      } else {
        line.push(h("span", { className: "price none" }, gettext("no price reported")));
      }
      line.push(" · ");
      if (f.sold_out) {
        line.push(h("span", { className: "soldout-tag" }, gettext("Sold out")));
      } else if (f.any_seats) {
        var day = f.next_departure_with_seats || f.next_departure_date;
        line.push(day ? fmt(gettext("seats on %(day)s"), { day: dayFormat.format(new Date(day + "T00:00:00Z")) }) : gettext("seats reported"));
      } else {
        line.push(gettext("seats unknown"));
      }
      var meta = [fmt(ngettext("%(count)s report", "%(count)s reports", f.reports || 0), { count: f.reports || 0 })];
      if (f.last_observed_at) {
        meta.push(" · ");
        meta.push(timeEl(f.last_observed_at, fmt(gettext("last report %(age)s"), { age: ageText(new Date(f.last_observed_at)) })));
      }
      list.appendChild(h("li", { className: f.sold_out ? "sold-out" : "" }, [
        h("span", { className: "route" }, route),
        h("span", null, line),
        h("span", { className: "meta" }, [" · "].concat(meta))
      ]));
    });
    document.getElementById("flight-empty").hidden = flights.length > 0;
  }

  function renderAdvisories(doc) {
    var list = document.getElementById("advisory-list");
    var advisories = (doc.advisories || []).slice().sort(function (a, b) {
      return (b.level - a.level) || collator.compare(pick(a, "source_name"), pick(b, "source_name"));
    });
    list.textContent = "";
    advisories.forEach(function (a) {
      var words = levelLabel[a.level] || "";
      var own = a.level_text && a.level_text.toLowerCase() !== words.toLowerCase() ? " (“" + a.level_text + "”)" : "";
      var meta = [];
      var old = null;
      if (a.published_at) {
        var published = new Date(a.published_at);
        // Advice a year old or more leads with its own date: a 2014 page
        // fetched a minute ago is not this minute's advice.
        if (serverNow() - published.getTime() > YEAR_MS) {
          old = h("strong", { className: "tag-old" }, timeEl(a.published_at,
            fmt(gettext("Published %(date)s: more than a year old"), { date: longDayFormat.format(published) })));
        } else {
          meta.push(timeEl(a.published_at, fmt(gettext("published %(date)s"), { date: clockText(published) })));
        }
      }
      list.appendChild(h("li", { className: "advisory" + (old ? " is-old" : "") }, [
        h("span", { className: "level level-" + a.level, title: fmt(gettext("Level %(level)s of 4"), { level: a.level }) }, String(a.level)),
        h("span", null, [
          old, old ? " " : null,
          a.url ? h("a", { href: a.url, rel: "noopener noreferrer" }, pick(a, "source_name") || a.issuer) : (pick(a, "source_name") || a.issuer),
          ": " + words + own
        ]),
        h("span", { className: "meta" }, meta)
      ]));
    });
    document.getElementById("advisory-empty").hidden = advisories.length > 0;
  }

  // --- Source health (only while its panel is open) --------------------------------------
  var sources = document.getElementById("sources");

  function renderSources() {
    if (!sources || !sources.open) return;
    var list = document.getElementById("source-list");
    var empty = document.getElementById("source-empty");
    fetch(sources.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (rows) {
        list.textContent = "";
        empty.hidden = true;
        rows.forEach(function (row) {
          var state;
          if (!row.enabled) state = gettext("switched off");
          else if (row.failing) state = gettext("failing");
          else if (row.overdue) state = gettext("no success for 12 hours");
          else state = gettext("working");
          var bad = row.enabled && (row.failing || row.overdue);
          var meta = [];
          if (row.last_success_at) {
            meta.push(timeEl(row.last_success_at, fmt(gettext("last success %(age)s"), { age: ageText(new Date(row.last_success_at)) })));
          } else {
            meta.push(gettext("never succeeded yet"));
          }
          if (row.failing && row.last_error_at) {
            meta.push(" · ");
            meta.push(timeEl(row.last_error_at, fmt(gettext("last error %(age)s"), { age: ageText(new Date(row.last_error_at)) })));
          }
          list.appendChild(h("li", { className: bad ? "source-bad" : "" }, [
            h("span", { className: "source-name" }, row.name || row.key),
            " — ",
            h("strong", null, state),
            h("span", { className: "meta" }, meta),
            row.failing && row.last_error ? h("span", { className: "meta source-error" }, row.last_error) : null
          ]));
        });
      })
      .catch(function () { empty.hidden = false; });
  }
  if (sources) sources.addEventListener("toggle", renderSources);

  // --- The map on a date (?at=) ---------------------------------------------------------------
  var when = {
    form: document.getElementById("when"),
    date: document.getElementById("when-date"),
    time: document.getElementById("when-time"),
    now: document.getElementById("when-now"),
    banner: document.getElementById("past-banner"),
    text: document.getElementById("past-text")
  };
  var DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
  var isoDay = new Intl.DateTimeFormat("en-CA", { timeZone: TZ, year: "numeric", month: "2-digit", day: "2-digit" });
  var isoTime = new Intl.DateTimeFormat("en-GB", { timeZone: TZ, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  var bannerDay = new Intl.DateTimeFormat(lang, { timeZone: "UTC", day: "numeric", month: "long", year: "numeric" });

  function atFromLocation() {
    var match = /[?&]at=([^&#]*)/.exec(window.location.search);
    var value = match ? decodeURIComponent(match[1].replace(/\+/g, " ")).trim() : "";
    return value || null;
  }

  // A bare date means the end of that day in UTC, as the API and /lite/ read it.
  function apiMoment(value) {
    return DAY_RE.test(value) ? value + "T23:59:00Z" : value;
  }

  function snapshotUrl() {
    return state.at ? cfg.snapshotUrl + "?at=" + encodeURIComponent(apiMoment(state.at)) : cfg.snapshotUrl;
  }

  function todayUtc() { return new Date(serverNow()).toISOString().slice(0, 10); }

  function fillWhen() {
    if (!when.form) return;
    when.date.max = todayUtc();
    if (!state.at) {
      when.date.value = "";
      when.time.value = "";
    } else if (DAY_RE.test(state.at)) {
      when.date.value = state.at;
      when.time.value = "";
    } else if (!isNaN(Date.parse(state.at))) {
      var moment = new Date(state.at);
      when.date.value = isoDay.format(moment);
      when.time.value = isoTime.format(moment);
    }
    when.now.hidden = !state.at;
  }

  function showBanner(message) {
    if (!when.banner) return;
    var past = state.at && state.doc && state.doc.at;
    when.banner.hidden = !(past || message);
    root.classList.toggle("is-past", Boolean(past) && !message);
    if (message) {
      when.text.textContent = message;
    } else if (past) {
      when.text.textContent = (DAY_RE.test(state.at)
        ? fmt(gettext("Map as it stood on %(date)s."), { date: bannerDay.format(new Date(state.at + "T12:00:00Z")) })
        : fmt(gettext("Map as it stood at %(moment)s."), { moment: clockText(new Date(state.doc.at)) })) +
        " " + gettext("History, not today's situation.");
    }
  }

  // Point the map at a moment (null: now), in the page's URL too, so that the
  // address can be shared, and so that the language switch keeps it.
  function setAt(value) {
    state.at = value || null;
    state.etag = null;
    if (window.history && history.pushState) history.pushState(null, "", pageUrl());
    keepAddressOnLanguageSwitch();
    fillWhen();
    return refresh();
  }

  // The page's address: the moment first, then the traveller's profile, so a
  // link shows the same map to whoever opens it.
  function pageUrl() {
    var pairs = [];
    if (state.at) pairs.push(["at", state.at]);
    if (state.profile) {
      PROFILE_FIELDS.forEach(function (name) {
        if (state.profile[name]) pairs.push([name, state.profile[name]]);
      });
      if (you.only && you.only.checked) pairs.push(["open", "1"]);
    }
    return window.location.pathname + queryString(pairs) + window.location.hash;
  }

  function queryString(pairs) {
    return pairs.length ? "?" + pairs.map(function (pair) {
      return encodeURIComponent(pair[0]) + "=" + encodeURIComponent(pair[1]);
    }).join("&") : "";
  }

  function keepAddressOnLanguageSwitch() {
    var next = document.querySelector(".lang input[name=next]");
    if (next) next.value = window.location.pathname + window.location.search;
  }

  if (when.form) {
    when.form.addEventListener("submit", function (e) {
      e.preventDefault();
      var day = when.date.value;
      var time = when.time.value;
      if (!day) { setAt(null); return; }
      // The time is Moscow time, like every time on the site (UTC+3).
      if (time) setAt(day + "T" + time + "+03:00");
      else setAt(day >= todayUtc() ? null : day);
    });
    when.now.addEventListener("click", function () { setAt(null); });
  }
  window.addEventListener("popstate", function () {
    state.at = atFromLocation();
    state.etag = null;
    profileFromLocation();
    showProfileControls();
    if (!state.profile) loadVerdicts(); // clears the last profile's marks
    fillWhen();
    refresh();
  });

  // --- Open to me: the traveller's profile -------------------------------------------------
  var PROFILE_FIELDS = ["citizenship", "document", "visa", "mode"];
  // Shared with the ways-out page (static/js/waysout.js), which also keeps "from".
  var PROFILE_KEY = "exitwatch.profile";
  var you = {
    box: document.getElementById("you-box"),
    form: document.getElementById("you"),
    only: document.getElementById("p-only"),
    remember: document.getElementById("p-remember"),
    clear: document.getElementById("p-clear"),
    status: document.getElementById("you-status"),
    summary: document.getElementById("you-summary"),
    compare: document.getElementById("p-compare"),
    legend: document.querySelector(".legend-notyou"),
    selects: {}
  };
  PROFILE_FIELDS.forEach(function (name) { you.selects[name] = document.getElementById("p-" + name); });
  var waysOutUrl = you.compare ? you.compare.getAttribute("href") : "";

  function verdictOf(c) {
    return state.profile && state.verdicts ? state.verdicts[c.slug] || null : null;
  }

  function openToYou(c) {
    var verdict = verdictOf(c);
    return Boolean(verdict && verdict.open_to_you);
  }

  // Cargo-only crossings have no verdict: they are open to no traveller.
  function notForYou(c) {
    if (!state.profile || !state.verdicts) return false;
    var verdict = verdictOf(c);
    return verdict ? !verdict.open_to_you : Boolean(c.cargo_only);
  }

  function verdictWord(c) {
    var verdict = verdictOf(c);
    if (!verdict) return "";
    return " · " + (verdict.open_to_you ? gettext("Open to you") : gettext("Not for you"));
  }

  function safeUrl(url) {
    return /^https?:\/\//i.test(url || "") ? url : "";
  }

  // "Open to you", or "Not for you: <the first reason that shuts it>" with
  // that reason's source: the same words in the list and the popup.
  function verdictLine(c) {
    var verdict = verdictOf(c);
    if (!verdict) return null;
    if (verdict.open_to_you) {
      return h("p", { className: "verdict verdict-open" }, [
        h("span", { className: "verdict-sign", "aria-hidden": "true" }, "✓"), " ", gettext("Open to you")]);
    }
    var reason = (verdict.reasons || []).filter(function (r) { return r.blocks; })[0];
    var source = reason ? safeUrl(reason.source_url) : "";
    return h("p", { className: "verdict verdict-shut" }, [
      h("span", { className: "verdict-sign", "aria-hidden": "true" }, "✕"), " ",
      reason ? fmt(gettext("Not for you: %(reason)s"), { reason: reason.text }) : gettext("Not for you"),
      source ? " " : null,
      source ? h("a", { href: source, rel: "noopener noreferrer nofollow" }, gettext("source")) : null
    ]);
  }

  function profileFromSelects() {
    var profile = {};
    PROFILE_FIELDS.forEach(function (name) {
      profile[name] = you.selects[name] ? you.selects[name].value : "";
    });
    return profile;
  }

  // Only values the selects offer are taken: the rest keep their defaults.
  function fillSelects(values) {
    PROFILE_FIELDS.forEach(function (name) {
      var select = you.selects[name];
      var value = values[name];
      if (!select || typeof value !== "string") return;
      var known = Array.prototype.some.call(select.options, function (o) { return o.value === value; });
      if (known) select.value = value;
    });
  }

  // Back to the profile's defaults (the options the page marks selected).
  function resetSelects() {
    PROFILE_FIELDS.forEach(function (name) {
      var select = you.selects[name];
      if (!select) return;
      var preset = Array.prototype.filter.call(select.options, function (o) { return o.defaultSelected; })[0];
      select.value = preset ? preset.value : select.options[0].value;
    });
    if (you.only) you.only.checked = false;
  }

  // The profile the address names (any of its four fields), or none.
  function profileFromLocation() {
    var params = new URLSearchParams(window.location.search);
    var named = PROFILE_FIELDS.some(function (name) { return params.get(name); });
    resetSelects();
    if (!named) {
      state.profile = null;
      return false;
    }
    var values = {};
    PROFILE_FIELDS.forEach(function (name) { values[name] = params.get(name) || ""; });
    fillSelects(values);
    if (you.only) you.only.checked = params.get("open") === "1";
    state.profile = profileFromSelects();
    return true;
  }

  // localStorage may be switched off or full: then nothing is remembered.
  function storedProfile() {
    try {
      var value = JSON.parse(window.localStorage.getItem(PROFILE_KEY) || "null");
      return value && typeof value === "object" ? value : null;
    } catch (e) {
      return null;
    }
  }

  function rememberProfile() {
    if (!state.profile || !you.remember || !you.remember.checked) return;
    var kept = { from: (storedProfile() || {}).from || "" };
    PROFILE_FIELDS.forEach(function (name) { kept[name] = state.profile[name]; });
    try { window.localStorage.setItem(PROFILE_KEY, JSON.stringify(kept)); } catch (e) { /* not kept */ }
  }

  function forgetProfile() {
    try { window.localStorage.removeItem(PROFILE_KEY); } catch (e) { /* nothing kept */ }
  }

  function showProfileControls() {
    if (you.clear) you.clear.hidden = !state.profile;
    if (you.legend) you.legend.hidden = !state.profile;
    root.classList.toggle("has-profile", Boolean(state.profile));
    if (you.compare) {
      var pairs = [];
      if (state.profile) {
        PROFILE_FIELDS.forEach(function (name) {
          if (state.profile[name]) pairs.push([name, state.profile[name]]);
        });
      }
      you.compare.setAttribute("href", waysOutUrl + queryString(pairs));
    }
  }

  // A new profile (null: none): into the address (replacing it, as a profile
  // is not a place to go back to), into this browser if asked, then asked of
  // the server.
  function setProfile(profile) {
    state.profile = profile;
    if (window.history && history.replaceState) history.replaceState(null, "", pageUrl());
    keepAddressOnLanguageSwitch();
    rememberProfile();
    showProfileControls();
    return loadVerdicts();
  }

  function showYouStatus(text) {
    if (!you.status) return;
    you.status.textContent = text || "";
    you.status.hidden = !text;
  }

  function showVerdictSummary() {
    if (!you.summary) return;
    if (!state.profile || !state.verdicts) {
      you.summary.textContent = "";
      return;
    }
    var travellers = state.crossings.filter(function (c) { return !c.cargo_only; });
    var open = travellers.filter(openToYou).length;
    // Counted by the open ones: the Russian word agrees with that number.
    you.summary.textContent = fmt(ngettext("(%(open)s of %(total)s open to you)",
      "(%(open)s of %(total)s open to you)", open), { open: open, total: travellers.length });
  }

  // Ask which crossings are open to the profile, at the map's moment and in
  // the page's language. Only the newest question's answer is drawn; on a lost
  // connection the last answer to the same question stays.
  function loadVerdicts() {
    var asked = ++state.verdictsAsked;
    if (!state.profile || !cfg.openToMeUrl) {
      state.verdicts = null;
      state.verdictsKey = "";
      showYouStatus("");
      render();
      return Promise.resolve();
    }
    var pairs = [];
    PROFILE_FIELDS.forEach(function (name) {
      if (state.profile[name]) pairs.push([name, state.profile[name]]);
    });
    if (state.at) pairs.push(["at", apiMoment(state.at)]);
    pairs.push(["lang", lang]);
    var key = queryString(pairs);
    return fetch(cfg.openToMeUrl + key, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().then(function (body) {
          if (response.status === 400) {
            var messages = [];
            Object.keys(body || {}).forEach(function (field) {
              messages = messages.concat(body[field]);
            });
            var error = new Error("HTTP 400");
            error.messages = messages;
            throw error;
          }
          if (!response.ok) throw new Error("HTTP " + response.status);
          return body;
        });
      })
      .then(function (body) {
        if (asked !== state.verdictsAsked) return;
        state.verdicts = body.crossings || {};
        state.verdictsKey = key;
        showYouStatus("");
      }, function (error) {
        if (asked !== state.verdictsAsked) return;
        if (error && error.messages) {
          state.verdicts = null;
          showYouStatus(error.messages.join(" "));
        } else {
          if (state.verdictsKey !== key) state.verdicts = null;
          showYouStatus(gettext("Could not check which crossings are open to you. Trying again every minute."));
        }
      })
      .then(function () {
        if (asked !== state.verdictsAsked) return;
        render();
        root.setAttribute("data-verdicts", String(Date.now()));
      });
  }

  if (you.form) {
    you.form.addEventListener("submit", function (e) {
      e.preventDefault();
      setProfile(profileFromSelects());
    });
    PROFILE_FIELDS.forEach(function (name) {
      if (you.selects[name]) you.selects[name].addEventListener("change", function () { setProfile(profileFromSelects()); });
    });
    // Ticking "only open to me" states the profile the selects show.
    you.only.addEventListener("change", function () {
      if (!state.profile) { setProfile(profileFromSelects()); return; }
      if (window.history && history.replaceState) history.replaceState(null, "", pageUrl());
      keepAddressOnLanguageSwitch();
      render();
    });
    you.remember.addEventListener("change", function () {
      if (you.remember.checked) rememberProfile();
      else forgetProfile();
    });
    // Clear drops the profile everywhere: the address, this browser, the map.
    you.clear.addEventListener("click", function () {
      you.form.reset();
      forgetProfile();
      setProfile(null);
    });
  }

  // At start: the address's profile, else the one this browser was asked to keep.
  function startProfile() {
    if (!you.form) return;
    var kept = storedProfile();
    if (!profileFromLocation() && kept) {
      fillSelects(kept);
      state.profile = profileFromSelects();
      if (window.history && history.replaceState) history.replaceState(null, "", pageUrl());
      keepAddressOnLanguageSwitch();
    }
    you.remember.checked = kept !== null;
    showProfileControls();
  }

  // --- Loading and refreshing ---------------------------------------------------------------
  // The lean document's crossings are rows under `crossings.fields`, with
  // country names once per country in `countries` ([this language, other]).
  function accept(doc) {
    state.doc = doc;
    var fields = (doc.crossings && doc.crossings.fields) || [];
    var countries = doc.countries || {};
    state.crossings = ((doc.crossings && doc.crossings.rows) || []).map(function (row) {
      var c = {};
      fields.forEach(function (field, i) { c[field] = row[i]; });
      var names = countries[c.country] || [];
      c.country_name = names[0] || c.country;
      c.country_other_name = names[1] || "";
      c.lng = c.lon;
      c.url = "/crossings/" + c.slug + "/";
      c._search = searchText(c);
      return c;
    });
    state.bySlug = {};
    state.crossings.forEach(function (c) { state.bySlug[c.slug] = c; });
    fillCountries();
    render();
    drawRoutes(doc);
    renderFlights(doc);
    renderAdvisories(doc);
  }

  // "Data as of" is the newest confirmed figure, not the moment the document
  // was built; the counts keep travellers' crossings confirmed within their
  // window apart from those only last known.
  function showUpdated() {
    if (!state.doc) return;
    var asOf = state.doc.data_as_of;
    var travellers = state.crossings.filter(function (c) { return !c.cargo_only; });
    var confirmed = travellers.filter(function (c) { return !isStale(c); }).length;
    els.updated.textContent = "";
    append(els.updated, [
      asOf ? gettext("Data as of") + " " : gettext("No confirmed figure yet."),
      asOf ? timeEl(asOf, clockText(new Date(asOf))) : null,
      " · ",
      h("span", { className: "counts", title: gettext("Crossings for travellers whose latest figure is within its freshness window, and those known only from older figures") }, [
        fmt(ngettext("%(count)s confirmed", "%(count)s confirmed", confirmed), { count: confirmed }),
        ", " + fmt(ngettext("%(count)s only last known", "%(count)s only last known",
          travellers.length - confirmed), { count: travellers.length - confirmed })
      ]),
      state.at ? null : " · " + fmt(gettext("checked %(time)s"), { time: timeFormat.format(new Date(state.lastSuccess + state.clockOffset)) })
    ]);
  }

  function showOffline() {
    state.failing = true;
    root.classList.add("is-offline");
    els.offline.hidden = false;
    if (state.doc) {
      els.offline.textContent = fmt(
        gettext("Cannot reach ExitWatch. Showing the data from %(time)s (%(age)s): it may be out of date."),
        { time: clockText(new Date(state.doc.generated_at)), age: ageText(new Date(state.doc.generated_at)) });
    } else {
      els.offline.textContent = gettext("Cannot reach ExitWatch. Trying again every minute.");
      els.updated.textContent = "";
    }
  }

  function showOnline() {
    state.failing = false;
    root.classList.remove("is-offline");
    els.offline.hidden = true;
  }

  // The server rebuilds the current map at least every 5 minutes: a document
  // built long before this clock's now is a stored copy (a service worker's,
  // say) answered in the server's place, and is said to be one.
  var STORED_COPY_MS = 15 * 60 * 1000;
  function isStoredCopy() {
    var built = state.doc ? Date.parse(state.doc.generated_at) : NaN;
    return !state.at && !isNaN(built) && serverNow() - built > STORED_COPY_MS;
  }

  // Fetch the snapshot; resolves to the document, null when unchanged (304), and
  // rejects only when the server cannot be reached or answers with an error.
  function download() {
    var headers = {};
    if (state.etag) headers["If-None-Match"] = state.etag;
    // "no-cache": always asked of the server (a 304 costs little), so its Date
    // is now's, never a copy's from the browser's cache.
    return fetch(snapshotUrl(), { headers: headers, credentials: "same-origin", cache: "no-cache" })
      .then(function (response) {
        noteServerClock(response);
        if (response.status === 304) return null;
        if (response.status === 400) {
          // A moment the map cannot show: the server says why, in our language.
          return response.json().then(function (body) {
            var error = new Error("HTTP 400");
            error.messages = (body && body.at) || [];
            throw error;
          });
        }
        if (!response.ok) throw new Error("HTTP " + response.status);
        var etag = response.headers.get("ETag");
        return response.json().then(function (doc) { state.etag = etag; return doc; });
      });
  }

  function refresh() {
    clearTimeout(state.timer);
    // The verdicts follow the map's moment and minute, asked alongside it.
    if (state.profile) loadVerdicts();
    return download()
      .then(function (doc) {
        state.lastSuccess = Date.now();
        showOnline();
        try {
          if (doc) accept(doc);
          else render(); // ages and fading move on even when the data did not
          if (isStoredCopy()) showOffline();
          showUpdated();
          showBanner();
        } catch (error) {
          if (window.console) console.error(error);
        }
        root.setAttribute("data-loaded", String(state.lastSuccess));
        if (doc) renderSources();
      }, function (error) {
        if (error && error.messages) {
          showBanner(error.messages.join(" ") || gettext("This date cannot be shown."));
          root.setAttribute("data-loaded", String(Date.now()));
        } else {
          showOffline();
          // The figures kept keep ageing: what turns old while the server
          // cannot be reached goes grey like the rest.
          try {
            if (state.doc) render();
          } catch (failure) {
            if (window.console) console.error(failure);
          }
        }
      })
      .then(function () { state.timer = setTimeout(refresh, REFRESH_MS); });
  }

  // --- Bottom sheet (phones) --------------------------------------------------------------------
  var panel = document.getElementById("panel");
  var toggle = document.getElementById("sheet-toggle");
  function setSheet(raised) {
    panel.classList.toggle("is-raised", raised);
    root.classList.toggle("sheet-raised", raised);
    toggle.setAttribute("aria-expanded", String(raised));
    toggle.textContent = raised ? toggle.dataset.labelClose : toggle.dataset.labelOpen;
    if (map) setTimeout(function () { map.invalidateSize(); }, 250);
  }
  function collapseSheet() {
    if (panel.classList.contains("is-raised")) setSheet(false);
  }
  toggle.addEventListener("click", function () { setSheet(!panel.classList.contains("is-raised")); });

  // --- Wiring ----------------------------------------------------------------------------------------
  document.getElementById("filters").addEventListener("submit", function (e) { e.preventDefault(); });
  ["country", "status", "mode", "sort", "cargo"].forEach(function (key) {
    if (els[key]) els[key].addEventListener("change", render);
  });
  var typing = null;
  els.q.addEventListener("input", function () {
    clearTimeout(typing);
    typing = setTimeout(render, 150);
  });
  els.list.addEventListener("click", function (e) {
    var button = e.target.closest("button[data-slug]");
    if (button) focusCrossing(button.getAttribute("data-slug"));
  });
  window.addEventListener("online", refresh);
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && Date.now() - state.lastSuccess > REFRESH_MS) refresh();
  });

  // On a phone the legend starts folded, so it does not cover the small map.
  var legend = document.querySelector(".legend");
  var filterMore = document.getElementById("filter-more");
  var whenBox = document.getElementById("when-box");
  var youBox = document.getElementById("you-box");
  if (window.matchMedia && window.matchMedia("(max-width: 45rem)").matches) {
    if (legend) legend.open = false;
    if (filterMore) filterMore.open = false;
    // The banner names a past date and the way back; the control waits folded.
    if (whenBox) whenBox.open = false;
    // Its summary counts what is open to the traveller while folded.
    if (youBox) youBox.open = false;
  }
  setupMap();
  state.at = atFromLocation();
  fillWhen();
  startProfile();
  refresh().then(function () {
    var match = /^#crossing=([\w-]+)$/.exec(window.location.hash);
    if (match && state.bySlug[match[1]]) focusCrossing(match[1]);
  });

  // For the browser tests and curious readers: what is on the map right now.
  window.exitwatchMap = {
    map: function () { return map; },
    refresh: refresh,
    at: function () { return state.at; },
    profile: function () { return state.profile; },
    markerCount: function () { return Object.keys(markers).filter(function (s) { return markers[s].onMap; }).length; }
  };
})();
