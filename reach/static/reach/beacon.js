// Counts one view of the page this script is on, for pages served from a cache (where the
// server-side hook does not run). Same-origin, no cookies set, no identifiers sent: only the page
// id and the channel code of a tracked link (?ch=). The server counts a visitor once per day.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.dataset.reachPage || navigator.webdriver) return;
  var body = { page: Number(script.dataset.reachPage) };
  var channel = new URLSearchParams(window.location.search).get("ch");
  if (channel) body.ch = channel;
  var data = JSON.stringify(body);
  var url = script.dataset.reachUrl || "/api/reach/view/";
  if (navigator.sendBeacon && navigator.sendBeacon(url, new Blob([data], { type: "application/json" }))) return;
  if (window.fetch) fetch(url, { method: "POST", body: data, headers: { "Content-Type": "application/json" }, credentials: "same-origin", keepalive: true });
})();
