// Completions for the search box from /api/search/suggest/ (titles and law names), offered
// through the input's <datalist>; the page works the same without this script.
(function () {
  const input = document.getElementById("search-q");
  const list = document.getElementById("search-suggestions");
  if (!input || !list || !window.fetch) return;
  let timer = null;
  let controller = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    const q = input.value.trim();
    if (!q) { list.replaceChildren(); return; }
    timer = setTimeout(function () {
      if (controller) controller.abort();
      controller = new AbortController();
      fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(q), { signal: controller.signal })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (items) {
          list.replaceChildren(...items.map(function (item) {
            const option = document.createElement("option");
            option.value = item.text;
            return option;
          }));
        })
        .catch(function () {});
    }, 150);
  });
})();
