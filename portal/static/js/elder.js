// 长辈模式 (the elderly-friendly mode of the 适老化 guidance for websites): larger text, higher
// contrast and larger tap targets, switched by the header's button and remembered in this
// browser (localStorage) for every later page. Loaded in <head> without defer, so the mode is
// on before the first paint and the text never jumps.
(function () {
  "use strict";
  var KEY = "pufa-elder-mode";
  var root = document.documentElement;

  function remembered() {
    try {
      return window.localStorage.getItem(KEY) === "on";
    } catch (e) {
      return false; // storage blocked: the mode still works on this page
    }
  }

  function remember(on) {
    try {
      if (on) {
        window.localStorage.setItem(KEY, "on");
      } else {
        window.localStorage.removeItem(KEY);
      }
    } catch (e) {
      // not remembered, nothing else lost
    }
  }

  function apply(on) {
    root.classList.toggle("elder", on);
    document.querySelectorAll("[data-elder-toggle]").forEach(function (button) {
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }

  apply(remembered());

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-elder-toggle]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var on = !root.classList.contains("elder");
        apply(on);
        remember(on);
      });
    });
    apply(root.classList.contains("elder"));
  });
})();
