// Treatment maps (care/maps/_map.html): each zone of the map [data-zone-map] is a toggle button
// for the checkbox of the same value in the active line of the session form. A line is a
// <fieldset class="session-line" data-line="i"> holding checkboxes named "lines-i-zones"; the
// first line is active at first, and focusing, tapping or ticking inside another line makes
// it the active one. The checkboxes are the truth: the map only mirrors them, so ticking one
// by hand, resetting the form or adding a line all show on the map.
(function () {
  "use strict";
  var LINE = "fieldset.session-line";
  var BOX = 'input[type="checkbox"][name$="-zones"]';

  function toArray(list) { return Array.prototype.slice.call(list || []); }
  // The lines a map charts: those of its own form, or of the page when it stands outside one.
  function scopeOf(map) { return map.closest("form") || document; }
  function linesOf(map) { return toArray(scopeOf(map).querySelectorAll(LINE)); }
  function shown(el) { return !el.hidden && el.getClientRects().length > 0; }
  function zonesOf(map) { return toArray(map.querySelectorAll("[data-zone]")); }

  function checkbox(line, code) {
    if (!line) return null;
    var boxes = line.querySelectorAll(BOX);
    for (var i = 0; i < boxes.length; i++) if (boxes[i].value === code) return boxes[i];
    return null;
  }

  function activeLine(map) {
    var line = map.zoneMapLine;
    var scope = scopeOf(map);
    if (line && line.isConnected && scope.contains(line)) return line;
    var lines = linesOf(map);
    line = lines.filter(function (l) { return l.getAttribute("data-line") === "0"; })[0] ||
      lines.filter(shown)[0] || lines[0] || null;
    map.zoneMapLine = line;
    return line;
  }

  function lineNumber(line, map) {
    var n = parseInt(line.getAttribute("data-line"), 10);
    return isNaN(n) ? linesOf(map).indexOf(line) + 1 : n + 1;
  }

  function render(map) {
    var line = activeLine(map);
    var marked = [];
    zonesOf(map).forEach(function (zone) {
      var box = checkbox(line, zone.getAttribute("data-zone"));
      var on = !!(box && box.checked);
      zone.setAttribute("aria-pressed", on ? "true" : "false");
      zone.classList.toggle("is-selected", on);
      if (box && !box.disabled) zone.removeAttribute("aria-disabled");
      else zone.setAttribute("aria-disabled", "true");
      if (on) marked.push(zone.getAttribute("aria-label"));
    });
    linesOf(map).forEach(function (l) { l.classList.toggle("zone-map-active", l === line); });
    // The status is a live region: touch it only when it changes, so it is read out once.
    var number = map.querySelector("[data-zone-map-line]");
    var forLine = map.querySelector("[data-zone-map-for]");
    var none = map.querySelector("[data-zone-map-none]");
    if (number && line) setText(number, String(lineNumber(line, map)));
    if (forLine && forLine.hidden !== !line) forLine.hidden = !line;
    if (none && none.hidden !== !!line) none.hidden = !!line;
    var summary = map.querySelector("[data-zone-map-summary]");
    if (summary) setText(summary, marked.length ? list(marked) : (summary.getAttribute("data-empty") || ""));
  }

  function setText(el, text) { if (el.textContent !== text) el.textContent = text; }

  // "A, B, C" in the page's language (the Urdu comma on Urdu pages).
  function list(items) {
    try {
      return new Intl.ListFormat(document.documentElement.lang || undefined, { style: "short", type: "unit" }).format(items);
    } catch (e) {
      return items.join(", ");
    }
  }

  function toggle(map, zone) {
    var box = checkbox(activeLine(map), zone.getAttribute("data-zone"));
    if (!box || box.disabled) return;
    box.checked = !box.checked;
    // Tell the form's own scripts, as a tick by hand would; the change listener redraws.
    box.dispatchEvent(new Event("input", { bubbles: true }));
    box.dispatchEvent(new Event("change", { bubbles: true }));
    render(map);
  }

  function maps() { return toArray(document.querySelectorAll("[data-zone-map]")); }

  // Make `line` the active line of every map charting its form.
  function activate(line) {
    maps().forEach(function (map) {
      if (map.zoneMapLine === line || !scopeOf(map).contains(line)) return;
      map.zoneMapLine = line;
      render(map);
    });
  }

  function setUp(map) {
    if (map.zoneMapReady) { render(map); return; }
    map.zoneMapReady = true;
    map.addEventListener("click", function (event) {
      var zone = event.target.closest("[data-zone]");
      if (zone && map.contains(zone)) toggle(map, zone);
    });
    map.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" && event.key !== " ") return;
      var zone = event.target.closest("[data-zone]");
      if (!zone || !map.contains(zone)) return;
      event.preventDefault();
      if (!event.repeat) toggle(map, zone);
    });
    render(map);
  }

  function setUpAll() { maps().forEach(setUp); }

  // Once per page, however many times the script is included or swapped in.
  if (!window.mesoclinicZoneMap) {
    window.mesoclinicZoneMap = { setUp: setUpAll };
    var fromEvent = function (event) {
      var target = event.target;
      var line = target && target.closest ? target.closest(LINE) : null;
      if (line) activate(line);
    };
    // Focus (keyboard, or a tap on a field) or a click (a tap on the line's labels or legend);
    // not pointerdown, which a finger scrolling the page past another line would also fire.
    document.addEventListener("focusin", fromEvent);
    document.addEventListener("click", fromEvent);
    document.addEventListener("change", function (event) {
      var target = event.target;
      if (!target || !target.matches || !target.matches(BOX)) return;
      fromEvent(event);
      maps().forEach(function (map) { if (scopeOf(map).contains(target)) render(map); });
    });
    document.addEventListener("reset", function () {
      // The form's fields are reset after the event.
      setTimeout(function () { maps().forEach(render); }, 0);
    });
    // Forms or lines added later (htmx swaps, "add a line").
    document.addEventListener("htmx:load", setUpAll);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUpAll);
  else setUpAll();
})();
