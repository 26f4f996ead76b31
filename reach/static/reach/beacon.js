// Counts the load of the page this script is on when a cache served it (the server-side hook did
// not run). A page the server rendered carries its load id (data-reach-load): sent back, it tells
// the server this load is already counted. Same-origin, no cookies set, no identifiers sent: only
// the page id, the load id and the channel code of a tracked link (?ch=).
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.dataset.reachPage || navigator.webdriver) return;
  var body = { page: Number(script.dataset.reachPage) };
  if (script.dataset.reachLoad) body.load = script.dataset.reachLoad;
  var channel = new URLSearchParams(window.location.search).get("ch");
  // Only a channel code (a slug) is sent; a mangled one leaves the region unknown.
  if (channel && /^[-\w]{1,32}$/.test(channel)) body.ch = channel;
  var data = JSON.stringify(body);
  var url = script.dataset.reachUrl || "/api/reach/view/";
  if (navigator.sendBeacon && navigator.sendBeacon(url, new Blob([data], { type: "application/json" }))) return;
  if (window.fetch) fetch(url, { method: "POST", body: data, headers: { "Content-Type": "application/json" }, credentials: "same-origin", keepalive: true });
})();
