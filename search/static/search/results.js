// The search page's results: the filters open beside the results on wide screens (folded on
// phones, so the answer is on the first screen), and opening a result tells the editors' report
// that the question was answered (the query only; nothing about who asked).
(function () {
  "use strict";
  var filters = document.getElementById("search-filters");
  if (filters && window.matchMedia) {
    var wide = window.matchMedia("(min-width: " + filters.dataset.openFrom + "px)");
    if (wide.matches) filters.open = true;
  }
  var results = document.querySelector(".results[data-click-url]");
  if (!results) return;
  var sent = false;
  function report() {
    if (sent || navigator.webdriver) return;
    sent = true;
    var data = JSON.stringify({ q: results.dataset.query });
    var url = results.dataset.clickUrl;
    if (navigator.sendBeacon && navigator.sendBeacon(url, new Blob([data], { type: "application/json" }))) return;
    if (window.fetch) fetch(url, { method: "POST", body: data, headers: { "Content-Type": "application/json" }, credentials: "same-origin", keepalive: true });
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".best-answer a, .result-list a");
    if (link) report();
  });
})();
