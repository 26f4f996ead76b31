// The text a person reads on the page (and the links it offers), for the English check in
// test_admin_chinese.py: text nodes outside code, data and hidden templates, and the labels
// that only assistive technology or a hover shows.
(() => {
  // Time zone names (Asia/Shanghai) are identifiers, not words.
  const skip = [
    "script", "style", "noscript", "template", "code", "pre", "textarea", "svg", "[hidden]",
    "[aria-hidden=true]", "select[name$=time_zone] option",
  ].join(", ");
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    // Skipped: what nobody can see (a widget's closed pop-up), unless a screen reader reads it.
    if (!parent || parent.closest(skip)) continue;
    if (!parent.checkVisibility() && !parent.closest(".w-sr-only, [role=menu], [data-w-dropdown-target]")) continue;
    const text = node.textContent.trim();
    if (text) texts.push(text);
  }
  for (const el of document.body.querySelectorAll("[placeholder], [title], [aria-label], [alt], input[type=submit], input[type=button]")) {
    if (el.closest("svg, template")) continue;
    for (const name of ["placeholder", "title", "aria-label", "alt"]) {
      const value = el.getAttribute(name);
      if (value) texts.push(value.trim());
    }
    if (el.matches("input[type=submit], input[type=button]") && el.value) texts.push(el.value.trim());
  }
  texts.push(document.title);
  const links = [...document.querySelectorAll("a[href], link[href], form[action]")].map(
    (el) => new URL(el.getAttribute("href") ?? el.getAttribute("action") ?? "", document.baseURI).href);
  return { texts, links };
})
