// A law's table of contents starts folded on a phone, where it would fill several screens before
// the first article; on wider screens it stays open. Without JavaScript it is simply open.
(function () {
  if (!window.matchMedia("(max-width: 600px)").matches) return;
  document.querySelectorAll("details[data-fold-on-phone]").forEach(function (details) {
    details.open = false;
  });
})();
