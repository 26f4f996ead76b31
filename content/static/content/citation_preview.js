// The statute citation block in the page editor: as the editor types a law's name and an article
// number, show the exact text that will be quoted (or what is wrong), before anything is saved.
// The admin endpoint resolves both the same way the block's validation does.
(function () {
  "use strict";
  var script = document.currentScript;
  var endpoint = script && script.dataset.previewUrl;
  if (!endpoint) return;
  var timers = new WeakMap();

  function blockOf(input) {
    return input.closest(".statute-citation-block");
  }

  function fields(block) {
    return {
      law: block.querySelector("[data-statute-law]"),
      article: block.querySelector("input[name$='-article']"),
    };
  }

  function previewBox(block) {
    var box = block.querySelector(".statute-citation-preview");
    if (!box) {
      box = document.createElement("div");
      box.className = "statute-citation-preview help-block";
      box.setAttribute("aria-live", "polite");
      block.appendChild(box);
    }
    return box;
  }

  function show(block, answer) {
    var box = previewBox(block);
    box.replaceChildren();
    var errors = answer.errors || {};
    ["law", "article"].forEach(function (name) {
      if (errors[name]) {
        var p = document.createElement("p");
        p.className = "error-message";
        p.textContent = errors[name];
        box.appendChild(p);
      }
    });
    if (answer.law && answer.article) {
      var title = document.createElement("p");
      var link = document.createElement("a");
      link.href = answer.article.url;
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = "《" + answer.law.name + "》" + answer.article.label;
      title.appendChild(link);
      var quote = document.createElement("blockquote");
      quote.className = "statute-citation-preview__text";
      quote.textContent = answer.article.text;
      box.append(title, quote);
    } else if (answer.law && !errors.article) {
      var law = document.createElement("p");
      law.textContent = "《" + answer.law.name + "》";
      box.appendChild(law);
    }
  }

  function refresh(block) {
    var f = fields(block);
    if (!f.law || !f.article) return;
    var query = new URLSearchParams({ law: f.law.value, article: f.article.value });
    fetch(endpoint + "?" + query.toString(), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) { return response.json(); })
      .then(function (answer) { show(block, answer); })
      .catch(function () {});
  }

  document.addEventListener("input", function (event) {
    var block = event.target.closest && blockOf(event.target);
    if (!block) return;
    clearTimeout(timers.get(block));
    timers.set(block, setTimeout(function () { refresh(block); }, 250));
  });

  // Citations already in the page: preview them once the editor has drawn its blocks.
  function previewExisting() {
    document.querySelectorAll(".statute-citation-block").forEach(function (block) {
      if (block.dataset.previewed) return;
      var f = fields(block);
      if (f.law && f.law.value && f.article && f.article.value) {
        block.dataset.previewed = "1";
        refresh(block);
      }
    });
  }
  new MutationObserver(function () {
    clearTimeout(timers.get(document));
    timers.set(document, setTimeout(previewExisting, 300));
  }).observe(document.body, { childList: true, subtree: true });
  previewExisting();
})();
